"""Figures of grid work (`grid.selectors_figures.grid_work_figures`) on hand-made data:
the edges of the period are those of Asia/Shanghai days."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from grid.models import (
    Appeal,
    AppealEvent,
    Building,
    GridCell,
    Station,
    StationUpdate,
    VisitLog,
)
from grid.selectors_figures import grid_work_figures

TZ = ZoneInfo("Asia/Shanghai")
START, END = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
D = datetime.date


def local(*args):
    return datetime.datetime(*args, tzinfo=TZ)


def figures(community_ids, **kwargs):
    return grid_work_figures(START, END, community_ids=community_ids, **kwargs)


def visit(community, cell, visitor, day, kind="policy", household="1单元101室"):
    return VisitLog.objects.create(
        community=community, grid_cell=cell, household=household, visited_on=day, kind=kind, findings="情况正常", visitor=visitor
    )


def appeal(community, *, received_at, status=Appeal.Status.RECEIVED, answered_at=None, waiting_since=None, **fields):
    return Appeal.objects.create(
        community=community, category=Appeal.Category.ENVIRONMENT, title="楼道堆物", resident_name="王某",
        resident_phone="13700000000", status=status, received_at=received_at, waiting_since=waiting_since or received_at,
        answered_at=answered_at, closed_at=fields.pop("closed_at", None) or (answered_at if status == Appeal.Status.CLOSED else None),
        **fields,
    )


@pytest.fixture
def other(community_b, cell_b, staff_b):
    """Community B has a little of everything in 2023."""
    visit(community_b, cell_b, staff_b, D(2023, 6, 1), "care")
    appeal(community_b, received_at=local(2023, 6, 1, 10), status=Appeal.Status.ANSWERED, answered_at=local(2023, 6, 2, 10))
    station = Station.objects.create(community=community_b, kind=Station.Kind.STATION, name="北关驿站", grid_cell=cell_b, active_since=D(2022, 1, 1))
    StationUpdate.objects.create(station=station, updated_on=D(2023, 5, 1), title="标语", kind=StationUpdate.Kind.SLOGANS)
    return community_b


@pytest.mark.django_db
def test_visits_in_the_period_by_kind_and_cell(community_a, cell_a, cell_a2, staff_a, grid_worker_a, other):
    visit(community_a, cell_a, grid_worker_a, D(2023, 1, 1), "policy")
    visit(community_a, cell_a, grid_worker_a, D(2023, 12, 31), "policy", household="2单元")
    visit(community_a, cell_a, grid_worker_a, D(2023, 12, 31), "mediation")
    visit(community_a, cell_a2, staff_a, D(2023, 7, 1), "emergency")
    visit(community_a, cell_a, grid_worker_a, D(2022, 12, 31), "policy")  # the year before
    visit(community_a, cell_a2, staff_a, D(2024, 1, 1), "care")  # the year after

    result = figures([community_a.pk])
    assert result["visits"] == 4
    assert result["visits_by_kind"] == {"policy": 2, "mediation": 1, "emergency": 1}
    assert result["visits_by_cell"] == {cell_a.pk: 3, cell_a2.pk: 1}

    everyone = figures(None)
    assert everyone["visits"] == 5
    assert everyone["visits_by_kind"]["care"] == 1
    assert set(everyone["visits_by_cell"]) == {cell_a.pk, cell_a2.pk, GridCell.objects.get(community=other).pk}
    assert figures([other.pk])["visits"] == 1
    assert figures([])["visits"] == 0


@pytest.mark.django_db
def test_appeals_received_and_answered_by_shanghai_days(community_a, other):
    # Received on the last evening of 2023 (15:30 UTC), answered just after midnight (16:10 UTC, still 2023 in UTC).
    appeal(
        community_a, received_at=local(2023, 12, 31, 23, 30), status=Appeal.Status.ANSWERED, answered_at=local(2024, 1, 1, 0, 10)
    )
    # Received just before 2023 began, answered in its first minutes.
    appeal(community_a, received_at=local(2022, 12, 31, 23, 50), status=Appeal.Status.CLOSED, answered_at=local(2023, 1, 1, 0, 5))
    # Answered at 23:30 on the last day of 2023.
    appeal(community_a, received_at=local(2023, 12, 30, 9), status=Appeal.Status.ANSWERED, answered_at=local(2023, 12, 31, 23, 30))
    appeal(community_a, received_at=local(2024, 1, 1, 0, 10))

    result = figures([community_a.pk])
    assert result["appeals_received"] == 2  # 31 Dec 23:30 and 30 Dec; not 31 Dec 2022 23:50 nor 1 Jan 00:10
    assert result["appeals_answered"] == 2  # 1 Jan 2023 00:05 and 31 Dec 23:30; not 1 Jan 2024 00:10
    assert figures(None)["appeals_received"] == 3
    assert figures(None)["appeals_answered"] == 3
    assert grid_work_figures(D(2024, 1, 1), D(2024, 1, 1), community_ids=[community_a.pk])["appeals_answered"] == 1


def reopen(item, at):
    AppealEvent.objects.create(appeal=item, from_status="answered", to_status="reopened", by_resident=True, note="没修好", created_at=at)


@pytest.mark.django_db
def test_reopened_appeals_count_once_each(community_a, community_b):
    twice = appeal(community_a, received_at=local(2023, 3, 1, 9), status=Appeal.Status.ANSWERED, answered_at=local(2023, 3, 20, 9))
    reopen(twice, local(2023, 3, 5, 10))
    reopen(twice, local(2023, 3, 15, 10))
    late = appeal(community_a, received_at=local(2023, 12, 20, 9), status=Appeal.Status.REOPENED)
    reopen(late, local(2024, 1, 1, 0, 10))  # 2024 in Shanghai (still 2023 in UTC)
    edge = appeal(community_a, received_at=local(2023, 12, 20, 9), status=Appeal.Status.REOPENED)
    reopen(edge, local(2023, 12, 31, 23, 30))
    # Sending the reopened appeal to the deliberation hall logs a step that keeps its status: no new reopening.
    AppealEvent.objects.create(appeal=late, from_status="reopened", to_status="reopened", note="已转红色议事厅", created_at=local(2023, 12, 25))
    answered = appeal(community_a, received_at=local(2023, 5, 1, 9), status=Appeal.Status.ANSWERED, answered_at=local(2023, 5, 2, 9))
    AppealEvent.objects.create(appeal=answered, from_status="received", to_status="answered", created_at=local(2023, 5, 2, 9))
    elsewhere = appeal(community_b, received_at=local(2023, 3, 1, 9), status=Appeal.Status.REOPENED)
    reopen(elsewhere, local(2023, 3, 5, 10))

    assert figures([community_a.pk])["appeals_reopened"] == 2
    assert figures([community_b.pk])["appeals_reopened"] == 1
    assert figures(None)["appeals_reopened"] == 3


@pytest.mark.django_db
def test_overdue_as_of_the_end_of_the_period(community_a, community_b):
    # community A allows 7 days: the deadline of the end of 2023 (2024-01-01 00:00) is 2023-12-25 00:00.
    appeal(community_a, received_at=local(2023, 12, 24, 23, 30))  # overdue by 31 Dec 23:30
    appeal(community_a, received_at=local(2023, 12, 25, 0, 10))  # overdue only from 1 Jan 00:10
    appeal(community_a, received_at=local(2023, 11, 1, 9), status=Appeal.Status.ASSIGNED)
    appeal(community_a, received_at=local(2023, 10, 1, 9), status=Appeal.Status.REOPENED, waiting_since=local(2023, 12, 28, 9))
    appeal(community_a, received_at=local(2023, 10, 1, 9), status=Appeal.Status.ANSWERED, answered_at=local(2023, 10, 2, 9))
    appeal(community_a, received_at=local(2024, 1, 5, 9))  # not yet received at the end of 2023
    community_b.appeal_answer_days = 30
    community_b.save()
    appeal(community_b, received_at=local(2023, 12, 10, 9))  # 21 days: within B's 30
    appeal(community_b, received_at=local(2023, 11, 20, 9))  # 41 days

    assert figures([community_a.pk])["appeals_overdue"] == 2
    assert figures([community_b.pk])["appeals_overdue"] == 1
    assert figures(None)["appeals_overdue"] == 3
    # As of the end of 2024, every appeal still waiting is overdue.
    assert grid_work_figures(D(2024, 1, 1), D(2024, 12, 31), community_ids=[community_a.pk])["appeals_overdue"] == 5
    # A period that has not ended yet counts as of now.
    now = timezone.now()
    appeal(community_a, received_at=now - datetime.timedelta(days=8))
    appeal(community_a, received_at=now - datetime.timedelta(days=6))
    today = timezone.localdate()
    current = grid_work_figures(today - datetime.timedelta(days=30), today + datetime.timedelta(days=30), community_ids=[community_a.pk])
    assert current["appeals_overdue"] == 6
    # `now` can be given: as of 31 Dec 2023 12:00 the 24 Dec 23:30 appeal is not yet 7 days old.
    assert figures([community_a.pk], now=local(2023, 12, 31, 12))["appeals_overdue"] == 1


@pytest.mark.django_db
def test_stations_schools_and_their_updates(community_a, cell_a, building_a, other):
    def place(name, kind, **fields):
        return Station.objects.create(community=community_a, kind=kind, name=name, grid_cell=cell_a, active_since=D(2022, 1, 1), **fields)

    station = place("阳光驿站", Station.Kind.STATION)
    place("丹霞驿站", Station.Kind.STATION, is_active=False, inactive_since=D(2023, 6, 1))
    school = place("1号楼微党校", Station.Kind.SCHOOL, building=building_a)
    place("2号楼微党校", Station.Kind.SCHOOL, building=Building.objects.create(grid_cell=cell_a, name="2号楼"))
    quiet = place("3号楼微党校", Station.Kind.SCHOOL)
    for day in (D(2023, 1, 1), D(2023, 6, 1), D(2023, 12, 31)):
        StationUpdate.objects.create(station=station, updated_on=day, title=f"{day}", kind=StationUpdate.Kind.PAPER)
    StationUpdate.objects.create(station=school, updated_on=D(2023, 12, 31), title="案例", kind=StationUpdate.Kind.CASE)
    StationUpdate.objects.create(station=quiet, updated_on=D(2024, 1, 1), title="漫画", kind=StationUpdate.Kind.COMICS)
    StationUpdate.objects.create(station=quiet, updated_on=D(2022, 12, 31), title="标语", kind=StationUpdate.Kind.SLOGANS)

    result = figures([community_a.pk])
    assert (result["stations"], result["micro_schools"], result["stations_updated"]) == (1, 3, 2)
    everyone = figures(None)
    assert (everyone["stations"], everyone["micro_schools"], everyone["stations_updated"]) == (2, 3, 3)
    assert grid_work_figures(D(2024, 1, 1), D(2024, 1, 31), community_ids=[community_a.pk])["stations_updated"] == 1


@pytest.mark.django_db
def test_figures_of_an_empty_period_and_their_queries(community_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        result = figures([community_a.pk])
    assert result == {
        "visits": 0, "visits_by_kind": {}, "visits_by_cell": {}, "appeals_received": 0, "appeals_answered": 0,
        "appeals_reopened": 0, "appeals_overdue": 0, "stations": 0, "micro_schools": 0, "stations_updated": 0,
    }
