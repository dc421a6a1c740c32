"""`manage.py bench`: how fast the portal's pages are on the current database.

See bench/__init__.py for what is measured and bench/RESULTS.md for results.
Development tool: it signs users in without their password (force_login) and
starts gunicorn on 127.0.0.1:8320-8329 for a few seconds per page.
"""

import datetime
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from bench import load, pages, report, transfer
from portal.models import User

ROLES = ("staff", "admin", "member")  # the default; "street" (a street's area admin) on request
ALL_ROLES = ("staff", "admin", "street", "member")
KINDS = ("list", "detail", "dashboard", "form", "download")
TARGET_QUERIES = 15
TARGET_MEDIAN_MS, TARGET_P95_MS = 100, 250
TARGET_ADMIN_DASHBOARD_MS = 1000
TARGET_STREET_DASHBOARD_MS = 300
TARGET_RATIO = 0.2
TARGET_TRANSFER_KB = 150
BUSIEST = "volunteers:event_list"


class Command(BaseCommand):
    help = "Measure every page (queries, median and p95 time, size), the rates under gunicorn + wrk, and the wish form's transfer size."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page (default 20).")
        parser.add_argument("--format", choices=["table", "markdown"], default="table")
        parser.add_argument("--roles", default=",".join(ROLES), help="Comma-separated: staff, admin, street, member.")
        parser.add_argument("--staff", default="staff", help="User name of the community staff user (default: staff).")
        parser.add_argument("--admin", default="admin", help="User name of the area admin (default: admin).")
        parser.add_argument(
            "--street", default="street",
            help="User name of a street's area admin, for the street role (the city data set: city-d01-s01-admin).",
        )
        parser.add_argument("--member", default="member", help="User name of the party member (default: member).")
        parser.add_argument("--kinds", default="list,detail,dashboard,form", help=f"Kinds of page: {', '.join(KINDS)}.")
        parser.add_argument("--only", default="", help="Only pages whose URL name contains this.")
        parser.add_argument("--no-load", action="store_true", help="Skip gunicorn + wrk.")
        parser.add_argument("--no-transfer", action="store_true", help="Skip the wish form's transfer size.")
        parser.add_argument("--seconds", type=int, default=5, help="Seconds of each wrk run (default 5).")
        parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4).")
        parser.add_argument(
            "--busiest", default=BUSIEST,
            help=f"URL name of the staff list for wrk (default {BUSIEST}: its page counts sign-ups and attendances "
            "over the largest table, participations).",
        )

    def handle(self, *args, **options):
        md = options["format"] == "markdown"
        table = report.Table(md)
        out = self.stdout.write
        pages.set_debug_off()
        roles = [r.strip() for r in options["roles"].split(",") if r.strip()]
        users = {}
        for role in roles:
            if role not in ALL_ROLES:
                raise CommandError(f"Unknown role {role!r}: choose from {', '.join(ALL_ROLES)}.")
            user = User.objects.filter(username=options[role]).first()
            if user is None:
                raise CommandError(f"No user {options[role]!r} (run `manage.py seed_demo` first, or pass --{role}).")
            users[role] = user
        kinds = {k.strip() for k in options["kinds"].split(",")}
        # The figures cache starts empty, so that "first ms" of the dashboards is a cold one.
        cache.clear()

        out(report.heading(f"Benchmark {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC", md, 2))
        out("")
        out(f"- Database: {self.database()}")
        out(f"- Data: {self.data_summary()}")
        out(f"- Machine: {report.machine()}; load average (1/5/15 min) at the start: {report.load_average()}")
        out("- Users: " + ", ".join(f"{role} = `{user.username}`" for role, user in users.items()))
        out("")

        began = time.monotonic()
        results = pages.run_pages(users, options["repeat"], kinds, options["only"], log=lambda line: self.stderr.write(line))
        out(report.heading(f"Pages: {options['repeat']} timed requests each, in-process (Django test client, DEBUG off)", md, 3))
        out("")
        out(f"Load average after {time.monotonic() - began:.0f} s of requests: {report.load_average()}. "
            "`first ms`: the first request (empty figures cache); median and p95 over the timed ones; "
            "`n`: timed requests (3 for a page whose first request took over a second); "
            "`queries`: SQL queries of one more request.")
        out("")
        out(report.pages_table(results, table))
        skipped = report.skipped(results)
        if skipped:
            out("")
            out("Not measured (the role may not open them, or no record of that kind in its scope): " + "; ".join(skipped))
        out("")
        out(report.heading("Targets", md, 3))
        out("")
        for line in self.targets(results):
            out(f"- {line}")

        if not options["no_transfer"]:
            out("")
            out(report.heading("The resident's wish form, as transferred", md, 3))
            out("")
            out(self.transfer(table))

        if not options["no_load"]:
            out("")
            out(report.heading("Under load: gunicorn (2 workers) + wrk, loopback", md, 3))
            out("")
            out(self.load(results, users, options, table))

    # ------------------------------------------------------------------------------

    def database(self) -> str:
        db = settings.DATABASES["default"]
        name = Path(db["NAME"]).name if connection.vendor == "sqlite" else db["NAME"]
        return f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version} ({name})"

    def data_summary(self) -> str:
        from grid.models import Appeal, PartyMember, VisitLog
        from portal.models import Community
        from volunteers.models import Participation, VolunteerEvent
        from wishes.models import MicroWish

        counts = [
            ("communities", Community), ("members", PartyMember), ("wishes", MicroWish), ("events", VolunteerEvent),
            ("attendances", Participation), ("visits", VisitLog), ("appeals", Appeal),
        ]
        return ", ".join(f"{model.objects.count():,} {label}" for label, model in counts)

    def targets(self, results) -> list[str]:
        ok = [r for r in results if r.status == 200]
        lines = []
        worst = max(ok, key=lambda r: r.queries, default=None)
        over = [f"{r.role} {r.name} ({r.queries})" for r in ok if r.queries > TARGET_QUERIES]
        lines.append(
            f"Queries ≤ {TARGET_QUERIES} on every page: {'met' if not over else 'MISSED'}; most: "
            f"{worst.queries if worst else 0} ({worst.role} {worst.name})" + (f"; over: {', '.join(over)}" if over else "")
            if worst else "no pages"
        )
        for role in ("staff", "admin", "street"):
            mine = [r for r in ok if r.role == role]
            if not mine:
                continue
            slow = [f"{r.name} ({r.median_ms:.0f}/{r.p95_ms:.0f} ms)" for r in mine
                    if r.median_ms >= TARGET_MEDIAN_MS or r.p95_ms >= TARGET_P95_MS]
            slowest = max(mine, key=lambda r: r.median_ms)
            lines.append(
                f"{role} pages median < {TARGET_MEDIAN_MS} ms and p95 < {TARGET_P95_MS} ms: "
                f"{len(mine) - len(slow)} of {len(mine)} met; slowest median {slowest.median_ms:.0f} ms ({slowest.name})"
                + (f"; missed: {', '.join(slow)}" if slow else "")
            )
        dashboards = (
            ("admin", "Area admin's dashboard (their whole area, this year)", TARGET_ADMIN_DASHBOARD_MS),
            ("street", "Street admin's dashboard (their street, this year)", TARGET_STREET_DASHBOARD_MS),
        )
        for role, label, target in dashboards:
            dash = next((r for r in ok if r.role == role and r.name == "office:dashboard"), None)
            if dash:
                verdict = "met" if dash.first_ms < target else "MISSED"
                cached = "met" if dash.median_ms < TARGET_MEDIAN_MS else "MISSED"
                lines.append(
                    f"{label} < {target} ms with an empty figures cache: {verdict}: {dash.first_ms:.0f} ms; "
                    f"once cached, median < {TARGET_MEDIAN_MS} ms: {cached}: {dash.median_ms:.0f} ms"
                )
        return lines

    def transfer(self, table) -> str:
        with tempfile.TemporaryDirectory(prefix="bench-static-") as root:
            transfer.collectstatic(Path(root))
            html = pages.make_client().get(reverse("wishes:new")).content.decode()
            rows = transfer.page_transfer(html, Path(root))
        total = sum(r[2] for r in rows) / 1024
        verdict = "met" if total < TARGET_TRANSFER_KB else "MISSED"
        return (f"{reverse('wishes:new')} with its CSS and JS, gzip (whitenoise's .gz copies after collectstatic; "
                f"the HTML at gzip level 6): {total:.1f} KB, target < {TARGET_TRANSFER_KB} KB: {verdict}.\n\n"
                + report.transfer_table(rows, table))

    def load(self, results, users, options, table) -> str:
        if load.wrk_path() is None:
            return "wrk is not installed: `make bench` installs it (or `apt-get install -y wrk`). Skipped."
        secret = secrets.token_urlsafe(50)
        settings.SECRET_KEY = secret  # the sessions made here must be valid for gunicorn
        cookies = {}
        for role in ("staff", "admin"):
            if role in users:
                client = pages.make_client(users[role])
                cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        busiest = options["busiest"]
        targets = [("wish wall (anonymous)", reverse("wishes:wall"), "")]
        if "staff" in cookies:
            targets.insert(0, ("dashboard (staff)", reverse("office:dashboard"), cookies["staff"]))
            targets.append((f"{busiest} (staff)", reverse(busiest), cookies["staff"]))
        if "admin" in cookies:
            targets.append(("dashboard (area admin)", reverse("office:dashboard"), cookies["admin"]))
        before = report.load_average()
        rates = load.run_load(targets, secret, options["seconds"], options["connections"], log=lambda line: self.stderr.write(line))
        lines = [
            f"Load average before: {before}, after: {report.load_average()}. wrk -t1 -c{options['connections']} "
            f"-d{options['seconds']}s on the same 2-core machine as the server (wrk takes part of a core).",
            "",
            report.load_table(rates, table),
            "",
        ]
        for rate in rates:
            if rate.label.startswith(("dashboard (staff)", "wish wall")):
                verdict = "met" if rate.ratio >= TARGET_RATIO else "MISSED"
                lines.append(f"- {rate.label}: {rate.ratio:.2f} of /healthz (target ≥ {TARGET_RATIO}): {verdict}")
        return "\n".join(lines)

