"""Screenshots of the main pages for the README: `make screenshots`.

Builds the demo community (`seed_demo`) in a throw-away SQLite database, serves
it with `manage.py runserver` on a free port, and photographs each page at a
phone's viewport and at a desktop's with Debian's Chromium (Chinese in Noto
Sans CJK, from fonts-noto-cjk). The pictures go to docs/screenshots/ as
256-colour PNGs, small enough to commit.

    .venv/bin/python e2e/screenshots.py [--out docs/screenshots] [--only home,wall]
"""

import argparse
import io
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
YEAR = "?from=2023-01-01&to=2023-12-31"

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
}
# The longest part of a page that is kept, in CSS pixels (the rest is cut off).
MAX_HEIGHT = {"phone": 1400, "desktop": 1100}

# name: (who looks, how to find the page). Paths are computed in the Django
# process that has the demo database (see PATHS_SCRIPT).
PAGES = {
    "home": (None, "/"),
    "wish-wall": (None, "/wishes/"),
    "wish-form": (None, "/wishes/new/"),
    "dashboard": ("staff", "/dashboard/" + YEAR),
    "member-list": ("staff", "/grid/members/"),
    "wish-detail": ("staff", "wish"),
    "event": ("member", "event"),
    "work-summary": ("staff", "/dashboard/summary/" + YEAR),
}

# Run inside `manage.py shell`: the addresses of one record of each kind.
PATHS_SCRIPT = """
from django.utils import timezone
from volunteers.models import VolunteerEvent
from wishes.models import MicroWish
wish = MicroWish.objects.filter(status="fulfilled").exclude(thank_you_note="").exclude(delivery_note="").order_by("-fulfilled_at").first()
event = VolunteerEvent.objects.filter(status="planned", starts_at__gt=timezone.now()).order_by("starts_at").first()
print(wish.get_absolute_url())
print("/volunteers/events/%d/public/" % event.pk)
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, **kwargs)


def _wait_for(url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("The development server stopped; see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The development server did not answer at {url}.")


def _small_png(png: bytes, path: Path):
    """256 colours: a screenshot of text and flat colours keeps its look at a third of the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def _login(context, base, username, password):
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    if "/accounts/login/" in page.url:
        raise SystemExit(f"Could not log in as {username}.")
    page.close()


def shoot(base, password, paths, out: Path, only):
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport, options in VIEWPORTS.items():
            contexts = {}
            for name, (who, where) in PAGES.items():
                if only and name not in only:
                    continue
                if who not in contexts:
                    contexts[who] = browser.new_context(locale="zh-CN", reduced_motion="reduce", **options)
                    if who:
                        _login(contexts[who], base, who, password)
                page = contexts[who].new_page()
                page.goto(base + paths.get(where, where))
                page.wait_for_load_state("networkidle")
                top = 0
                if name == "dashboard":  # the charts: let Chart.js draw them
                    page.locator("#charts-heading").scroll_into_view_if_needed()
                    page.wait_for_timeout(800)
                    if viewport == "phone":  # below the figures on a phone: start at the charts
                        top = page.evaluate("document.getElementById('charts-heading').getBoundingClientRect().top + scrollY - 16")
                    page.evaluate("window.scrollTo(0, 0)")
                page.evaluate("document.fonts.ready")
                height = min(page.evaluate("document.documentElement.scrollHeight") - top, MAX_HEIGHT[viewport])
                width = options["viewport"]["width"]
                png = page.screenshot(full_page=True, clip={"x": 0, "y": top, "width": width, "height": height})
                path = out / f"{name}-{viewport}.png"
                _small_png(png, path)
                print(f"  {path}  {path.stat().st_size // 1024} KB")
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(BASE_DIR / "docs" / "screenshots"))
    parser.add_argument("--only", default="", help="comma-separated page names: " + ", ".join(PAGES))
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}

    password = "Shot-" + secrets.token_urlsafe(9)
    with tempfile.TemporaryDirectory(prefix="portal-screens-") as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"},
            "DJANGO_DEBUG": "1",
            "SQLITE_PATH": f"{tmp}/demo.sqlite3",
            "DJANGO_CACHE_DIR": f"{tmp}/cache",
            "DJANGO_MEDIA_ROOT": f"{tmp}/media",
            "PYTHONUNBUFFERED": "1",
        }
        print("Building the demo community in a temporary database...")
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo", "--password", password, stdout=subprocess.DEVNULL)
        found = _manage(env, "shell", "-v", "0", "-c", PATHS_SCRIPT, capture_output=True, text=True).stdout.split()
        wish_path, event_path = found[-2:]
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base + "/healthz", server)
            print(f"Taking the screenshots ({base})...")
            shoot(base, password, {"wish": wish_path, "event": event_path}, Path(args.out), only)
        finally:
            server.terminate()
            server.wait(timeout=10)
    total = sum(path.stat().st_size for path in Path(args.out).glob("*.png"))
    print(f"Done: {total / 1024 / 1024:.2f} MB in {args.out}.")


if __name__ == "__main__":
    main()
