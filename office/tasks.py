"""Background jobs of the portal (Celery; config/celery.py). Without a broker they
run inline where they are queued. Each may run twice without harm: exports are
claimed once (office.jobs), the retention commands skip what they already did."""

from celery import shared_task
from django.core.management import call_command

from grid import reminders as appeal_reminders
from office import jobs
from office.digest import send_daily_digest, send_weekly_unit_summaries
from wishes import reminders as wish_reminders


@shared_task(name="office.tasks.build_export")
def build_export(job_id: int) -> str:
    return jobs.run_export(job_id)


@shared_task(name="office.tasks.prune_exports")
def prune_exports() -> dict:
    """Hourly: queue again the exports whose task was lost; remove old ones."""
    return {"requeued": jobs.requeue_stuck(), "removed": jobs.prune()}


@shared_task(name="office.tasks.anonymise_closed")
def anonymise_closed() -> None:
    """Daily: residents' personal data of finished wishes and appeals (office/management/commands)."""
    call_command("anonymise_closed")


@shared_task(name="office.tasks.prune_security_log")
def prune_security_log() -> None:
    """Daily: security-log entries older than the retention (audit/management/commands)."""
    call_command("prune_security_log")


@shared_task(name="office.tasks.ask_for_ratings")
def ask_for_ratings() -> int:
    """Hourly: residents asked once more to rate an answered appeal or a fulfilled wish."""
    return appeal_reminders.ask_for_ratings() + wish_reminders.ask_for_ratings()


@shared_task(name="office.tasks.daily_digest")
def daily_digest() -> int:
    """Daily at 08:00: each community's staff learn what is overdue (office/digest.py)."""
    return send_daily_digest()


@shared_task(name="office.tasks.weekly_unit_summaries")
def weekly_unit_summaries() -> int:
    """Mondays at 09:00: each unit's liaisons get the past week (office/digest.py)."""
    return send_weekly_unit_summaries()
