"""`volunteer_figures` and `events_by` on hand-made data: what counts, the period's
edges in Asia/Shanghai, and community scoping."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grid.models import PartyMember
from volunteers.models import (
    EventKind,
    Participation,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from volunteers.selectors import events_by, volunteer_figures

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
DONE, PLANNED, CANCELLED = VolunteerEvent.Status.DONE, VolunteerEvent.Status.PLANNED, VolunteerEvent.Status.CANCELLED
ZERO = {
    "volunteer_events": 0,
    "special_services": 0,
    "residents_served": 0,
    "attendances": 0,
    "volunteer_hours": 0,
    "special_group_cases_resolved": 0,
    "volunteer_teams": 0,
}


def local(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def figures(**kwargs):
    return volunteer_figures(START, END, **kwargs)


def kind(code):
    return EventKind.objects.get(community__isnull=True, code=code)


def member(community, number, **fields):
    return PartyMember.objects.create(
        community=community, name=f"党员{number}", gender=PartyMember.Gender.FEMALE, phone=f"1370000{number:04d}", **fields
    )


def case(community, status="solved", opened_on=datetime.date(2023, 3, 1), solved_on=None, **fields):
    return SpecialGroupCase.objects.create(
        community=community, group="elderly_alone", resident_name="某居民", problem="独居老人家中水管漏水",
        status=status, opened_on=opened_on, solved_on=solved_on, **fields,
    )


def test_nothing_gives_zeros(community_a):
    assert figures() == ZERO
    assert figures(community_ids=[community_a.pk]) == ZERO
    assert list(events_by(START, END, "kind")) == []


def test_only_held_events_count(make_event):
    make_event(starts_at=local(2023, 5, 6, 9), status=DONE, residents_served=30)
    make_event(starts_at=local(2023, 5, 7, 9), status=PLANNED, residents_served=100)  # never marked held
    make_event(starts_at=local(2023, 5, 8, 9), status=CANCELLED, residents_served=50)
    result = figures()
    assert result["volunteer_events"] == 1
    assert result["residents_served"] == 30


@pytest.mark.parametrize(
    "starts_at, in_2023",
    [
        (local(2022, 12, 31, 23, 50), False),
        (local(2023, 1, 1, 0, 0), True),  # 2022-12-31 16:00 UTC
        (local(2023, 1, 1, 7, 30), True),  # 2022-12-31 23:30 UTC
        (local(2023, 12, 31, 23, 30), True),
        (local(2024, 1, 1, 0, 10), False),  # 2023-12-31 16:10 UTC
        (local(2024, 1, 1, 9, 0), False),
    ],
)
def test_the_period_is_whole_days_in_local_time(make_event, starts_at, in_2023):
    make_event(starts_at=starts_at, hours=0.5, status=DONE)
    assert figures()["volunteer_events"] == int(in_2023)
    assert sum(row["count"] for row in events_by(START, END, "kind")) == int(in_2023)
    other_year = starts_at.year if not in_2023 else 2022
    other = volunteer_figures(datetime.date(other_year, 1, 1), datetime.date(other_year, 12, 31))
    assert other["volunteer_events"] == int(not in_2023)


def test_a_period_of_one_day(make_event):
    make_event(starts_at=local(2023, 6, 1, 23, 30), hours=0.5, status=DONE)
    make_event(starts_at=local(2023, 6, 2, 0, 15), status=DONE)
    make_event(starts_at=local(2023, 6, 2, 23, 45), hours=0.25, status=DONE)
    make_event(starts_at=local(2023, 6, 3, 0, 0), status=DONE)
    day = datetime.date(2023, 6, 2)
    assert volunteer_figures(day, day)["volunteer_events"] == 2


def test_special_services_follow_the_kind_flag(make_event, community_a):
    for code in ("haircut", "clinic", "performance", "policy", "meal"):
        make_event(starts_at=local(2023, 3, 1, 9), status=DONE, kind_code=code)
    sale = EventKind.objects.create(community=community_a, code="charity_sale", name="爱心义卖", is_special_service=True)
    walk = EventKind.objects.create(community=community_a, code="walk", name="健步走", is_special_service=False)
    make_event(starts_at=local(2023, 3, 2, 9), status=DONE, kind=sale)
    make_event(starts_at=local(2023, 3, 3, 9), status=DONE, kind=walk)
    # Special services that were not held do not count.
    make_event(starts_at=local(2023, 3, 4, 9), status=CANCELLED, kind_code="haircut")
    make_event(starts_at=local(2023, 3, 5, 9), status=PLANNED, kind=sale)
    make_event(starts_at=local(2024, 1, 1, 0, 10), status=DONE, kind_code="clinic")

    result = figures()
    assert result["volunteer_events"] == 7
    assert result["special_services"] == 4  # haircut, clinic, performance and the community's 爱心义卖

    by_kind = {row["kind"]: row["count"] for row in events_by(START, END, "kind")}
    assert by_kind == {kind(code).pk: 1 for code in ("haircut", "clinic", "performance", "policy", "meal")} | {
        sale.pk: 1,
        walk.pk: 1,
    }


def test_attendances_are_check_ins_and_hours_are_approved_hours(make_event, community_a, member_a, staff_a):
    event = make_event(starts_at=local(2023, 4, 10, 9), hours=3, status=DONE)
    others = [member(community_a, n) for n in range(1, 5)]
    at = event.starts_at
    approved = {"hours_approved_at": at + datetime.timedelta(days=1), "hours_approved_by": staff_a}
    Participation.objects.create(event=event, member=member_a, signed_up_at=at, checked_in_at=at, hours=Decimal(3), **approved)
    Participation.objects.create(event=event, member=others[0], checked_in_at=at, checked_in_by="staff", hours=Decimal("2.5"), **approved)
    Participation.objects.create(event=event, member=others[1], signed_up_at=at, checked_in_at=at, hours=Decimal(3))  # pending
    Participation.objects.create(event=event, member=others[2], signed_up_at=at)  # signed up, did not come
    Participation.objects.create(event=event, member=others[3], signed_up_at=at, withdrawn_at=at)  # withdrew
    # Attendance at events that were not held in 2023 does not count.
    for starts_at, status in ((local(2023, 4, 11, 9), PLANNED), (local(2023, 4, 12, 9), CANCELLED), (local(2024, 1, 1, 9), DONE)):
        other = make_event(starts_at=starts_at, status=status)
        Participation.objects.create(event=other, member=member_a, checked_in_at=starts_at, hours=Decimal(2), **approved)

    result = figures()
    assert result["attendances"] == 3
    assert result["volunteer_hours"] == Decimal("5.5")


def test_residents_served_add_up_over_held_events(make_event):
    make_event(starts_at=local(2023, 2, 1, 9), status=DONE, residents_served=12)
    make_event(starts_at=local(2023, 9, 1, 15), status=DONE, residents_served=30)
    make_event(starts_at=local(2023, 9, 2, 15), status=DONE)  # none recorded
    make_event(starts_at=local(2023, 9, 3, 15), status=CANCELLED, residents_served=99)
    make_event(starts_at=local(2022, 12, 31, 23, 0), hours=0.5, status=DONE, residents_served=99)
    assert figures()["residents_served"] == 42


def test_cases_count_by_the_day_they_were_solved(community_a):
    d = datetime.date
    case(community_a, opened_on=d(2023, 1, 1), solved_on=d(2023, 1, 1))  # first day
    case(community_a, opened_on=d(2023, 12, 1), solved_on=d(2023, 12, 31))  # last day
    case(community_a, opened_on=d(2022, 12, 20), solved_on=d(2023, 1, 4))  # opened the year before
    case(community_a, opened_on=d(2022, 12, 1), solved_on=d(2022, 12, 31))
    case(community_a, opened_on=d(2023, 12, 20), solved_on=d(2024, 1, 1))
    case(community_a, status="open")
    case(community_a, status="in_progress", started_on=d(2023, 3, 2))
    # A date without the solved status (left over from a reopened case) does not count.
    case(community_a, status="in_progress", started_on=d(2023, 3, 2), solved_on=d(2023, 5, 1))
    assert figures()["special_group_cases_resolved"] == 3
    assert volunteer_figures(d(2023, 12, 31), d(2023, 12, 31))["special_group_cases_resolved"] == 1
    assert volunteer_figures(d(2022, 1, 1), d(2022, 12, 31))["special_group_cases_resolved"] == 1
    assert volunteer_figures(d(2024, 1, 1), d(2024, 1, 1))["special_group_cases_resolved"] == 1


def test_only_active_teams_count(community_a):
    since = datetime.date(2022, 1, 1)
    VolunteerTeam.objects.create(community=community_a, name="小红兴·助餐队", active_since=since)
    VolunteerTeam.objects.create(community=community_a, name="小红兴·义剪队", active_since=since)
    VolunteerTeam.objects.create(community=community_a, name="旧服务队", active_since=since, is_active=False, inactive_since=since)
    assert figures()["volunteer_teams"] == 2


def test_figures_are_scoped_to_communities(make_event, community_a, community_b, member_a, member_b, staff_a):
    at = local(2023, 7, 1, 9)
    approved = {"checked_in_at": at, "hours": Decimal(2), "hours_approved_at": at, "hours_approved_by": staff_a}
    a1 = make_event(starts_at=at, status=DONE, kind_code="haircut", residents_served=10)
    make_event(starts_at=at, status=DONE, kind_code="policy", residents_served=5)
    b1 = make_event(community=community_b, starts_at=at, status=DONE, kind_code="clinic", residents_served=100)
    Participation.objects.create(event=a1, member=member_a, **approved)
    Participation.objects.create(event=b1, member=member_b, **approved)
    case(community_a, solved_on=datetime.date(2023, 8, 1))
    case(community_b, solved_on=datetime.date(2023, 8, 1))
    case(community_b, solved_on=datetime.date(2023, 8, 2))
    since = datetime.date(2023, 1, 1)
    VolunteerTeam.objects.create(community=community_a, name="小红兴·文艺队", active_since=since)
    VolunteerTeam.objects.create(community=community_b, name="北关服务队", active_since=since)
    VolunteerTeam.objects.create(community=community_b, name="北关帮扶队", active_since=since)

    a = {
        "volunteer_events": 2, "special_services": 1, "residents_served": 15, "attendances": 1,
        "volunteer_hours": Decimal(2), "special_group_cases_resolved": 1, "volunteer_teams": 1,
    }
    b = {
        "volunteer_events": 1, "special_services": 1, "residents_served": 100, "attendances": 1,
        "volunteer_hours": Decimal(2), "special_group_cases_resolved": 2, "volunteer_teams": 2,
    }
    assert figures(community_ids=[community_a.pk]) == a
    assert figures(community_ids=[community_b.pk]) == b
    both = {key: a[key] + b[key] for key in a}
    assert figures() == both  # None: every community
    assert figures(community_ids=[community_a.pk, community_b.pk]) == both
    assert figures(community_ids=[]) == ZERO

    assert {row["kind"] for row in events_by(START, END, "kind", community_ids=[community_b.pk])} == {kind("clinic").pk}
    assert sum(row["count"] for row in events_by(START, END, "kind")) == 3


def test_events_by_project_team_and_grid_cell(make_event, community_a, cell_a, cell_a2, unit_a):
    team = VolunteerTeam.objects.create(community=community_a, name="小红兴·义剪队", sponsor_unit=unit_a)
    project = ServiceProject.objects.create(
        community=community_a, name="爱心助餐·聚爱成河", lead_team=team, start_date=datetime.date(2022, 9, 1)
    )
    held = {"status": DONE}
    make_event(starts_at=local(2023, 1, 5, 9), team=team, project=project, grid_cell=cell_a, **held)
    make_event(starts_at=local(2023, 2, 5, 9), team=team, project=project, grid_cell=cell_a, **held)
    make_event(starts_at=local(2023, 3, 5, 9), team=team, grid_cell=cell_a2, **held)
    make_event(starts_at=local(2023, 4, 5, 9), unit=unit_a, **held)
    make_event(starts_at=local(2023, 5, 5, 9), team=team, project=project, grid_cell=cell_a, status=CANCELLED)
    make_event(starts_at=local(2024, 1, 1, 0, 10), team=team, project=project, grid_cell=cell_a, **held)

    assert {row["project"]: row["count"] for row in events_by(START, END, "project")} == {project.pk: 2, None: 2}
    assert list(events_by(START, END, "team")) == [{"team": team.pk, "count": 3}, {"team": None, "count": 1}]
    assert {row["grid_cell"]: row["count"] for row in events_by(START, END, "grid_cell")} == {
        cell_a.pk: 2,
        cell_a2.pk: 1,
        None: 1,
    }
    assert next(iter(events_by(START, END, "grid_cell"))) == {"grid_cell": cell_a.pk, "count": 2}  # most first
    assert sum(row["count"] for row in events_by(START, END, "team", community_ids=[community_a.pk + 1000])) == 0


def test_the_events_chart_of_a_long_period_has_a_column_a_year(make_event, community_a):
    from office.reports import chart_data

    make_event(starts_at=local(2023, 7, 1, 9), status=DONE, kind_code="haircut")
    make_event(starts_at=local(2023, 12, 31, 23, 30), status=DONE, kind_code="haircut")
    make_event(starts_at=local(2024, 1, 1, 0, 10), status=DONE, kind_code="haircut")
    ten_years = chart_data(datetime.date(2015, 1, 1), datetime.date(2024, 12, 31), community_ids=[community_a.pk])
    assert len(ten_years["months"]) == 120 and ten_years["months"][0] == "2015-01"
    century = chart_data(datetime.date(1900, 1, 1), datetime.date(2999, 12, 31), community_ids=[community_a.pk])
    assert century["months"][:2] == ["1900", "1901"] and len(century["months"]) == 1100
    counts = century["events_by_kind"][0]["counts"]
    assert (counts[2023 - 1900], counts[2024 - 1900], sum(counts)) == (2, 1, 3)
