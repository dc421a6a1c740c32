"""No personal data on public pages.

With the demo data seeded, every page anyone may open without an account (the
anonymous-200 pages of the access registry, with the demo's records and a few
query strings, every page of the lists), and the tracking pages after a lookup
with code and phone digits, are scanned for:

- an 11-digit mainland mobile number;
- the full name of a resident who made a wish or an appeal, or of a resident of a
  special-group case or a proxy errand (the masked form 王* is fine);
- a door or room: the address details of wishes, appeals, cases and errands, and
  anything shaped like a door: 3单元502室, 3-2-501.
"""

import io
import re
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from council import services as council_services
from council.models import ProxyService, Topic
from grid import services_work
from grid.models import Appeal
from notices.models import Notification
from notices.services import stop_token_of
from portal.models import Community
from portal.tests.test_url_access import REGISTRY
from volunteers.models import SpecialGroupCase, VolunteerEvent
from wishes import services as wish_services
from wishes.models import MicroWish

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# A door: 3单元502室, 5号楼2单元301室, 3-2-501 (a stairwell such as 2号楼2单元 is no one's home).
DOORS = [
    re.compile(r"\d+\s*单元\s*\d+\s*室"),
    re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}-\d{3,4}(?![\d-])"),
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# The demo records each public page with arguments is opened for.
DEMO_KWARGS = {
    "grid:member_register": lambda: [{"code": code} for code in Community.objects.values_list("code", flat=True)],
    "grid:member_register_done": lambda: [{"code": code} for code in Community.objects.values_list("code", flat=True)],
    "wishes:poster": lambda: [{"code": code} for code in Community.objects.values_list("code", flat=True)],
    "volunteers:event_public": lambda: [{"pk": pk} for pk in VolunteerEvent.objects.values_list("pk", flat=True)],
    "council:public_topic": lambda: [{"pk": pk} for pk in Topic.objects.public().values_list("pk", flat=True)],
    "notices:stop": lambda: [{"token": stop_token_of(note)} for note in _demo_sms()],
}


def _demo_sms():
    """An SMS to a demo resident (the demo's wishes were written in bulk, without any)."""
    wish = MicroWish.objects.order_by("pk").first()
    note, _created = Notification.objects.get_or_create(
        key="privacy-check", channel="sms", to=wish.wisher_phone,
        defaults={"event": "wish.claimed", "template": "wish_claimed", "text": "……", "community": wish.community},
    )
    return [note]
# Query strings tried on the public lists (each page of the result is opened).
QUERIES = {
    "wishes:wall": [{}, {"category": "daily"}, {"category": "repair"}, {"c": "{code}"}],
    "volunteers:calendar": [{}, {"c": "{code}"}, {"kind": "{kind}"}],
    "council:public_topics": [{}, {"status": "settled"}, {"status": "in_progress"}, {"c": "{code}"}],
    "grid:appeal_new": [{}, {"c": "{code}"}],
    "wishes:new": [{}, {"c": "{code}"}],
}
PAGINATED = {"wishes:wall", "volunteers:calendar", "council:public_topics"}


def public_names():
    return sorted(name for name, rule in REGISTRY.items() if rule.method == "get" and rule.expect["anonymous"] == 200)


def test_every_public_page_with_arguments_has_demo_records():
    needs = {name for name in public_names() if REGISTRY[name].kwargs is not None}
    assert needs == set(DEMO_KWARGS), "Say which demo records the new public page is opened for"


@pytest.fixture
def demo(db, settings, client):
    settings.DEBUG = True  # seed_demo refuses to run in production
    settings.TRACK_LOOKUP_LIMIT = settings.TRACK_CODE_LIMIT = 10_000
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    call_command("seed_demo", "--force", "--password", "Test-pass-2023x", stdout=io.StringIO())


def secrets_of_residents():
    """Full names and address details of the residents in the demo data."""
    names, doors = set(), set()
    for model, name_field, door_field in [
        (MicroWish, "wisher_name", "address_detail"),
        (Appeal, "resident_name", "address_detail"),
        (SpecialGroupCase, "resident_name", "address_detail"),
        (ProxyService, "resident_name", None),
    ]:
        for name, door in model.objects.values_list(name_field, door_field or name_field):
            if len(name.strip()) > 1:
                names.add(name.strip())
            if door_field and door.strip():
                doors.add(door.strip())
    return names, doors


def public_pages():
    """(path, query, paginated) of every public page to scan."""
    code = Community.objects.values_list("code", flat=True).first()
    kind = VolunteerEvent.objects.values_list("kind_id", flat=True).first()
    pages = []
    for name in public_names():
        if name in DEMO_KWARGS:
            pages += [(reverse(name, kwargs=kwargs), {}, False) for kwargs in DEMO_KWARGS[name]()]
            continue
        for query in QUERIES.get(name, [{}]):
            query = {key: value.format(code=code, kind=kind) for key, value in query.items()}
            pages.append((reverse(name), query, name in PAGINATED))
    return pages


