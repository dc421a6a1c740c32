"""A person's browser in the browser tests, and the checks run on every page.

Every page a journey opens goes through `Actor.check()`:
- axe-core runs on it; a serious or critical violation fails the test;
- its HTML, as the server sent it, is saved; `test_valid_html.py`, which runs
  last, checks all of them at once with the Nu Html Checker.
"""

import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from playwright.sync_api import expect

BASE_DIR = Path(__file__).resolve().parent.parent
AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PASSWORD = "Correct-horse-battery-9"  # the password of conftest.make_user

VIEWPORTS = {
    # A common phone (CSS pixels), with touch: most residents and members use one.
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
    # An office computer's screen.
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}

# axe-core impacts that fail a test; "moderate" and "minor" ones are listed at the end of the run.
FAILING_IMPACTS = {"serious", "critical"}
# E2E_AXE_REPORT_ONLY=1: list the failing findings at the end instead of failing (to see them all at once).
REPORT_ONLY = os.environ.get("E2E_AXE_REPORT_ONLY") == "1"

AXE_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
    }));
}"""


def zh(message, context=None):
    """The Chinese the page shows for an English message id (or a lazy label)."""
    with translation.override("zh-hans"):
        if context:
            return str(translation.pgettext(context, message))
        return str(translation.gettext(message) if isinstance(message, str) else message)


def zh_n(singular, plural, number, **values):
    """The Chinese of a counted message (`{% blocktranslate count counter=... %}`)."""
    with translation.override("zh-hans"):
        return translation.ngettext(singular, plural, number) % {"counter": number, **values}


def en(message):
    with translation.override("en"):
        return str(message)


def jpeg_bytes(size=(320, 240)):
    """A small, real JPEG: the upload check reads the content, not the name."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (200, 60, 40))
    ImageDraw.Draw(image).rectangle([40, 40, size[0] - 40, size[1] - 40], fill=(250, 220, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def slug(url):
    path = re.sub(r"^https?://[^/]+", "", url).split("#")[0]
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"


@dataclass
class Findings:
    """What the checks saw over the whole run."""

    pages_dir: Path
    pages: dict = field(default_factory=dict)  # saved file name -> URL
    minor: dict = field(default_factory=dict)  # (rule, impact, help) -> paths where axe-core saw it


class Actor:
    """One person's browser: a context of its own (own cookies, own session)."""

    def __init__(self, context, findings, label):
        self.context = context
        self.page = context.new_page()
        self.findings = findings
        self.label = label
        self._documents = []
        self.page.on("response", self._on_response)

    def _on_response(self, response):
        if response.request.resource_type == "document" and response.frame == self.page.main_frame:
            self._documents.append(response)

    # Navigation: each step lands on a page, which is then checked.

    def goto(self, path, status=200):
        response = self.page.goto(path)
        assert response.status == status, f"{path}: HTTP {response.status}"
        return self.check()

    def click(self, locator):
        """Click a link or a button that loads a new page."""
        with self.page.expect_navigation():
            locator.click()
        return self.check()

    def submit(self, name):
        """Press the button called `name` (its whole visible name)."""
        return self.click(self.page.get_by_role("button", name=name, exact=True))

    def follow(self, name):
        return self.click(self.page.get_by_role("link", name=name, exact=True).first)

    def _open_menu(self):
        """The top menu; on a phone, opened with its button first."""
        toggler = self.page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            expect(self.page.locator("#mainnav")).to_be_visible()
        return self.page.locator("#mainnav")

    def menu(self, name):
        """Open a page from a link of the top menu."""
        return self.click(self._open_menu().get_by_role("link", name=name, exact=True))

    def menu_button(self, name):
        """Press a button of the top menu (the language switch)."""
        return self.click(self._open_menu().get_by_role("button", name=name, exact=True))

    def check(self):
        """axe-core on the page shown now; its HTML saved for the Nu Html Checker."""
        page = self.page
        page.wait_for_load_state("load")
        self._save_html()
        violations = page.evaluate(AXE_RUN)
        where = slug(page.url)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        for violation in violations:
            if violation["impact"] not in FAILING_IMPACTS:
                key = (violation["id"], violation["impact"], violation["help"])
                self.findings.minor.setdefault(key, set()).add(where)
        if failing and REPORT_ONLY:
            for violation in failing:
                key = (violation["id"], violation["impact"], violation["help"] + " " + violation["nodes"][0]["html"][:160])
                self.findings.minor.setdefault(key, set()).add(where)
            return self
        assert not failing, f"axe-core on {page.url} ({self.label}):\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})\n"
            + "\n".join(f"    {n['target']}: {n['html'][:200]}\n      {n['summary']}" for n in v["nodes"])
            for v in failing
        )
        return self

    def _save_html(self):
        if not self._documents:
            return
        response = self._documents[-1]
        if response.status >= 300 or "text/html" not in (response.headers.get("content-type") or ""):
            return
        html = response.text()
        # The same page with another CSRF token is the same page.
        same = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        name = f"{slug(response.url)[:80]}-{hashlib.sha1(same.encode()).hexdigest()[:10]}.html"
        if name not in self.findings.pages:
            (self.findings.pages_dir / name).write_text(html, encoding="utf-8")
            self.findings.pages[name] = response.url

    # Forms and what the page says

    def field(self, label):
        """The form field labelled `label` (a required field's label ends with "*")."""
        return self.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))

    def fill(self, label, value):
        self.field(label).fill(value)

    def choose(self, label):
        """Tap a radio button or a checkbox by its label, as a person does (on the
        residents' pages the whole box around it is the label's tap area)."""
        box = self.field(label)
        self.page.locator(f"label[for='{box.get_attribute('id')}']").click()
        expect(box).to_be_checked()

    def tick(self, box):
        """Tick a checkbox (a locator) by tapping its label."""
        self.page.locator(f"label[for='{box.get_attribute('id')}']").click()
        expect(box).to_be_checked()

    def tick_consents(self):
        """Tick every consent box of the form on the page (there may be several)."""
        boxes = self.page.locator("main form input[type=checkbox][name*=consent]")
        assert boxes.count() >= 1, "no consent box on the form"
        for index in range(boxes.count()):
            self.tick(boxes.nth(index))

    def message(self):
        """The first message shown at the top of the page (after a POST)."""
        return self.page.locator("main .alert").first


class Browse:
    """Opens a browser for each person of a journey, at the test's viewport."""

    def __init__(self, browser, base_url, viewport, findings, **context_args):
        self.browser = browser
        self.base_url = base_url
        self.viewport = viewport
        self.findings = findings
        self.context_args = {**VIEWPORTS.get(viewport, {}), **context_args}
        self.contexts = []

    def resident(self, label="resident", **extra):
        context = self.browser.new_context(base_url=self.base_url, locale="zh-CN", **{**self.context_args, **extra})
        context.set_default_timeout(10_000)
        # axe-core goes into every page from outside (as devtools would), so the
        # portal's Content-Security-Policy stays as strict as in production.
        context.add_init_script(path=str(AXE_JS))
        self.contexts.append(context)
        return Actor(context, self.findings, f"{label}, {self.viewport}")

    def login(self, user, password=PASSWORD):
        actor = self.resident(label=user.username)
        actor.goto("/accounts/login/")
        actor.page.locator("input[name=username]").fill(user.username)
        actor.page.locator("input[name=password]").fill(password)
        actor.submit(zh("Log in"))
        assert "/accounts/login/" not in actor.page.url, f"the login of {user.username} failed"
        return actor

    def close(self):
        for context in self.contexts:
            context.close()
