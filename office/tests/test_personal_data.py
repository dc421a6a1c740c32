"""Residents' personal data on micro-wishes and appeals: anonymised after the
retention period (`manage.py anonymise_closed`) or when the resident asks (the
staff button), without changing a single report figure."""

import datetime
import io
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from grid import services_work
from grid.models import Appeal, AppealEvent
from office.reports import breakdowns, figures, figures_by_community
from portal import privacy
from portal.validators import mobile_validator
from wishes import services as wish_services
from wishes.models import MicroWish

PHONE = "13700001111"
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
A = Appeal.Status
S = MicroWish.Status


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def _english_services():
    from django.utils import translation

    with translation.override("en"):
        yield


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "JPEG")
    return buffer.getvalue()


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def make_wish(community, cell, status, *, staff, claimer=None, phone=PHONE, name="王秀英", ago=0, **fields):
    """A wish walked through the services to `status`, its dates `ago` days back."""
    data = {
        "community": community,
        "grid_cell": cell,
        "category": MicroWish.Category.STUDY,
        "title": "给孙子买一个书包",
        "description": f"孙子今年上一年级。请打{phone}找{name}。",
        "wisher_name": name,
        "wisher_phone": phone,
        "address_detail": "3单元502室",
    }
    data.update(fields)
    wish = wish_services.wish_submit(wish=MicroWish(**data))
    if status == "rejected":
        wish = wish_services.wish_reject(wish=wish, by=staff, reason=f"{name}的心愿不属于微心愿范围")
    elif status != "submitted":
        wish = wish_services.wish_approve(wish=wish, by=staff)
        if status in ("claimed", "delivered", "fulfilled"):
            wish = wish_services.wish_claim(wish=wish, by=claimer)
        if status in ("delivered", "fulfilled"):
            wish = wish_services.wish_deliver(wish=wish, by=claimer, note=f"书包已送到{name}家")
        if status == "fulfilled":
            wish = wish_services.wish_confirm(wish=wish, thank_you="谢谢！")
    if ago:
        moved = {field: days_ago(ago) for field in ("submitted_at", "published_at", "claimed_at", "delivered_at", "fulfilled_at", "rejected_at") if getattr(wish, field)}
        MicroWish.objects.filter(pk=wish.pk).update(**moved)
        wish.refresh_from_db()
    return wish


def make_appeal(community, cell, status, *, staff, phone=PHONE, name="王秀英", ago=0):
    appeal = services_work.appeal_submit(
        appeal=Appeal(
            community=community,
            grid_cell=cell,
            category=Appeal.Category.FACILITIES,
            title="2号门路灯坏了",
            description=f"晚上很黑。联系人{name}，电话{phone}。",
            resident_name=name,
            resident_phone=phone,
            address_detail="3单元502室",
        )
    )
    if status in ("answered", "closed"):
        appeal = services_work.appeal_answer(appeal=appeal, by=staff, answer=f"已联系物业，{name}家门口的灯明天修好。")
    if status == "closed":
        appeal = services_work.appeal_close(appeal=appeal, by=staff)
    if ago:
        moved = {field: days_ago(ago) for field in ("received_at", "waiting_since", "answered_at", "closed_at") if getattr(appeal, field)}
        Appeal.objects.filter(pk=appeal.pk).update(**moved)
        appeal.refresh_from_db()
    return appeal


def with_photos(record, *fields):
    for field in fields:
        getattr(record, field).save("x.jpg", ContentFile(jpeg()), save=True)
    return [getattr(record, field).name for field in fields]


def anonymise_closed(*args):
    out = io.StringIO()
    call_command("anonymise_closed", *args, stdout=out)
    return out.getvalue()


