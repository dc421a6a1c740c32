"""`manage.py report --from 2023-01-01 --to 2023-12-31 [--community CODE] --format json|table`

With `--rates`: the 接诉即办 three rates of appeals and wishes instead (office/rates.py),
the whole and `--by cell|community` rows."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from office.rates import KINDS, RATE_KEYS, service_rates, service_rates_by
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
        parser.add_argument("--rates", action="store_true", help="the three rates of appeals and wishes (response, resolution, satisfaction)")
        parser.add_argument("--by", choices=["cell", "community"], help="with --rates: a row per grid cell or per community")

    def handle(self, *args, start, end, community, format, rates=False, by=None, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("--to is before --from.")
        community_ids = None
        if community:
            found = Community.objects.filter(code=community).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No community with the code {community!r}.")
            community_ids = [found]
        if by and not rates:
            raise CommandError("--by goes with --rates.")
        if rates:
            self._rates(start, end, community_ids, community or "all communities", format, by)
            return
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

    def _rates(self, start, end, community_ids, scope, format, by):
        total = service_rates(start, end, community_ids=community_ids)
        rows = []
        if by:
            _total, rows = service_rates_by(start, end, community_ids=community_ids, by="grid_cell" if by == "cell" else "community")
        if format == "json":
            self.stdout.write(json.dumps({"total": total, "rows": rows}, ensure_ascii=False, indent=2, default=str))
            return
        self.stdout.write(f"{scope}, {start} to {end}: received, responded in time, resolved, rated, satisfied + basically")
        for name, values in [("total", total), *((str(row["name"]), {kind: row[kind] for kind in KINDS}) for row in rows)]:
            self.stdout.write(f"  {name}")
            for kind in KINDS:
                r = values[kind]
                shown = "  ".join(f"{key} {_rate(r[key])}" for key in RATE_KEYS)
                counts = f"{r['received']} / {r['responded_in_time']} / {r['resolved']} / {r['rated']} / {r['satisfied'] + r['basically']}"
                self.stdout.write(f"    {kind:<8} {counts:<22} {shown}")


def _rate(value) -> str:
    return "-" if value is None else f"{value:.1%}"
