"""`manage.py report --from 2023-01-01 --to 2023-12-31 [--community CODE] --format json|table`"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from office.reports import HEADLINE_KEYS, figures
from portal.dates import EARLIEST, LATEST, in_range
from portal.models import Community


def _date(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None
    if not in_range(day):
        raise CommandError(f"Out of range (the portal counts days from {EARLIEST} to {LATEST}): {value}")
    return day


class Command(BaseCommand):
    help = "Print the community's figures for a period, computed from the records."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD (included)")
        parser.add_argument("--community", help="community code; all communities when left out")
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, start, end, community, format, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("--to is before --from.")
        community_ids = None
        if community:
            found = Community.objects.filter(code=community).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No community with the code {community!r}.")
            community_ids = [found]
        result = figures(start, end, community_ids=community_ids)
        if format == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        width = max(len(key) for key in HEADLINE_KEYS)
        scope = community or "all communities"
        self.stdout.write(f"{scope}, {start} to {end}")
        for key in HEADLINE_KEYS:
            value = result[key]
            shown = f"{value:.1%}" if key == "reporting_rate" else f"{value:g}" if isinstance(value, float) else str(value)
            self.stdout.write(f"  {key.ljust(width)}  {shown}")
