"""Every create, change and delete of members, units, wishes (and their claims),
events, attendance and hours, appeals and topics leaves a history record with
the user who did it and the fields that changed, also where a service changes
the record with a conditional UPDATE, which sends no signal."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from council.models import Topic
from grid.models import Appeal, CoBuildingUnit, PartyMember
from grid.services import member_confirm_report
from volunteers import services as volunteer_services
from volunteers.models import Participation, VolunteerEvent
from wishes.models import MicroWish
from wishes.services import (
    WishError,
    wish_approve,
    wish_claim,
    wish_confirm,
    wish_deliver,
)

from .helpers import changed, kind, latest

W = MicroWish.Status


def local_input(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# Party members ----------------------------------------------------------------------------


def member_form(cell, unit, **extra):
    data = {
        "name": "赵国强", "gender": "male", "phone": "13800004321", "employer_unit": unit.pk, "employer_name": "",
        "grid_cell": cell.pk, "building": "", "skills_text": "维修", "joined_party_year": "2001",
        "registered_on": "2023-03-01", "reported_on": "", "is_active": "on", "note": "",
    }
    data.update(extra)
    return data


def test_member_create_edit_confirm_and_undo_are_recorded_with_the_staff_member(client, staff_a, cell_a, unit_a):
    client.force_login(staff_a)
    client.post(reverse("grid:member_create"), member_form(cell_a, unit_a))
    member = PartyMember.objects.get(phone="13800004321")
    created = latest(member)
    assert created.history_type == "+" and created.history_user == staff_a

    response = client.post(reverse("grid:member_update", args=[member.pk]), member_form(cell_a, unit_a, name="赵国庆"))
    assert response.status_code == 302
    edited = latest(member)
    assert edited.history_type == "~" and edited.history_user == staff_a and changed(edited) == {"name"}

    client.post(reverse("grid:member_confirm", args=[member.pk]))  # a conditional UPDATE
    confirmed = latest(member)
    assert confirmed.history_user == staff_a
    assert changed(confirmed) == {"reported_on", "reported_confirmed_by"}
    assert confirmed.reported_on == timezone.localdate()

    client.post(reverse("grid:member_undo_report", args=[member.pk]))
    undone = latest(member)
    assert undone.history_user == staff_a and undone.reported_on is None
    assert member.history.count() == 4


def test_a_refused_second_confirmation_adds_no_history(client, staff_a, member_a):
    client.force_login(staff_a)
    url = reverse("grid:member_confirm", args=[member_a.pk])
    client.post(url)
    count = member_a.history.count()
    client.post(url)  # refused: already confirmed
    assert member_a.history.count() == count


def test_service_called_outside_a_request_names_its_by_user(staff_a, member_a):
    member_confirm_report(member=member_a, by=staff_a)
    assert latest(member_a).history_user == staff_a


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def test_imported_members_and_units_are_recorded_with_the_importer(client, staff_a, community_a, cell_a, unit_a):
    client.force_login(staff_a)
    units = xlsx([["单位名称", "类型"], ["县教育局", "机关"], ["第二小学", "School"]])
    assert client.post(reverse("grid:unit_import"), {"file": units}).status_code == 302
    for unit in CoBuildingUnit.objects.filter(name__in=["县教育局", "第二小学"]):
        record = unit.history.get()
        assert record.history_type == "+" and record.history_user == staff_a and record.name == unit.name

    header = ["姓名", "性别", "手机号", "工作单位", "网格"]
    members = xlsx([header, ["钱多多", "女", "13911112222", unit_a.name, cell_a.name]])
    assert client.post(reverse("grid:member_import"), {"file": members}).status_code == 302
    member = PartyMember.objects.get(phone="13911112222")
    assert member.history.get().history_user == staff_a

    again = xlsx([header, ["钱多多", "男", "13911112222", unit_a.name, cell_a.name]])
    client.post(reverse("grid:member_import"), {"file": again})
    updated = latest(member)
    assert updated.history_type == "~" and updated.history_user == staff_a and changed(updated) == {"gender"}


# Co-building units ----------------------------------------------------------------------------


def test_unit_edit_is_recorded(client, staff_a, unit_a):
    client.force_login(staff_a)
    url = reverse("grid:unit_update", args=[unit_a.pk])
    form = client.get(url).context["form"]
    data = {key: value for key, value in form.initial.items() if value is not None and key != "resource_tags"}
    data.update({"liaison_name": "孙联络", "is_active": "on", "agreement_signed_on": "2023-03-01"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    record = latest(unit_a)
    assert record.history_type == "~" and record.history_user == staff_a and changed(record) == {"liaison_name"}


# Micro-wishes and their claims ----------------------------------------------------------------


def test_every_step_of_a_wish_is_recorded_with_who_did_it(client, staff_a, member_user_a, wish_a):
    created = latest(wish_a)
    assert created.history_type == "+" and created.history_user == staff_a and created.status == W.SUBMITTED

    wish_approve(wish=wish_a, by=staff_a)
    approved = latest(wish_a)
    assert approved.history_user == staff_a and changed(approved) == {"status", "published_at"}

    client.force_login(staff_a)  # staff correct the open wish (a conditional UPDATE in the edit page)
    data = {"category": "daily", "grid_cell": wish_a.grid_cell_id, "building": "", "address_detail": "2单元302",
            "title": wish_a.title, "description": ""}
    assert client.post(reverse("wishes:edit", args=[wish_a.pk]), data).status_code == 302
    corrected = latest(wish_a)
    assert corrected.history_user == staff_a and changed(corrected) == {"category", "address_detail"}

    client.force_login(member_user_a)  # the claim
    client.post(reverse("wishes:claim", args=[wish_a.pk]))
    claim = latest(wish_a)
    assert claim.status == W.CLAIMED and claim.history_user == member_user_a
    assert changed(claim) == {"status", "claimed_at", "claimed_by_member"}

    wish_a.refresh_from_db()
    wish_deliver(wish=wish_a, by=member_user_a, note="书包已送到")
    assert latest(wish_a).history_user == member_user_a and latest(wish_a).status == W.DELIVERED

    wish_confirm(wish=wish_a, thank_you="谢谢")  # the resident, on the tracking page: no account
    fulfilled = latest(wish_a)
    assert fulfilled.status == W.FULFILLED and fulfilled.history_user is None
    assert changed(fulfilled) == {"status", "fulfilled_at", "thank_you_note"}
    assert wish_a.history.count() == 6


def test_a_lost_claim_race_leaves_no_history(staff_a, member_user_a, liaison_a, wish_a):
    wish_approve(wish=wish_a, by=staff_a)
    stale = MicroWish.objects.get(pk=wish_a.pk)
    wish_claim(wish=wish_a, by=member_user_a)
    count = wish_a.history.count()
    with pytest.raises(WishError):
        wish_claim(wish=stale, by=liaison_a)
    assert wish_a.history.count() == count
    assert latest(wish_a).claimed_by_member_id is not None and latest(wish_a).claimed_by_unit_id is None


# Appeals ------------------------------------------------------------------------------------------


def test_appeal_answer_close_and_topic_are_recorded(client, staff_a, grid_worker_a, appeal_a):
    assert latest(appeal_a).history_type == "+" and latest(appeal_a).history_user == grid_worker_a
    client.force_login(staff_a)

    client.post(reverse("grid:appeal_answer", args=[appeal_a.pk]), {"answer": "路灯已修好"})
    answered = latest(appeal_a)
    assert answered.history_user == staff_a and changed(answered) == {"status", "answer", "answered_at"}

    client.post(reverse("grid:appeal_close", args=[appeal_a.pk]), {"note": "回访满意"})
    closed = latest(appeal_a)
    assert closed.history_user == staff_a and changed(closed) == {"status", "closed_at"}

    client.post(reverse("grid:appeal_to_topic", args=[appeal_a.pk]))
    sent = latest(appeal_a)
    assert sent.history_user == staff_a and changed(sent) == {"topic"}
    topic = Topic.objects.get()
    assert latest(topic).history_type == "+" and latest(topic).history_user == staff_a


# Volunteer events, attendance and hours ------------------------------------------------------


def test_event_create_cancel_and_copy_are_recorded(client, staff_a, make_event):
    client.force_login(staff_a)
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=5)).replace(hour=9, minute=0)
    data = {"title": "义诊进社区", "kind": kind("clinic").pk, "starts_at": local_input(starts),
            "ends_at": local_input(starts + datetime.timedelta(hours=2)), "place": "社区卫生室", "capacity": "20",
            "description": "", "special_groups": ["elderly_alone"]}
    response = client.post(reverse("volunteers:event_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    event = VolunteerEvent.objects.get(title="义诊进社区")
    assert latest(event).history_type == "+" and latest(event).history_user == staff_a

    client.post(reverse("volunteers:event_copy", args=[event.pk]), {"starts_at": local_input(starts + datetime.timedelta(days=7))})
    copy = VolunteerEvent.objects.exclude(pk=event.pk).get()
    assert latest(copy).history_type == "+" and latest(copy).history_user == staff_a

    client.post(reverse("volunteers:event_cancel", args=[event.pk]))
    cancelled = latest(event)
    assert cancelled.status == VolunteerEvent.Status.CANCELLED and cancelled.history_user == staff_a
    assert changed(cancelled) == {"status"}


def test_event_marked_held_is_recorded(staff_a, make_event):
    event = make_event(starts_in=-datetime.timedelta(hours=3))
    volunteer_services.event_mark_held(event=event, summary="宣传 40 户", residents_served=40, by=staff_a)
    held = latest(event)
    assert held.history_user == staff_a and changed(held) == {"status", "summary", "residents_served"}


def test_sign_up_check_in_tick_and_approval_are_recorded(client, staff_a, member_user_a, member_a, community_a, make_event):
    event = make_event(starts_in=datetime.timedelta(hours=1))
    client.force_login(member_user_a)
    client.post(reverse("volunteers:sign_up", args=[event.pk]))
    participation = Participation.objects.get(event=event, member=member_a)
    assert latest(participation).history_type == "+" and latest(participation).history_user == member_user_a

    client.post(reverse("volunteers:checkin"), {"code": event.checkin_code})  # a conditional UPDATE
    checked_in = latest(participation)
    assert checked_in.history_user == member_user_a and checked_in.checked_in_at is not None
    assert changed(checked_in) == {"checked_in_at", "checked_in_by", "hours"}

    VolunteerEvent.objects.filter(pk=event.pk).update(  # the event has started: hours can be approved
        starts_at=timezone.now() - datetime.timedelta(hours=1), ends_at=timezone.now() + datetime.timedelta(hours=1)
    )
    client.force_login(staff_a)
    roster = reverse("volunteers:roster", args=[event.pk])
    client.post(roster, {"action": "hours", "participation": participation.pk, "hours": "1.5"})
    assert latest(participation).history_user == staff_a and changed(latest(participation)) == {"hours"}
    client.post(roster, {"action": "approve", "scope": "all"})
    approved = latest(participation)
    assert approved.history_user == staff_a and changed(approved) == {"hours_approved_at", "hours_approved_by"}

    other = PartyMember.objects.create(community=community_a, name="钱多多", gender="female", phone="13911112222")
    client.post(roster, {"action": "tick", "member": other.pk})
    ticked = Participation.objects.get(event=event, member=other)
    assert latest(ticked).history_user == staff_a and latest(ticked).checked_in_by == Participation.CheckInBy.STAFF


def test_withdrawal_is_recorded(client, member_user_a, member_a, make_event):
    event = make_event()
    client.force_login(member_user_a)
    client.post(reverse("volunteers:sign_up", args=[event.pk]))
    client.post(reverse("volunteers:withdraw", args=[event.pk]))  # a conditional UPDATE
    participation = Participation.objects.get(event=event, member=member_a)
    withdrawn = latest(participation)
    assert withdrawn.history_user == member_user_a and changed(withdrawn) == {"withdrawn_at"}


# Deliberation topics ------------------------------------------------------------------------


def test_topic_create_move_and_settle_are_recorded(client, staff_a):
    client.force_login(staff_a)
    data = {"title": "小区停车难", "description": "晚上车位不够", "source": "bench", "proposed_on": "2024-03-01", "outcome": ""}
    response = client.post(reverse("council:topic_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    topic = Topic.objects.get()
    assert latest(topic).history_type == "+" and latest(topic).history_user == staff_a

    today = timezone.localdate().isoformat()
    move = reverse("council:topic_move", args=[topic.pk])
    client.post(move, {"to": "deliberating", "on": today, "outcome": ""})
    deliberating = latest(topic)
    assert deliberating.history_user == staff_a and changed(deliberating) == {"status", "deliberating_on"}
    client.post(move, {"to": "agreed", "on": today, "outcome": ""})
    client.post(move, {"to": "settled", "on": today, "outcome": "划定夜间停车位 40 个"})
    settled = latest(topic)
    assert settled.status == Topic.Status.SETTLED and settled.history_user == staff_a
    assert changed(settled) == {"status", "settled_on", "outcome"}


# Deletes (Django admin is the only place that deletes these records) ------------------------------


@pytest.fixture
def records(member_a, unit_b, wish_a, appeal_a, make_event, community_a):
    event = make_event()
    volunteer = PartyMember.objects.create(community=community_a, name="钱多多", gender="female", phone="13911112222")
    participation = Participation.objects.create(event=make_event(title="义剪"), member=volunteer, signed_up_at=timezone.now())
    topic = Topic.objects.create(community=community_a, title="合并小院", description="两个小院合并管理", source="staff")
    return {
        "member": member_a, "unit": unit_b, "wish": wish_a, "appeal": appeal_a,
        "event": event, "participation": participation, "topic": topic,
    }


@pytest.mark.parametrize("name", ["member", "unit", "wish", "appeal", "event", "participation", "topic"])
def test_delete_in_admin_is_recorded_with_the_admin(client, area_admin, records, name):
    obj = records[name]
    opts = obj._meta
    client.force_login(area_admin)
    response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    record = type(obj).history.filter(**{opts.pk.attname: obj.pk}).order_by("-history_date", "-history_id").first()
    assert record.history_type == "-" and record.history_user == area_admin


@pytest.mark.parametrize("model", [PartyMember, CoBuildingUnit, MicroWish, Appeal, VolunteerEvent, Participation, Topic])
def test_admin_change_page_has_the_history_button(client, area_admin, records, model):
    obj = next(value for value in records.values() if isinstance(value, model))
    opts = model._meta
    client.force_login(area_admin)
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).content.decode()
    history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    assert history_url in page
    assert client.get(history_url).status_code == 200
