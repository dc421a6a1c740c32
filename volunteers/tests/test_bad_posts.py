"""Hostile values sent to the staff pages' POST actions: a message and nothing changed,
never a 500 (issue 18): ids too large or not digits, dates the portal cannot count
with, and text with NUL bytes or too long."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from portal.ids import parse_id, parse_ids
from volunteers.models import Participation, VolunteerEvent
from wishes.models import MicroWish
from wishes.services import wish_submit

DONE = VolunteerEvent.Status.DONE
HUGE = str(10**30)


def said(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def office(client, staff_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_a)
    return client


@pytest.mark.parametrize("value, expected", [("12", 12), (" 7 ", 7), ("²", None), ("①", None), ("-1", None),
                                             ("1" * 5000, None), (HUGE, None), (str(2**63 - 1), 2**63 - 1),
                                             (str(2**63), None), ("", None), (None, None)])
def test_parse_id_keeps_only_what_can_be_an_id(value, expected):
    assert parse_id(value) == expected


def test_an_in_lookup_with_a_number_no_column_holds_matches_nothing(member_a):
    assert parse_ids(["x", str(member_a.pk)]) == [member_a.pk]
    from grid.models import PartyMember

    assert list(PartyMember.objects.filter(pk__in=[2**70, member_a.pk])) == [member_a]
    assert not PartyMember.objects.filter(pk__in=[2**70]).exists()


@pytest.mark.parametrize("ticked", [[HUGE], ["²"], ["abc", "①"]])
def test_approving_hours_of_impossible_participations_approves_nothing(office, make_event, member_a, ticked):
    at = timezone.now() - datetime.timedelta(days=1)
    event = make_event(starts_at=at, status=DONE)
    participation = Participation.objects.create(event=event, member=member_a, checked_in_at=at, hours=2)
    response = office.post(reverse("volunteers:roster", args=[event.pk]), {"action": "approve", "participation": ticked})
    assert response.status_code == 302
    assert "Tick the people whose hours you approve" in said(response)
    participation.refresh_from_db()
    assert participation.hours_approved_at is None


@pytest.mark.parametrize("pk", [HUGE, "²"])
def test_an_impossible_participation_is_not_found(office, make_event, pk):
    event = make_event(starts_at=timezone.now() - datetime.timedelta(days=1), status=DONE)
    response = office.post(reverse("volunteers:roster", args=[event.pk]), {"action": "untick", "participation": pk})
    assert response.status_code == 404


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_copying_an_event_to_a_day_out_of_range_says_so(office, make_event, starts_at):
    event = make_event()
    response = office.post(reverse("volunteers:event_copy", args=[event.pk]), {"starts_at": starts_at})
    assert response.status_code == 200
    assert "Enter a date between 1900-01-01 and 2999-12-31." in response.content.decode()
    assert VolunteerEvent.objects.count() == 1


@pytest.fixture
def submitted_wish(community_a, cell_a):
    return wish_submit(wish=MicroWish(community=community_a, grid_cell=cell_a, category="daily", title="台灯",
                                      wisher_name="王秀英", wisher_phone="13700001111"))


@pytest.mark.parametrize("reason, message", [("", "Please give the reason"), ("不\x00收", "Null characters"),
                                             ("长" * 201, "at most 200 characters")])
def test_turning_a_wish_down_with_a_bad_reason_says_so(office, submitted_wish, reason, message):
    response = office.post(reverse("wishes:reject", args=[submitted_wish.pk]), {"reason": reason})
    assert response.status_code == 302
    assert message in said(response)
    submitted_wish.refresh_from_db()
    assert submitted_wish.status == MicroWish.Status.SUBMITTED


@pytest.mark.parametrize("value", ["abc", HUGE, "²"])
def test_an_admin_form_with_an_impossible_choice_says_so(client, area_admin, value):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(area_admin)
    response = client.post(reverse("admin:volunteers_volunteerteam_add"),
                           {"community": value, "name": "新队", "is_active": "on"})
    assert response.status_code == 200
    assert "community" in response.context["adminform"].form.errors
    from volunteers.models import VolunteerTeam

    assert not VolunteerTeam.objects.exists()


@pytest.mark.parametrize("value", ["²", "1" * 5000, HUGE])
@pytest.mark.parametrize("name", ["grid:member_list", "volunteers:event_list", "grid:gridcell_list"])
def test_an_area_admins_list_with_an_impossible_community_or_cell_answers(client, area_admin, community_a, name, value):
    client.force_login(area_admin)
    assert client.get(reverse(name), {"community": value}).status_code == 200
    assert client.get(reverse(name), {"grid_cell": value}).status_code == 200


@pytest.mark.parametrize("cells, column", [(["²"], "joined_party_year"), (["0001-01-01"], "registered_on")])
def test_an_import_with_an_impossible_year_or_day_lists_the_error(community_a, cell_a, unit_a, cells, column):
    import io

    import openpyxl

    from grid.importers import MEMBER_IMPORTER
    from grid.models import PartyMember

    headers = {"joined_party_year": "入党年份", "registered_on": "登记日期"}
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "性别", "手机号", "工作单位", "网格", headers[column]])
    workbook.active.append(["新党员", "女", "13900001111", unit_a.name, cell_a.name, *cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = MEMBER_IMPORTER.run(community_a, buffer)
    assert [error.column for error in result.errors] == [headers[column]]  # named by its header
    assert not PartyMember.objects.exists()