def leaks_in(html, names, doors):
    html = CSRF.sub("", html)
    found = [f"mobile {match}" for match in MOBILE.findall(html)]
    found += [f"name {name}" for name in names if name in html]
    found += [f"address {door}" for door in doors if door in html]
    for pattern in DOORS:
        found += [f"door {match}" for match in pattern.findall(html)]
    return found


def test_public_pages_show_no_personal_data(demo, client):
    names, doors = secrets_of_residents()
    assert len(names) > 100 and len(doors) > 50  # the scan looks for something
    leaks = {}
    scanned = 0
    for path, query, paginated in public_pages():
        for number in range(1, 100) if paginated else [None]:
            url = path + "?" + urlencode({**query, "page": number} if number else query)
            response = client.get(url)
            assert response.status_code == 200, url
            scanned += 1
            if found := leaks_in(response.content.decode(), names, doors):
                leaks[url] = found
            if number and not response.context["page_obj"].has_next():
                break
    assert scanned > 100
    assert not leaks, leaks


def test_tracking_pages_show_no_personal_data(demo, client):
    """What anyone holding a tracking code and the phone's last 4 digits sees."""
    names, doors = secrets_of_residents()
    leaks = {}
    samples = [
        ("wishes:track", MicroWish.objects.order_by("status", "pk"), "wisher_phone"),
        ("grid:appeal_track", Appeal.objects.order_by("status", "pk"), "resident_phone"),
    ]
    for name, records, phone_field in samples:
        url = reverse(name)
        statuses = set()
        for record in records:
            if record.status in statuses:
                continue  # one of each status
            statuses.add(record.status)
            response = client.post(url, {"code": record.code, "phone_last4": getattr(record, phone_field)[-4:]})
            assert response.status_code == 302, (name, record.code)
            html = client.get(url).content.decode()
            assert record.title in html
            if found := leaks_in(html, names, doors):
                leaks[f"{name} {record.code} ({record.status})"] = found
        assert len(statuses) > 2
    assert not leaks, leaks


def test_the_scan_finds_what_it_looks_for():
    names, doors = {"王秀英"}, {"3单元502室"}
    assert leaks_in("<p>王秀英 13812345678</p>", names, doors) == ["mobile 13812345678", "name 王秀英"]
    assert leaks_in("<p>住3单元502室</p>", names, doors) == ["address 3单元502室", "door 3单元502室"]
    assert leaks_in("<p>5号楼2单元301室 · 3-2-501 · 2号楼2单元12户</p>", set(), set()) == ["door 2单元301室", "door 3-2-501"]
    clean = '<p>王* 138****5678 2023-05-01 0936-5551234 213812345678</p><input name="csrfmiddlewaretoken" value="a13812345678b">'
    assert leaks_in(clean, names, doors) == []



# Text residents wrote, shown in public -----------------------------------------------------------

CONFIDED = "我是3单元502室的王秀英，电话13700001111。"


def test_wall_masks_what_a_resident_wrote_about_themselves(client, community_a, cell_a, staff_a, member_user_a):
    """Staff review every wish before it is published; the wall still masks a
    number, a door or the resident's name typed into the wish."""
    wish = wish_services.wish_submit(
        wish=MicroWish(
            community=community_a, grid_cell=cell_a, category=MicroWish.Category.DAILY, title="王秀英想要一床新棉被",
            description=CONFIDED, wisher_name="王秀英", wisher_phone="13700001111",
        )
    )
    wish = wish_services.wish_approve(wish=wish, by=staff_a)
    wish = wish_services.wish_claim(wish=wish, by=member_user_a)
    wish = wish_services.wish_deliver(wish=wish, by=member_user_a)
    wish_services.wish_confirm(wish=wish, thank_you="王秀英谢谢大家！有事打13700001111")
    html = client.get(reverse("wishes:wall")).content.decode()
    assert "新棉被" in html and "王**" in html
    assert leaks_in(html, {"王秀英"}, {"3单元502室"}) == []


def test_appeal_sent_to_the_hall_keeps_the_resident_off_the_public_page(client, community_a, cell_a, staff_a):
    appeal = services_work.appeal_submit(
        appeal=Appeal(
            community=community_a, grid_cell=cell_a, category=Appeal.Category.PROPERTY, title="王秀英反映停车难",
            description=CONFIDED + "楼下天天乱停车。", resident_name="王秀英", resident_phone="13700001111",
            address_detail="3单元502室",
        )
    )
    topic = services_work.appeal_to_topic(appeal=appeal, by=staff_a)
    council_services.topic_move(topic=topic, to=Topic.Status.DELIBERATING, on=topic.proposed_on, outcome=None)
    for url in (reverse("council:public_topics"), reverse("council:public_topic", args=[topic.pk])):
        html = client.get(url).content.decode()
        assert "楼下天天乱停车" in html
        assert leaks_in(html, {"王秀英"}, {"3单元502室"}) == [], url
