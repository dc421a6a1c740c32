"""Background jobs of micro-wishes (Celery; inline without a broker)."""

from celery import shared_task

from wishes.reminders import remind_deadlines


@shared_task(name="wishes.tasks.remind_deadlines")
def remind_deadlines_task() -> int:
    """Hourly: the holders of claimed wishes due within a day."""
    return remind_deadlines()
