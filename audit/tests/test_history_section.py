"""The "Change history" section on the staff pages of the audited records: who,
when and what changed field by field, for the office only, in a few queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from council.models import Topic
from grid.services import member_confirm_report, member_undo_report
from volunteers.models import Participation
from wishes.services import wish_approve

from .helpers import latest

SECTION = "Change history"


@pytest.fixture
def event_a(make_event):
    return make_event()


@pytest.fixture
def topic_a(community_a, staff_a):
    return Topic.objects.create(community=community_a, title="小区停车难", description="晚上车位不够", source="bench")


@pytest.fixture
def pages(member_a, unit_a, wish_a, appeal_a, event_a, topic_a):
    return {
        "member": reverse("grid:member_detail", args=[member_a.pk]),
        "unit": reverse("grid:unit_detail", args=[unit_a.pk]),
        "wish": reverse("wishes:detail", args=[wish_a.pk]),
        "appeal": reverse("grid:appeal_detail", args=[appeal_a.pk]),
        "event": reverse("volunteers:event_detail", args=[event_a.pk]),
        "topic": reverse("council:topic_detail", args=[topic_a.pk]),
    }


@pytest.mark.parametrize("actor", ["staff_a", "area_admin"])
@pytest.mark.parametrize("page", ["member", "unit", "wish", "appeal", "event", "topic"])
def test_the_office_sees_the_history_on_each_page(client, request, pages, actor, page):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(pages[page])
    assert response.status_code == 200
    assert SECTION in response.content.decode()


@pytest.mark.parametrize(
    "actor,page",
    [
        ("grid_worker_a", "member"),
        ("grid_worker_a", "wish"),
        ("grid_worker_a", "appeal"),
        ("grid_worker_a", "event"),
        ("liaison_a", "unit"),
    ],
)
def test_others_who_may_read_the_page_do_not_see_its_history(client, request, pages, actor, page):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(pages[page])
    assert response.status_code == 200
    assert SECTION not in response.content.decode()


def test_a_member_sees_no_history_on_their_own_page(client, member_user_a, member_a, staff_a):
    member_confirm_report(member=member_a, by=staff_a)
    client.force_login(member_user_a)
    page = client.get(reverse("grid:member_me")).content.decode()
    assert member_a.name in page and SECTION not in page


def test_each_change_shows_who_when_and_the_fields_old_and_new(client, staff_a, member_a):
    staff_a.full_name = "周社工"
    staff_a.save()
    member_confirm_report(member=member_a, by=staff_a, on=datetime.date(2024, 5, 6))
    client.force_login(staff_a)
    page = client.get(reverse("grid:member_detail", args=[member_a.pk])).content.decode()
    section = page[page.index(SECTION):]
    assert "周社工" in section
    assert "reported on" in section and "— → 2024-05-06" in section
    assert "report confirmed by" in section and "— → 周社工" in section
    assert timezone.localtime(latest(member_a).history_date).strftime("%Y-%m-%d %H:%M") in section


def test_phone_numbers_in_the_history_are_masked(client, staff_a, member_a):
    member_a.phone = "13911119999"
    member_a.save()
    client.force_login(staff_a)
    page = client.get(reverse("grid:member_detail", args=[member_a.pk])).content.decode()
    section = page[page.index(SECTION):]
    assert "138****1234 → 139****9999" in section
    assert "13800001234" not in page  # the old number appears nowhere in full


def test_choices_and_related_records_are_shown_by_name(client, staff_a, wish_a):
    wish_approve(wish=wish_a, by=staff_a)
    client.force_login(staff_a)
    page = client.get(reverse("wishes:detail", args=[wish_a.pk])).content.decode()
    section = page[page.index(SECTION):]
    assert "Awaiting review → Open for claiming" in section


def test_attendance_history_on_the_event_page_names_the_member(client, staff_a, member_a, event_a):
    Participation.objects.create(event=event_a, member=member_a, signed_up_at=timezone.now())
    client.force_login(staff_a)
    page = client.get(reverse("volunteers:event_detail", args=[event_a.pk])).content.decode()
    section = page[page.index("Attendance and hours: history"):]
    assert member_a.name in section


def many_changes(member, staff, count):
    """`count` history records on the member: report confirmations and their withdrawals."""
    for n in range(count):
        if n % 2 == 0:
            member_confirm_report(member=member, by=staff)
        else:
            member_undo_report(member=member, by=staff)


def test_member_page_queries_do_not_grow_with_the_history(client, staff_a, member_a, django_assert_max_num_queries):
    client.force_login(staff_a)
    url = reverse("grid:member_detail", args=[member_a.pk])
    many_changes(member_a, staff_a, 2)
    client.get(url)  # warm the content-type cache
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    many_changes(member_a, staff_a, 30)
    assert member_a.history.count() > 30
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("report confirmed by") == 20  # the latest 20 entries


def test_event_page_queries_do_not_grow_with_the_attendance_history(
    client, staff_a, community_a, event_a, django_assert_max_num_queries
):
    from grid.models import PartyMember

    def sign_up(first, last):
        for n in range(first, last):
            member = PartyMember.objects.create(community=community_a, name=f"党员{n}", gender="male", phone=f"1390000{n:04d}")
            participation = Participation.objects.create(event=event_a, member=member, signed_up_at=timezone.now())
            participation.hours = 2
            participation.save()

    client.force_login(staff_a)
    url = reverse("volunteers:event_detail", args=[event_a.pk])
    sign_up(0, 1)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    sign_up(1, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_record_without_history_says_so(client, staff_a, member_a):
    member_a.history.all().delete()  # e.g. a record from before the history was switched on
    client.force_login(staff_a)
    page = client.get(reverse("grid:member_detail", args=[member_a.pk])).content.decode()
    assert SECTION in page and "No change has been recorded since the history was switched on." in page
