"""The limit on tracking-code look-ups (portal/tracking.py, portal/throttle.py).

Every request that names a code on the wish or the appeal tracking page counts
against its address, whatever the path (the look-up form, a code in the URL, a
confirm / reopen / close) and whether the code is right, wrong or malformed:
10 answer, the 11th gets 429 with the reason on the usual page. Wrong phone
digits also count against the code, from any address.
"""

import time
import types

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.urls import reverse

from grid.models import Appeal
from grid.services_work import appeal_answer, appeal_submit
from portal import throttle
from wishes.models import MicroWish
from wishes.services import wish_approve, wish_claim, wish_deliver, wish_submit

PHONE = "13700001111"
RIGHT, WRONG = PHONE[-4:], "9999"
UNKNOWN_CODE = "ABCDEFGHJK"  # well-formed, no such submission (checked in the fixture)
OTHER_CODE = "KJHGFEDCBA"
TRACK = {"wish": reverse("wishes:track"), "appeal": reverse("grid:appeal_track")}
TITLE = {"wish": "给孙子买一个书包", "appeal": "2号门路灯坏了"}
SESSION_KEY = {"wish": "tracked_wish", "appeal": "tracked_appeal"}
TOO_MANY_LOOKUPS = "Too many lookups from this network. Please wait 10 minutes or call the community office."
TOO_MANY_FOR_CODE = (
    "This code was tried with wrong phone digits too many times. Please wait 24 hours or call the community office."
)
WINDOW = 600


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def records(community_a, cell_a, staff_a, member_user_a):
    """A delivered wish (the resident may confirm it) and an answered appeal (close or reopen)."""
    wish = wish_submit(wish=MicroWish(
        community=community_a, grid_cell=cell_a, category=MicroWish.Category.STUDY, title=TITLE["wish"],
        description="孙子今年上一年级。", wisher_name="王秀英", wisher_phone=PHONE,
    ))
    wish = wish_approve(wish=wish, by=staff_a)
    wish = wish_claim(wish=wish, by=member_user_a)
    wish = wish_deliver(wish=wish, by=member_user_a, note="书包已送到")
    appeal = appeal_submit(appeal=Appeal(
        community=community_a, grid_cell=cell_a, category=Appeal.Category.FACILITIES, title=TITLE["appeal"],
        description="晚上很黑。", resident_name="王秀英", resident_phone=PHONE,
    ))
    appeal = appeal_answer(appeal=appeal, by=staff_a, answer="已联系物业，明天修好。")
    assert not {UNKNOWN_CODE, OTHER_CODE} & {wish.code, appeal.code}
    return {"wish": wish, "appeal": appeal}


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, in the middle of a window; `clock.now` moves it."""
    fake = types.SimpleNamespace(now=WINDOW * 3_000_000 + WINDOW / 2)
    monkeypatch.setattr(throttle, "time", types.SimpleNamespace(time=lambda: fake.now))
    return fake


# Every way a request names a code on the two pages: (kind, how).


def post_lookup(client, kind, code, digits, **extra):
    return client.post(TRACK[kind], {"code": code, "phone_last4": digits}, **extra)


def code_in_url(client, kind, code, digits, **extra):
    return client.get(TRACK[kind], {"code": code, "phone_last4": digits}, **extra)


def action(url_name):
    def attempt(client, kind, code, digits, **extra):
        return client.post(reverse(url_name), {"code": code, "reason": "灯还是不亮"}, **extra)

    return attempt


# name: (kind, how, whether the right code makes it act on the record)
PATHS = {
    "wish lookup": ("wish", post_lookup, False),
    "wish code in URL": ("wish", code_in_url, False),
    "wish confirm": ("wish", action("wishes:track_confirm"), True),
    "appeal lookup": ("appeal", post_lookup, False),
    "appeal code in URL": ("appeal", code_in_url, False),
    "appeal reopen": ("appeal", action("grid:appeal_track_reopen"), True),
    "appeal close": ("appeal", action("grid:appeal_track_close"), True),
}


def tries(record, acts):
    """Nine tries that all count: right and wrong codes and digits, well-formed or not
    (on a confirm / reopen / close only other codes: the right one would act)."""
    code = OTHER_CODE if acts else record.code
    return [
        (code, WRONG), (UNKNOWN_CODE, RIGHT), ("ABC", RIGHT), (code.lower(), "12x4"), (UNKNOWN_CODE, WRONG),
        ("", ""), ("ABCDEFGHJ0", RIGHT), (f"{code[:5]}-{code[5:]}", WRONG), (UNKNOWN_CODE.lower(), RIGHT),
    ]


def assert_refused(response, kind, message=TOO_MANY_LOOKUPS):
    assert response.status_code == 429
    html = response.content.decode()
    assert message in html
    # The usual page around it, with the form to try again later.
    templates = {t.name for t in response.templates}
    assert {"base.html", "wishes/public_track.html" if kind == "wish" else "grid/appeal_public_track.html"} <= templates
    assert 'name="phone_last4"' in html


@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
def test_ten_tries_answer_and_the_eleventh_is_refused(client, records, path):
    kind, attempt, acts = PATHS[path]
    record = records[kind]
    status = record.status
    # The resident's own look-up is the first try; the page then shows the record.
    assert post_lookup(client, kind, record.code, RIGHT).status_code == 302
    for code, digits in tries(record, acts):
        assert attempt(client, kind, code, digits).status_code in (200, 302), (code, digits)
    assert TITLE[kind] in client.get(TRACK[kind]).content.decode()  # showing it is no try

    response = attempt(client, kind, record.code, RIGHT)

    # Refused even with the right code and digits: nothing looked up, nothing done.
    assert_refused(response, kind)
    assert TITLE[kind] not in response.content.decode()
    record.refresh_from_db()
    assert record.status == status


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_a_refused_visitor_keeps_the_code_typed_but_not_the_digits(client, records, kind):
    for _ in range(10):
        post_lookup(client, kind, UNKNOWN_CODE, WRONG)
    response = post_lookup(client, kind, records[kind].code, RIGHT)
    assert_refused(response, kind)
    form = response.context["form"]
    assert (form["code"].value(), form["phone_last4"].value()) == (records[kind].code, None)


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_the_limit_counts_wishes_and_appeals_together(client, records, kind):
    for _ in range(5):
        post_lookup(client, "wish", UNKNOWN_CODE, WRONG)
        post_lookup(client, "appeal", UNKNOWN_CODE, WRONG)
    assert_refused(post_lookup(client, kind, records[kind].code, RIGHT), kind)


def test_a_right_lookup_within_the_limit_still_works(client, records):
    for _ in range(9):
        post_lookup(client, "appeal", UNKNOWN_CODE, WRONG)
    assert post_lookup(client, "wish", records["wish"].code, RIGHT).status_code == 302
    assert TITLE["wish"] in client.get(TRACK["wish"]).content.decode()


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_another_address_is_not_affected(client, records, kind):
    for _ in range(11):
        post_lookup(client, kind, UNKNOWN_CODE, WRONG)
    # A made-up X-Forwarded-For does not give a fresh count...
    assert post_lookup(client, kind, records[kind].code, RIGHT, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    # ...another address does.
    assert post_lookup(client, kind, records[kind].code, RIGHT, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert TITLE[kind] in client.get(TRACK[kind], REMOTE_ADDR="10.0.0.2").content.decode()


def test_the_window_passes(client, records, clock):
    for _ in range(10):
        post_lookup(client, "wish", "ABC", WRONG)
    assert post_lookup(client, "wish", "ABC", WRONG).status_code == 429

    clock.now += 2 * WINDOW
    for _ in range(10):
        assert post_lookup(client, "wish", "ABC", WRONG).status_code == 200
    assert post_lookup(client, "wish", "ABC", WRONG).status_code == 429


def test_a_window_boundary_gives_no_fresh_count(client, records, clock):
    """Ten tries in the last second of a window, then the next second: still refused
    (fixed windows alone would let 20 through within two seconds)."""
    clock.now = WINDOW * 3_000_001 - 1
    for _ in range(10):
        assert post_lookup(client, "appeal", UNKNOWN_CODE, WRONG).status_code == 200
    clock.now += 2
    assert post_lookup(client, "appeal", records["appeal"].code, RIGHT).status_code == 429
    # Half a window later, half of the earlier tries have left it.
    clock.now += WINDOW / 2
    assert post_lookup(client, "appeal", records["appeal"].code, RIGHT).status_code == 302


# Wrong digits against one code, from many addresses -----------------------------------------------


def addresses(count):
    return [f"10.1.0.{number}" for number in range(1, count + 1)]


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_ten_wrong_digits_for_a_code_from_any_addresses_close_it_for_a_day(client, records, clock, kind):
    record = records[kind]
    for number, address in enumerate(addresses(10)):
        assert post_lookup(client, kind, record.code, f"{number:04d}", REMOTE_ADDR=address).status_code == 200

    response = post_lookup(client, kind, record.code, RIGHT, REMOTE_ADDR="10.2.0.1")

    assert_refused(response, kind, TOO_MANY_FOR_CODE)
    assert SESSION_KEY[kind] not in client.session
    # Another code from that address answers.
    assert post_lookup(client, kind, UNKNOWN_CODE, RIGHT, REMOTE_ADDR="10.2.0.1").status_code == 200
    # Two days later the code answers again.
    clock.now += 2 * 24 * 3600
    assert post_lookup(client, kind, record.code, RIGHT, REMOTE_ADDR="10.2.0.1").status_code == 302


def test_a_code_that_does_not_exist_is_closed_alike(client, records):
    """The per-code limit tells nothing about whether a code exists."""
    for number, address in enumerate(addresses(10)):
        post_lookup(client, "wish", UNKNOWN_CODE, f"{number:04d}", REMOTE_ADDR=address)
    assert_refused(post_lookup(client, "wish", UNKNOWN_CODE, RIGHT, REMOTE_ADDR="10.2.0.1"), "wish", TOO_MANY_FOR_CODE)


def test_right_lookups_do_not_count_against_the_code(client, records):
    for address in addresses(12):
        assert post_lookup(client, "wish", records["wish"].code, RIGHT, REMOTE_ADDR=address).status_code == 302


# The counts on the cache the portal runs with ---------------------------------------------------


def test_counts_survive_an_emptied_figures_cache(client, records):
    """The figures cache is culled when full (300 entries): the counts are kept elsewhere."""
    for _ in range(10):
        post_lookup(client, "wish", UNKNOWN_CODE, WRONG)
        caches["default"].clear()
    assert post_lookup(client, "wish", UNKNOWN_CODE, WRONG).status_code == 429


def test_file_cache_keeps_a_count_for_its_whole_window(settings, tmp_path, monkeypatch):
    """The file cache's incr() rewrites an entry with the default timeout (300 s): the
    count must not be forgotten 5 minutes into a 10-minute window."""
    settings.CACHES = {
        **settings.CACHES,
        throttle.CACHE_ALIAS: {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)},
    }
    now = [WINDOW * 3_000_000 + 1.0]
    monkeypatch.setattr(time, "time", lambda: now[0])  # the cache's expiry and the throttle alike
    for _ in range(10):
        assert throttle.hit_name("test", "10.0.0.1", 10, WINDOW)
    now[0] += 301
    assert not throttle.hit_name("test", "10.0.0.1", 10, WINDOW)
