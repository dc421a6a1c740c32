"""Browser tests: the portal in headless Chromium, used as residents, members,
grid workers and staff use it, against pytest-django's live server.

`make test` runs them after the rest of the suite (`.venv/bin/pytest e2e`), on
SQLite and, in CI, on PostgreSQL. They need Debian's chromium, fonts-noto-cjk,
a Java runtime and the npm packages of package.json (axe-core, vnu-jar);
`make e2e-deps` installs what is missing.

The journeys run at a phone's viewport and at a desktop's (`viewport`), in
Chinese, the portal's language: texts are looked up in the translation
catalogue (`zh("...")`), so a reworded translation does not break a test, but
an untranslated or wrong text on the page does. See browsing.py for the checks
(axe-core, HTML) made on every page.
"""

import os
from pathlib import Path

import pytest

from e2e.browsing import AXE_JS, VIEWPORTS, Browse, Findings

# Playwright's synchronous API runs an event loop in this thread, and Django's
# ORM refuses to run beside one unless told it is safe. It is: the test's code
# and the browser's calls never run at the same time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_findings = None  # of this run, for the summary at the end


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, not a browser downloaded by `playwright install`."""
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: run `make e2e-deps`.", returncode=3)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _browser_test_settings(settings, tmp_path):
    """The suite runs with DEBUG off, hence Secure cookies; the live server
    speaks plain http, over which a browser would not send them back."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def findings(tmp_path_factory):
    global _findings
    _findings = Findings(pages_dir=tmp_path_factory.mktemp("pages"))
    return _findings


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def browse(browser, live_server, viewport, findings):
    """`browse.resident()`, `browse.login(user)`: a person's browser at the test's viewport."""
    if not AXE_JS.exists():
        pytest.exit(f"{AXE_JS} is missing: run `make e2e-deps`.", returncode=3)
    browsing = Browse(browser, live_server.url, viewport, findings)
    yield browsing
    browsing.close()


@pytest.fixture
def builtin_kind(db):
    """`builtin_kind(code)`: migration 0002 makes the built-in event kinds, but the
    flush after each live-server test removes them."""
    from volunteers.models import BUILTIN_KINDS, EventKind

    def _kind(code):
        label, special = BUILTIN_KINDS[code]
        kind, _created = EventKind.objects.get_or_create(
            community=None, code=code, defaults={"name": str(label), "is_special_service": special}
        )
        return kind

    return _kind


def pytest_collection_modifyitems(items):
    """The HTML check reads the pages that the journeys saved: it runs last."""
    last = [item for item in items if item.module.__name__.endswith("test_valid_html")]
    items[:] = [item for item in items if item not in last] + last


def pytest_terminal_summary(terminalreporter):
    if _findings is None:
        return
    write = terminalreporter.write_line
    write(f"e2e: {len(_findings.pages)} distinct pages checked by axe-core and saved for the Nu Html Checker.")
    if _findings.minor:
        write("axe-core findings that do not fail a test (moderate and minor impact):")
        for (rule, impact, help_text), paths in sorted(_findings.minor.items()):
            write(f"  {impact:8} {rule}: {help_text} ({', '.join(sorted(paths)[:4])})")
