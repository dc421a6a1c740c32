from django.core.management.base import BaseCommand, CommandError

from volunteers import tallies


class Command(BaseCommand):
    help = (
        "Compare every event's tally (attendances, approved hours) with a count of its "
        "participations and recount those that differ; --check only reports them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report stale tallies and exit 1 if any; change nothing.")

    def handle(self, *args, check=False, **options):
        stale = tallies.stale()
        if not stale:
            self.stdout.write("Every event's tally matches its participations.")
            return
        shown = ", ".join(str(pk) for pk in stale[:20]) + (" ..." if len(stale) > 20 else "")
        if check:
            raise CommandError(f"{len(stale)} event tallies differ from their participations: events {shown}")
        tallies.recount(stale)
        self.stdout.write(f"Recounted {len(stale)} event tallies (events {shown}).")
