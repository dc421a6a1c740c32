from django.core.management.base import BaseCommand, CommandError

from grid import reminders as appeal_reminders
from office.digest import send_daily_digest, send_weekly_unit_summaries
from volunteers.reminders import remind_events
from wishes import reminders as wish_reminders


class Command(BaseCommand):
    help = (
        "The scheduled notifications, for hosts without a Celery worker (cron): --reminders hourly "
        "(tomorrow's events, wishes due within a day, ratings asked again), --digest daily at 08:00, --weekly on Mondays."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reminders", action="store_true")
        parser.add_argument("--digest", action="store_true")
        parser.add_argument("--weekly", action="store_true")

    def handle(self, *args, reminders=False, digest=False, weekly=False, **options):
        if not (reminders or digest or weekly):
            raise CommandError("Say which: --reminders, --digest or --weekly.")
        done = []
        if reminders:
            done.append(f"event reminders {remind_events()}, deadline reminders {wish_reminders.remind_deadlines()}")
            rating_requests = appeal_reminders.ask_for_ratings() + wish_reminders.ask_for_ratings()
            done.append(f"rating requests {rating_requests}")
        if digest:
            done.append(f"digests {send_daily_digest()}")
        if weekly:
            done.append(f"unit summaries {send_weekly_unit_summaries()}")
        self.stdout.write("; ".join(done))
