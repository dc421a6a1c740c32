"""The figures as the records give them, built through the services and pages with
the clock set at each step (issue 18): stock figures as of the period's last day,
wishers as people, the feedback sheet's reported column for any period."""

import contextlib
import datetime
import io
import json
from unittest import mock
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from grid.importers import MEMBER_IMPORTER
from grid.models import CoBuildingUnit, PartyMember, Station
from grid.services import member_confirm_report
from office.feedback import feedback_sheets
from office.reports import (
    breakdowns,
    figures,
    figures_by_community,
    figures_total,
    scope_figures,
)
from portal.privacy import resident_key
from portal.scope import ReportScope
from volunteers.models import VolunteerTeam
from wishes.models import MicroWish
from wishes.services import (
    wish_anonymise,
    wish_approve,
    wish_claim,
    wish_confirm,
    wish_deliver,
    wish_submit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date
Y2023 = (D(2023, 1, 1), D(2023, 12, 31))
Y2024 = (D(2024, 1, 1), D(2024, 12, 31))


@contextlib.contextmanager
def clock(year, month, day, hour=10):
    """The portal's clock at a moment in Asia/Shanghai (every `timezone.now()` and `localdate()`)."""
    moment = datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def edit_form_data(client, url, **changes):
    """What the edit page's form holds, as a browser would post it back, with `changes`."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            value = "on" if value else ""
        elif isinstance(value, (list, tuple)):
            value = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def post_edit(client, url, **changes):
    response = client.post(url, edit_form_data(client, url, **changes))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return response


# Stock figures as of the period's end ------------------------------------------------------


@pytest.fixture
def year_2023(community_a, cell_a, unit_a, member_a):
    """Community A in 2023: a unit (agreement 2023-03-01), its member (registered
    2023-03-05, reported 2023-03-10), a team founded and a station opened in 2023."""
    member_a.reported_on = D(2023, 3, 10)
    member_a.save()
    team = VolunteerTeam.objects.create(community=community_a, name="小红兴·义剪队", sponsor_unit=unit_a, active_since=D(2023, 2, 1))
    station = Station.objects.create(
        community=community_a, kind=Station.Kind.STATION, name="阳光驿站", grid_cell=cell_a, active_since=D(2023, 4, 1)
    )
    return {"team": team, "station": station}


def stock(start_end, community):
    values = figures(*start_end, community_ids=[community.pk])
    return {key: values[key] for key in ("co_building_units", "party_members", "reported_members", "reporting_rate",
                                         "volunteer_teams", "stations")}


def test_deactivating_in_2024_leaves_2023_as_it_was(client, staff_a, community_a, unit_a, member_a, year_2023):
    before = stock(Y2023, community_a)
    assert before == {"co_building_units": 1, "party_members": 1, "reported_members": 1, "reporting_rate": 1.0,
                      "volunteer_teams": 1, "stations": 1}
    client.force_login(staff_a)
    with clock(2024, 5, 20):
        post_edit(client, reverse("grid:unit_update", args=[unit_a.pk]), is_active="")
        post_edit(client, reverse("grid:member_update", args=[member_a.pk]), is_active="")
        post_edit(client, reverse("volunteers:team_update", args=[year_2023["team"].pk]), is_active="")
        post_edit(client, reverse("grid:station_update", args=[year_2023["station"].pk]), is_active="")
    unit_a.refresh_from_db()
    member_a.refresh_from_db()
    assert (unit_a.is_active, unit_a.inactive_since) == (False, D(2024, 5, 20))
    assert (member_a.is_active, member_a.inactive_since) == (False, D(2024, 5, 20))

    assert stock(Y2023, community_a) == before
    # 19 May 2024 was their last day: a period ending then counts them, one ending the day after does not.
    assert stock((D(2024, 1, 1), D(2024, 5, 19)), community_a) == before
    assert stock(Y2024, community_a) == {"co_building_units": 0, "party_members": 0, "reported_members": 0,
                                         "reporting_rate": 0.0, "volunteer_teams": 0, "stations": 0}

    # The breakdowns and the feedback sheets for 2023 still list them.
    parts = breakdowns(*Y2023, community_ids=[community_a.pk])
    assert [(u.name, u.member_count, u.reported_count) for u in parts["units"]] == [(unit_a.name, 1, 1)]
    assert [t.name for t in parts["teams"]] == ["小红兴·义剪队"]
    assert [c.member_count for c in parts["grid_cells"]] == [1]
    assert breakdowns(*Y2024, community_ids=[community_a.pk])["units"].count() == 0
    sheets = client.get(reverse("office:feedback_list"), {"from": "2023-01-01", "to": "2023-12-31"})
    assert [(u.name, u.member_count, u.reported_count) for u in sheets.context["units"]] == [(unit_a.name, 1, 1)]
    later = client.get(reverse("office:feedback_list"), {"from": "2024-06-01", "to": "2024-06-30"})
    assert list(later.context["units"]) == []

    # The dashboard's stock cards for 2023 open lists of exactly the records they count.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    stock_cards = ["Co-building units", "In-service party members", "Reported", "Active volunteer teams",
                   "Red vanguard stations"]
    for period, expected in (("2023", 1), ("2024", 0)):
        cards = {card["label"]: card for card in period_cards(client, f"{period}-01-01", f"{period}-12-31")}
        for label in stock_cards:
            listed = client.get(cards[label]["href"])
            assert (cards[label]["value"], listed.context["paginator"].count) == (expected, expected), (period, label)


def period_cards(client, start, end):
    from office.views import _period_cards

    response = client.get(reverse("office:dashboard"), {"from": start, "to": end})
    assert response.status_code == 200
    scope = ReportScope(start=D.fromisoformat(start), end=D.fromisoformat(end), community_ids=None)
    values = figures(scope.start, scope.end, community_ids=[response.wsgi_request.user.community_id])
    with translation.override("en"):
        return _period_cards(values, scope)


def test_a_team_or_station_started_after_the_period_does_not_count(community_a, cell_a):
    VolunteerTeam.objects.create(community=community_a, name="新队", active_since=D(2024, 1, 1))
    Station.objects.create(community=community_a, kind=Station.Kind.STATION, name="新驿站", grid_cell=cell_a,
                           active_since=D(2024, 1, 1))
    assert stock(Y2023, community_a)["volunteer_teams"] == stock(Y2023, community_a)["stations"] == 0
    assert stock(Y2024, community_a)["volunteer_teams"] == stock(Y2024, community_a)["stations"] == 1


def test_a_team_created_through_the_page_counts_from_that_day(client, staff_a, community_a):
    client.force_login(staff_a)
    with clock(2024, 3, 1):
        response = client.get(reverse("volunteers:team_create"))
        assert response.context["form"]["active_since"].value() == D(2024, 3, 1)
        client.post(reverse("volunteers:team_create"), {"name": "助餐队", "active_since": "2024-03-01", "is_active": "on"})
    team = VolunteerTeam.objects.get(name="助餐队")
    assert team.active_since == D(2024, 3, 1)
    assert stock((D(2024, 1, 1), D(2024, 2, 29)), community_a)["volunteer_teams"] == 0
    assert stock((D(2024, 1, 1), D(2024, 3, 1)), community_a)["volunteer_teams"] == 1


def test_staff_give_the_day_a_member_left(client, staff_a, member_a):
    client.force_login(staff_a)
    url = reverse("grid:member_update", args=[member_a.pk])
    with clock(2024, 5, 20):
        post_edit(client, url, is_active="", inactive_since="2024-02-01")
    member_a.refresh_from_db()
    assert member_a.inactive_since == D(2024, 2, 1)
    counted = PartyMember.objects.filter(pk=member_a.pk)
    assert counted.registered_as_of(D(2024, 1, 31)).exists() and not counted.registered_as_of(D(2024, 2, 1)).exists()


@pytest.mark.parametrize(
    "day, message",
    [("2024-05-21", "This date is still to come"), ("2023-03-04", "This is before registered on (2023-03-05)")],
)
def test_a_left_day_in_the_future_or_before_the_start_is_refused(client, staff_a, member_a, day, message):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_a)
    url = reverse("grid:member_update", args=[member_a.pk])
    with clock(2024, 5, 20):
        response = client.post(url, edit_form_data(client, url, is_active="", inactive_since=day))
    assert response.status_code == 200
    with translation.override("en"):  # the errors are read after the request
        assert message in " ".join(response.context["form"].errors["inactive_since"])
    member_a.refresh_from_db()
    assert member_a.is_active and member_a.inactive_since is None  # nothing saved


def test_reactivating_clears_the_day(client, staff_a, unit_a):
    client.force_login(staff_a)
    url = reverse("grid:unit_update", args=[unit_a.pk])
    with clock(2024, 5, 20):
        post_edit(client, url, is_active="")
    with clock(2024, 6, 1):
        post_edit(client, url, is_active="on", inactive_since="2024-05-20")
    unit_a.refresh_from_db()
    assert (unit_a.is_active, unit_a.inactive_since) == (True, None)


def test_an_import_that_deactivates_a_member_dates_it(community_a, cell_a, unit_a, member_a):
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "性别", "手机号", "工作单位", "网格", "是否有效"])
    workbook.active.append([member_a.name, "男", member_a.phone, unit_a.name, cell_a.name, "否"])
    workbook.active.append(["新党员", "女", "13900001111", unit_a.name, cell_a.name, "否"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    with clock(2024, 5, 20):
        result = MEMBER_IMPORTER.run(community_a, buffer)
    assert not result.errors and (result.created, result.updated) == (1, 1)
    member_a.refresh_from_db()
    assert (member_a.is_active, member_a.inactive_since) == (False, D(2024, 5, 20))
    assert PartyMember.objects.get(phone="13900001111").inactive_since == D(2024, 5, 20)


def test_the_database_refuses_an_inactive_record_without_its_day(community_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CoBuildingUnit.objects.create(community=community_a, name="无日期", is_active=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        CoBuildingUnit.objects.create(community=community_a, name="有日期却有效", inactive_since=D(2024, 1, 1))


# Feedback sheets: reported as of the period's end -------------------------------------------


@pytest.mark.parametrize("day, reported", [(D(2023, 3, 9), 0), (D(2023, 3, 10), 1), (D(2023, 6, 30), 1)])
def test_feedback_reported_column_for_a_single_day(client, staff_a, unit_a, member_a, day, reported):
    member_confirm_report(member=member_a, by=staff_a, on=D(2023, 3, 10))
    sheet = feedback_sheets([unit_a], day, day)[0]
    assert (sheet.totals["members"], sheet.totals["reported"]) == (1, reported)
    assert sheet.rows[0]["reported_on"] == (D(2023, 3, 10) if reported else None)
    client.force_login(staff_a)
    listed = client.get(reverse("office:feedback_list"), {"from": day.isoformat(), "to": day.isoformat()})
    assert [(u.member_count, u.reported_count) for u in listed.context["units"]] == [(1, reported)]
    page = client.get(reverse("office:feedback_unit", args=[unit_a.pk]), {"from": day.isoformat(), "to": day.isoformat()})
    assert ("2023-03-10" in page.content.decode()) == bool(reported)


# Wishers are people ------------------------------------------------------------------------


def walk_to_fulfilled(wish, staff, claimer, day):
    with clock(day.year, day.month, day.day, 9):
        wish = wish_approve(wish=wish, by=staff)
    with clock(day.year, day.month, day.day, 10):
        wish = wish_claim(wish=wish, by=claimer)
    with clock(day.year, day.month, day.day, 11):
        wish = wish_deliver(wish=wish, by=claimer, note="送到了")
    with clock(day.year, day.month, day.day, 12):
        return wish_confirm(wish=wish)


def new_wish(community, cell, phone, title, day):
    with clock(day.year, day.month, day.day, 8):
        return wish_submit(wish=MicroWish(community=community, grid_cell=cell, category="daily", title=title,
                                          wisher_name="王秀英", wisher_phone=phone))


def test_a_resident_whose_data_were_removed_is_still_one_wisher(staff_a, member_user_a, community_a, cell_a):
    """The resident asks to have their data removed after one wish came true, while
    another is still open; that one comes true later the same year: one wisher."""
    first = new_wish(community_a, cell_a, "13700001111", "台灯", D(2023, 2, 1))
    second = new_wish(community_a, cell_a, "13700001111", "书包", D(2023, 2, 2))
    walk_to_fulfilled(first, staff_a, member_user_a, D(2023, 3, 1))
    with clock(2023, 4, 1):
        assert wish_anonymise(first, by=staff_a) == 1
    walk_to_fulfilled(second, staff_a, member_user_a, D(2023, 6, 1))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.wisher_phone != second.wisher_phone  # the number itself is gone from the first

    values = figures(*Y2023, community_ids=[community_a.pk])
    assert (values["wishes_fulfilled"], values["wishers_fulfilled"]) == (2, 1)
    out = io.StringIO()
    call_command("report", "--from", "2023-01-01", "--to", "2023-12-31", "--community", community_a.code,
                 "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["wishers_fulfilled"] == 1


def test_the_same_phone_in_two_communities_is_one_wisher_of_the_area(
    staff_a, staff_b, member_user_a, liaison_b_factory, community_a, community_b, cell_a, cell_b, area_admin
):
    walk_to_fulfilled(new_wish(community_a, cell_a, "13700001111", "台灯", D(2023, 2, 1)), staff_a, member_user_a, D(2023, 3, 1))
    walk_to_fulfilled(new_wish(community_b, cell_b, "13700001111", "书包", D(2023, 5, 1)), staff_b, liaison_b_factory,
                      D(2023, 6, 1))
    walk_to_fulfilled(new_wish(community_b, cell_b, "13700002222", "棉被", D(2024, 5, 1)), staff_b, liaison_b_factory,
                      D(2024, 6, 1))

    side_by_side = figures_by_community(D(2023, 1, 1), D(2024, 12, 31))
    assert [side_by_side[c.pk]["wishers_fulfilled"] for c in (community_a, community_b)] == [1, 2]
    whole = figures(D(2023, 1, 1), D(2024, 12, 31))
    assert whole["wishers_fulfilled"] == 2
    assert figures_total(side_by_side, D(2023, 1, 1), D(2024, 12, 31)) == whole
    scope = ReportScope(start=D(2023, 1, 1), end=D(2024, 12, 31), community_ids=None, community=None)
    assert scope_figures(scope)[0]["wishers_fulfilled"] == 2


@pytest.fixture
def liaison_b_factory(community_b, unit_b):
    from conftest import make_user
    from portal.models import User

    return make_user("liaison_b", User.Role.LIAISON, community_b, unit=unit_b)


def test_keys_are_set_for_every_new_wish(community_a, cell_a):
    wish = new_wish(community_a, cell_a, "13700001111", "台灯", D(2023, 2, 1))
    other = new_wish(community_a, cell_a, "13700002222", "书包", D(2023, 2, 1))
    assert wish.wisher_key and wish.wisher_key != other.wisher_key
    assert wish.wisher_key == new_wish(community_a, cell_a, "13700001111", "水壶", D(2023, 2, 2)).wisher_key
    assert "13700001111" not in wish.wisher_key


def test_today_is_not_the_end_of_a_past_period(community_a, unit_a):
    """A unit that left yesterday counts for last year and not for today."""
    today = timezone.localdate()
    unit_a.is_active, unit_a.inactive_since = False, today
    unit_a.save()
    assert CoBuildingUnit.objects.co_building_as_of(today - datetime.timedelta(days=1)).count() == 1
    assert CoBuildingUnit.objects.co_building_as_of(today).count() == 0


def test_a_wish_added_or_corrected_in_the_admin_gets_its_resident_key(client, area_admin, community_a, cell_a):
    client.force_login(area_admin)
    data = {"community": community_a.pk, "grid_cell": cell_a.pk, "category": "daily", "title": "台灯",
            "wisher_name": "王秀英", "wisher_phone": "13700001111", "consent_version": "",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:wishes_microwish_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    wish = MicroWish.objects.get()
    assert wish.wisher_key == resident_key("13700001111")
    change = reverse("admin:wishes_microwish_change", args=[wish.pk])
    form = client.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields} | {"wisher_phone": "13700002222"}
    data |= {"events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"}  # added in the admin: no steps
    assert client.post(change, data).status_code == 302
    wish.refresh_from_db()
    assert wish.wisher_key == resident_key("13700002222")