def flashed(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# The pseudonym --------------------------------------------------------------------------------


def test_phone_pseudonym_keeps_residents_apart_per_community():
    first = privacy.phone_pseudonym(1, PHONE)
    assert re.fullmatch(r"x[0-9a-f]{10}", first)
    assert privacy.phone_pseudonym(1, PHONE) == first  # the same resident: the same pseudonym
    assert privacy.phone_pseudonym(1, "13700002222") != first
    assert privacy.phone_pseudonym(2, PHONE) != first  # another community: another resident
    assert privacy.phone_pseudonym(1, first) == first  # already a pseudonym: kept
    assert len(first) <= MicroWish._meta.get_field("wisher_phone").max_length
    assert len(first) <= Appeal._meta.get_field("resident_phone").max_length
    assert not MOBILE_RE.search(first)


def test_phone_pseudonym_depends_on_the_secret_key(settings):
    first = privacy.phone_pseudonym(1, PHONE)
    settings.SECRET_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert privacy.phone_pseudonym(1, PHONE) != first


def test_scrub_text():
    text = "王秀英（13700001111，备用 +86 13900002222）说：王秀英家的灯坏了。订单号 213700001111 不动。"
    assert privacy.scrub_text(text, ["王秀英"]) == (
        "王**（1**********，备用 +86 1**********）说：王**家的灯坏了。订单号 213700001111 不动。"
    )
    doors = "住2号楼3单元301室，老家在5排3号，也写作 2-3-301；2号楼2单元12户同意，2023-05-01。"
    assert privacy.scrub_text(doors) == "住*号楼*单元***室，老家在*排*号，也写作 *-*-***；2号楼2单元12户同意，2023-05-01。"
    assert privacy.scrub_text("", ["王秀英"]) == ""


# The services ---------------------------------------------------------------------------------


def test_wish_anonymise_removes_the_resident_data(
    community_a, cell_a, building_a, staff_a, member_user_a, django_capture_on_commit_callbacks
):
    wish = make_wish(community_a, cell_a, "delivered", staff=staff_a, claimer=member_user_a, building=building_a)
    photos = with_photos(wish, "photo", "delivery_photo")
    wish = wish_services.wish_confirm(wish=wish, thank_you="谢谢党员！王秀英 13700001111")
    assert all(default_storage.exists(name) for name in photos)

    with django_capture_on_commit_callbacks(execute=True):
        assert wish_services.wish_anonymise(wish, by=staff_a) == 1

    wish.refresh_from_db()
    assert wish.wisher_name == "王**"
    assert wish.wisher_phone == privacy.phone_pseudonym(community_a.pk, PHONE)
    assert (wish.address_detail, wish.building, wish.photo.name, wish.delivery_photo.name) == ("", None, "", "")
    assert not any(default_storage.exists(name) for name in photos)
    assert wish.anonymised_at is not None
    texts = [wish.description, wish.delivery_note, wish.thank_you_note, *wish.events.values_list("note", flat=True)]
    assert not any(PHONE in text or "王秀英" in text for text in texts)
    assert "王**" in wish.description and "1**********" in wish.description
    # What the reports count stays.
    assert (wish.status, wish.grid_cell, wish.title, wish.claimed_by_member.user) == (S.FULFILLED, cell_a, "给孙子买一个书包", member_user_a)


def test_wish_anonymise_scrubs_the_history_and_records_who(community_a, cell_a, staff_a):
    wish = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    rows = MicroWish.history.filter(id=wish.pk)
    assert rows.filter(wisher_phone=PHONE).exists()  # submitted and rejected: two records with the data
    wish_services.wish_anonymise(wish, by=staff_a)
    assert not rows.filter(wisher_phone=PHONE).exists() and not rows.filter(wisher_name="王秀英").exists()
    assert not rows.exclude(address_detail="").exists()
    assert not any(PHONE in text or "王秀英" in text for text in rows.values_list("description", flat=True))
    latest = rows.order_by("-history_date", "-history_id").first()
    assert latest.anonymised_at is not None and latest.history_user == staff_a
    assert rows.filter(anonymised_at__isnull=True).exists()  # the earlier records: before the removal


def test_wish_anonymise_also_takes_the_residents_other_finished_wishes(community_a, cell_a, staff_a, member_user_a):
    first = make_wish(community_a, cell_a, "fulfilled", staff=staff_a, claimer=member_user_a)
    second = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    still_open = make_wish(community_a, cell_a, "open", staff=staff_a)
    neighbour = make_wish(community_a, cell_a, "fulfilled", staff=staff_a, claimer=member_user_a, phone="13700002222", name="李四")

    assert wish_services.wish_anonymise(second, by=staff_a) == 2
    for wish in (first, second, still_open, neighbour):
        wish.refresh_from_db()
    assert first.anonymised_at and second.anonymised_at
    assert first.wisher_phone == second.wisher_phone
    assert still_open.anonymised_at is None and still_open.wisher_phone == PHONE  # a member may still call
    assert neighbour.anonymised_at is None and neighbour.wisher_name == "李四"


def test_wish_anonymise_is_idempotent(community_a, cell_a, staff_a):
    wish = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    wish_services.wish_anonymise(wish)
    before = MicroWish.objects.filter(pk=wish.pk).values().get()
    assert wish_services.wish_anonymise(wish) == 0
    assert wish_services.wishes_anonymise(MicroWish.objects.all()) == 0
    assert MicroWish.objects.filter(pk=wish.pk).values().get() == before


@pytest.mark.parametrize("status", ["submitted", "open", "claimed", "delivered"])
def test_wish_anonymise_refuses_an_unfinished_wish(community_a, cell_a, staff_a, member_user_a, status):
    wish = make_wish(community_a, cell_a, status, staff=staff_a, claimer=member_user_a)
    with pytest.raises(wish_services.WishError) as excinfo:
        wish_services.wish_anonymise(wish, by=staff_a)
    assert "not finished" in excinfo.value.messages[0]
    wish.refresh_from_db()
    assert wish.wisher_phone == PHONE and wish.anonymised_at is None


def test_wish_anonymise_refuses_others_than_the_communitys_staff(community_a, cell_a, staff_a, staff_b, grid_worker_a, area_admin):
    wish = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    for user in (staff_b, grid_worker_a):
        with pytest.raises(wish_services.WishError):
            wish_services.wish_anonymise(wish, by=user)
    assert wish_services.wish_anonymise(wish, by=area_admin) == 1


def test_appeal_anonymise_removes_the_resident_data(community_a, cell_a, building_a, staff_a, django_capture_on_commit_callbacks):
    appeal = make_appeal(community_a, cell_a, "answered", staff=staff_a)
    Appeal.objects.filter(pk=appeal.pk).update(building=building_a)
    [photo] = with_photos(appeal, "photo")
    services_work.appeal_reopen(appeal=appeal, reason="灯还是不亮，请打13700001111找王秀英")
    appeal = services_work.appeal_answer(appeal=appeal, by=staff_a, answer="已修好")
    appeal = services_work.appeal_close(appeal=appeal, by=staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        assert services_work.appeal_anonymise(appeal, by=staff_a) == 1

    appeal.refresh_from_db()
    assert appeal.resident_name == "王**"
    assert appeal.resident_phone == privacy.phone_pseudonym(community_a.pk, PHONE)
    assert (appeal.address_detail, appeal.building, appeal.photo.name) == ("", None, "")
    assert not default_storage.exists(photo)
    texts = [appeal.description, appeal.answer, *AppealEvent.objects.filter(appeal=appeal).values_list("note", flat=True)]
    assert not any(PHONE in text or "王秀英" in text for text in texts)
    assert appeal.status == A.CLOSED and appeal.reopened_count == 1 and appeal.grid_cell == cell_a


@pytest.mark.parametrize("status", ["received", "answered"])
def test_appeal_anonymise_refuses_an_appeal_not_closed(community_a, cell_a, staff_a, status):
    appeal = make_appeal(community_a, cell_a, status, staff=staff_a)
    with pytest.raises(services_work.AppealError) as excinfo:
        services_work.appeal_anonymise(appeal, by=staff_a)
    assert "not closed" in excinfo.value.messages[0]
    appeal.refresh_from_db()
    assert appeal.resident_phone == PHONE and appeal.anonymised_at is None


def test_anonymised_records_cannot_be_looked_up_by_phone_digits(client, community_a, cell_a, staff_a):
    wish = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    appeal = make_appeal(community_a, cell_a, "closed", staff=staff_a)
    wish_services.wish_anonymise(wish)
    services_work.appeal_anonymise(appeal)
    for url, code in [(reverse("wishes:track"), wish.code), (reverse("grid:appeal_track"), appeal.code)]:
        response = client.post(url, {"code": code, "phone_last4": PHONE[-4:]})
        assert response.status_code == 200 and "No " in response.content.decode()


# The command ----------------------------------------------------------------------------------


@pytest.fixture
def records(community_a, community_b, cell_a, cell_b, staff_a, staff_b, member_user_a):
    """Wishes and appeals of various ages and states in two communities."""
    return {
        "old_fulfilled": make_wish(community_a, cell_a, "fulfilled", staff=staff_a, claimer=member_user_a, ago=400),
        "old_rejected": make_wish(community_a, cell_a, "rejected", staff=staff_a, phone="13700002222", ago=500),
        "recent_fulfilled": make_wish(community_a, cell_a, "fulfilled", staff=staff_a, claimer=member_user_a, phone="13700003333", ago=30),
        "old_open": make_wish(community_a, cell_a, "open", staff=staff_a, phone="13700004444", ago=400),
        # The same resident as old_rejected, with a wish still open: their wishes wait together.
        "waits_for_open": make_wish(community_a, cell_a, "open", staff=staff_a, phone="13700002222", ago=10),
        "old_in_b": make_wish(community_b, cell_b, "rejected", staff=staff_b, ago=800),
        "old_closed_appeal": make_appeal(community_a, cell_a, "closed", staff=staff_a, ago=400),
        "recent_closed_appeal": make_appeal(community_a, cell_a, "closed", staff=staff_a, phone="13700003333", ago=30),
        "old_answered_appeal": make_appeal(community_a, cell_a, "answered", staff=staff_a, phone="13700004444", ago=400),
    }


def anonymised(records):
    return {name for name, record in records.items() if type(record).objects.get(pk=record.pk).anonymised_at}


def test_command_anonymises_what_was_finished_before_the_retention_period(records):
    output = anonymise_closed()
    assert "Anonymised 2 micro-wishes and 1 appeals" in output
    assert anonymised(records) == {"old_fulfilled", "old_in_b", "old_closed_appeal"}
    kept = MicroWish.objects.get(pk=records["old_rejected"].pk)
    assert kept.wisher_phone == "13700002222" and kept.wisher_name == "王秀英"  # the resident has an open wish

    assert "Anonymised 0 micro-wishes and 0 appeals" in anonymise_closed()  # idempotent


def test_command_days_option_and_setting(records, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 600
    assert "Anonymised 1 micro-wishes and 0 appeals" in anonymise_closed()
    assert anonymised(records) == {"old_in_b"}
    anonymise_closed("--days", "20")
    assert anonymised(records) == {"old_in_b", "old_fulfilled", "recent_fulfilled", "old_closed_appeal", "recent_closed_appeal"}
    with pytest.raises(CommandError):
        anonymise_closed("--days", "-1")


def test_command_dry_run_changes_nothing(records):
    before = list(MicroWish.objects.values()) + list(Appeal.objects.values())
    output = anonymise_closed("--dry-run", "--days", "0")
    assert "would anonymise 3 micro-wishes and 2 appeals" in output
    assert list(MicroWish.objects.values()) + list(Appeal.objects.values()) == before


def test_command_deletes_the_photos(community_a, cell_a, staff_a, django_capture_on_commit_callbacks):
    wish = make_wish(community_a, cell_a, "rejected", staff=staff_a, ago=400)
    appeal = make_appeal(community_a, cell_a, "closed", staff=staff_a, ago=400)
    photos = with_photos(wish, "photo") + with_photos(appeal, "photo")
    with django_capture_on_commit_callbacks() as callbacks:
        anonymise_closed()
    assert all(default_storage.exists(name) for name in photos)  # not before the batch is committed
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in photos)


def test_command_keeps_every_figure_of_the_demo_data(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run in production
    call_command("seed_demo", "--force", "--password", "Test-pass-2023x", stdout=io.StringIO())
    start, end = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)

    def all_figures():
        parts = breakdowns(start, end)
        return {
            "figures": figures(start, end),
            "by_community": figures_by_community(start, end),
            "cells": list(parts["grid_cells"].values("pk", "member_count", "event_count", "wishes_fulfilled")),
            "units": list(parts["units"].values("pk", "member_count", "reported_count")),
            "teams": [(team.pk, team.event_count, team.approved_hours) for team in parts["teams"]],
            "kinds": [(kind.pk, count) for kind, count in parts["event_kinds"]],
        }

    before = all_figures()
    finished = MicroWish.objects.filter(status__in=[S.FULFILLED, S.REJECTED]).count()
    assert before["figures"]["wishers_fulfilled"] == 76 and finished

    output = anonymise_closed("--days", "0")
    assert re.search(r"Anonymised [1-9]\d* micro-wishes and [1-9]\d* appeals", output)
    assert all_figures() == before
    fulfilled = MicroWish.objects.filter(status=S.FULFILLED)
    # A resident with a wish still in progress keeps the data on all their wishes.
    waiting = fulfilled.filter(anonymised_at__isnull=True)
    in_progress = MicroWish.objects.exclude(status__in=[S.FULFILLED, S.REJECTED])
    assert waiting.count() < fulfilled.count() / 10
    for wish in waiting:
        assert in_progress.filter(community=wish.community_id, wisher_phone=wish.wisher_phone).exists()
    fulfilled = fulfilled.filter(anonymised_at__isnull=False)
    assert not Appeal.objects.filter(status=A.CLOSED, anonymised_at__isnull=True).exists()
    for phone in fulfilled.values_list("wisher_phone", flat=True):
        with pytest.raises(ValidationError):
            mobile_validator(phone)
    assert "Anonymised 0 micro-wishes and 0 appeals" in anonymise_closed("--days", "0")
    assert all_figures() == before


# The staff button -----------------------------------------------------------------------------


@pytest.fixture
def finished_wish(community_a, cell_a, staff_a, member_user_a):
    wish = make_wish(community_a, cell_a, "fulfilled", staff=staff_a, claimer=member_user_a)
    with_photos(wish, "photo")
    return wish


@pytest.fixture
def closed_appeal(community_a, cell_a, staff_a):
    return make_appeal(community_a, cell_a, "closed", staff=staff_a)


@pytest.fixture
def targets(finished_wish, closed_appeal):
    return {
        "wish": (finished_wish, reverse("wishes:remove_personal_data", args=[finished_wish.pk])),
        "appeal": (closed_appeal, reverse("grid:appeal_remove_personal_data", args=[closed_appeal.pk])),
    }


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_staff_remove_the_data_after_confirming(client, staff_a, targets, kind, django_capture_on_commit_callbacks):
    record, url = targets[kind]
    client.force_login(staff_a)
    detail = client.get(record.get_absolute_url()).content.decode()
    assert url in detail and "王秀英" in detail and PHONE in detail

    page = client.get(url)
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()

    response = client.post(url, {})  # the box is not ticked
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    assert type(record).objects.get(pk=record.pk).anonymised_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert ("success", "The resident's personal data were removed.") in flashed(response)
    detail = client.get(record.get_absolute_url()).content.decode()
    assert "王**" in detail and "王秀英" not in detail and PHONE not in detail
    assert 'id="personal-data-removed"' in detail and url not in detail
    from audit.models import SecurityEvent

    removed = SecurityEvent.objects.get(event_type=SecurityEvent.Type.PERSONAL_DATA_REMOVED)
    assert removed.actor == staff_a and removed.object_id == str(record.pk)

    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 302 and ("info", "The resident's personal data were already removed.") in flashed(again)


def test_staff_remove_tells_how_many_other_records_of_the_resident(client, staff_a, community_a, cell_a, finished_wish):
    other = make_wish(community_a, cell_a, "rejected", staff=staff_a)
    url = reverse("wishes:remove_personal_data", args=[finished_wish.pk])
    client.force_login(staff_a)
    assert "1 other finished record" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "on"})
    assert ("success", "The resident's personal data were removed, also from 1 other finished record.") in flashed(response)
    assert MicroWish.objects.get(pk=other.pk).anonymised_at is not None


