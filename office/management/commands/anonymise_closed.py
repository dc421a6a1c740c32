"""`manage.py anonymise_closed [--days N] [--dry-run]`: remove residents' personal
data from micro-wishes and appeals finished more than N days ago.

N defaults to `settings.PERSONAL_DATA_RETENTION_DAYS` (365). A micro-wish is
finished when fulfilled or not accepted, an appeal when closed; a resident's
wishes are anonymised together, once all of them are finished (see
`wishes.selectors.due_for_anonymising`). What happens to a record is in
`portal.privacy.anonymise`; report figures do not change. Safe to run again (e.g.
every night from cron): a record is anonymised once.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import SecurityEvent
from audit.services import record_event
from grid.selectors_work import appeals_due_for_anonymising
from grid.services_work import appeals_anonymise
from portal.privacy import retention_days
from wishes.selectors import due_for_anonymising as wishes_due_for_anonymising
from wishes.services import wishes_anonymise


class Command(BaseCommand):
    help = "Anonymise residents' personal data on micro-wishes and appeals finished more than N days ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="keep the data of records finished in the last N days (default: PERSONAL_DATA_RETENTION_DAYS, 365)",
        )
        parser.add_argument("--dry-run", action="store_true", help="only count what would be anonymised")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=days)
        wishes = wishes_due_for_anonymising(cutoff)
        appeals = appeals_due_for_anonymising(cutoff)
        since = f"finished before {timezone.localtime(cutoff):%Y-%m-%d %H:%M} ({days} days)"
        if dry_run:
            self.stdout.write(
                f"Dry run: would anonymise {wishes.count()} micro-wishes and {appeals.count()} appeals {since}."
            )
            return
        wish_count = wishes_anonymise(wishes, now=now)
        appeal_count = appeals_anonymise(appeals, now=now)
        record_event(
            SecurityEvent.Type.RETENTION_RUN,
            description=_(
                "anonymise_closed: %(wishes)d micro-wishes and %(appeals)d appeals finished more than "
                "%(days)d days ago anonymised"
            )
            % {"wishes": wish_count, "appeals": appeal_count, "days": days},
        )
        self.stdout.write(f"Anonymised {wish_count} micro-wishes and {appeal_count} appeals {since}.")
