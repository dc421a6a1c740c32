"""Background jobs of volunteer service (Celery; inline without a broker)."""

from celery import shared_task

from volunteers.reminders import remind_events


@shared_task(name="volunteers.tasks.remind_events")
def remind_events_task() -> int:
    """Hourly: tomorrow's events to the members signed up for them."""
    return remind_events()
