from django.core.management.base import BaseCommand

from notices import services


class Command(BaseCommand):
    help = (
        "Send the notifications that are due (retries, messages held over quiet hours), and delete "
        "old ones with --prune. For hosts without a Celery worker: run it every minute from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Also delete messages older than NOTICES_KEEP_DAYS.")

    def handle(self, *args, prune=False, **options):
        counts = services.send_due()
        while counts["sent"] + counts["retry"] + counts["failed"] + counts["skipped"] >= 200:  # a full batch: more may wait
            more = services.send_due()
            counts = {key: counts[key] + more[key] for key in counts}
            if not any(more.values()):
                break
        line = ", ".join(f"{key} {value}" for key, value in counts.items())
        if prune:
            line += f", deleted {services.prune()}"
        self.stdout.write(line)