def test_staff_remove_is_refused_for_an_unfinished_record(client, staff_a, community_a, cell_a):
    wish = make_wish(community_a, cell_a, "open", staff=staff_a)
    appeal = make_appeal(community_a, cell_a, "answered", staff=staff_a)
    client.force_login(staff_a)
    for record, url in [
        (wish, reverse("wishes:remove_personal_data", args=[wish.pk])),
        (appeal, reverse("grid:appeal_remove_personal_data", args=[appeal.pk])),
    ]:
        page = client.get(url).content.decode()
        assert 'id="refusal"' in page and 'name="confirm"' not in page
        response = client.post(url, {"confirm": "on"})
        assert response.status_code == 302
        assert [level for level, text in flashed(response)] == ["error"]
        assert type(record).objects.get(pk=record.pk).anonymised_at is None


@pytest.mark.parametrize("kind", ["wish", "appeal"])
def test_staff_remove_permissions(client, targets, kind, grid_worker_a, member_user_a, liaison_a, staff_b, area_admin):
    record, url = targets[kind]
    assert client.get(url)["Location"].startswith(reverse("portal:login"))
    assert client.post(url, {"confirm": "on"})["Location"].startswith(reverse("portal:login"))
    for user, status in [(grid_worker_a, 403), (member_user_a, 403), (liaison_a, 403), (staff_b, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.post(url, {"confirm": "on"}).status_code == status, user
    assert type(record).objects.get(pk=record.pk).anonymised_at is None
    client.force_login(area_admin)
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert type(record).objects.get(pk=record.pk).anonymised_at is not None


def test_grid_worker_sees_no_remove_button(client, grid_worker_a, targets):
    client.force_login(grid_worker_a)
    for record, url in targets.values():
        page = client.get(record.get_absolute_url())
        assert page.status_code == 200 and url not in page.content.decode()

