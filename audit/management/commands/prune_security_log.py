"""`manage.py prune_security_log [--dry-run]`: remove security-log entries older
than SECURITY_LOG_RETENTION_DAYS (default 365).

The law asks for at least six months of logs (网络安全法 第二十一条; 等保 2.0
安全审计), so a retention below 180 days is raised to 180 with a warning. The
command is the only way entries leave the log (`SecurityEvent.objects.prune`),
and it records its own run in the log. Safe to run every night from cron.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import SecurityEvent
from audit.services import record_event

MINIMUM_DAYS = 180
DEFAULT_DAYS = 365


def retention_days(stderr=None) -> int:
    """The configured retention, never less than MINIMUM_DAYS."""
    days = getattr(settings, "SECURITY_LOG_RETENTION_DAYS", DEFAULT_DAYS)
    if days < MINIMUM_DAYS:
        if stderr is not None:
            stderr.write(
                f"SECURITY_LOG_RETENTION_DAYS={days} is below the minimum of {MINIMUM_DAYS} days: keeping {MINIMUM_DAYS}."
            )
        return MINIMUM_DAYS
    return days


class Command(BaseCommand):
    help = "Remove security-log entries older than SECURITY_LOG_RETENTION_DAYS (at least 180, default 365)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be removed")

    def handle(self, *args, dry_run=False, **options):
        days = retention_days(self.stderr)
        cutoff = timezone.now() - datetime.timedelta(days=days)
        since = f"older than {timezone.localtime(cutoff):%Y-%m-%d %H:%M} ({days} days)"
        if dry_run:
            count = SecurityEvent.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"Dry run: would remove {count} security-log entries {since}.")
            return
        count = SecurityEvent.objects.prune(before=cutoff)
        record_event(
            SecurityEvent.Type.RETENTION_RUN,
            description=_("prune_security_log: %(count)d entries older than %(cutoff)s (%(days)d days) removed")
            % {"count": count, "cutoff": f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}", "days": days},
        )
        self.stdout.write(f"Removed {count} security-log entries {since}.")
