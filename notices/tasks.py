"""The notification worker's task (Celery; inline without a broker, as every task)."""

from celery import shared_task

from notices import services


@shared_task(name="notices.tasks.send_notifications")
def send_notifications() -> dict:
    """Send what is due: after each commit that queued something, and every minute (beat)
    for the retries and the messages held over quiet hours."""
    return services.send_due()


@shared_task(name="notices.tasks.prune_notifications")
def prune_notifications() -> int:
    """Daily: messages done with longer ago than NOTICES_KEEP_DAYS (services.prune)."""
    return services.prune()
