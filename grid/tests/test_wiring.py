"""Grid work wired into the rest of the portal: the dashboard's to-dos, the
navigation of each role, the home page and a grid cell's page.

Some pages linked here (visits, appeals, the deliberation hall) are built
separately; their links are checked once their URL names exist."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from grid.models import Appeal, Station, StationUpdate, VisitLog
from grid.selectors_work import grid_work_todos

A = Appeal.Status


@pytest.fixture(autouse=True)
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def reverse_or_skip(name, *args):
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        pytest.skip(f"{name} is not built yet")


def make_appeal(cell, status=A.RECEIVED, waiting_days=0, **fields):
    now = timezone.now()
    data = {
        "community": cell.community,
        "grid_cell": cell,
        "category": Appeal.Category.FACILITIES,
        "title": "路灯不亮",
        "resident_name": "王大妈",
        "resident_phone": "13800002222",
        "status": status,
        "waiting_since": now - datetime.timedelta(days=waiting_days),
    }
    if status in (A.ANSWERED, A.CLOSED):
        data["answered_at"] = now
    if status == A.CLOSED:
        data["closed_at"] = now
    data.update(fields)
    return Appeal.objects.create(**data)


def make_visit(cell, visitor, follow_up_needed=False, done=False, **fields):
    data = {
        "community": cell.community,
        "grid_cell": cell,
        "household": "2单元301 王大爷",
        "kind": VisitLog.Kind.CARE,
        "findings": "老人独居，暖气不热",
        "visitor": visitor,
        "follow_up_needed": follow_up_needed,
        "follow_up_done_on": timezone.localdate() if done else None,
    }
    data.update(fields)
    return VisitLog.objects.create(**data)


def make_station(cell, name, updated_days_ago=None, **fields):
    station = Station.objects.create(
        community=cell.community, grid_cell=cell, name=name, kind=Station.Kind.STATION, **fields
    )
    if updated_days_ago is not None:
        StationUpdate.objects.create(
            station=station,
            updated_on=timezone.localdate() - datetime.timedelta(days=updated_days_ago),
            title="宣传画",
            kind=StationUpdate.Kind.SLOGANS,
        )
    return station


@pytest.fixture
def grid_work(cell_a, cell_a2, cell_b, staff_a, staff_b, grid_worker_a):
    """Cell 1 (grid_a's): 2 waiting appeals (1 overdue), 1 answered; 1 open follow-up;
    1 stale and 1 fresh station. Cell 2: 1 overdue appeal, 1 open follow-up, 1 station
    without content. Community B: one of each, never counted for A."""
    make_appeal(cell_a, A.RECEIVED)
    make_appeal(cell_a, A.REOPENED, waiting_days=10)
    make_appeal(cell_a, A.ANSWERED)
    make_appeal(cell_a2, A.ASSIGNED, waiting_days=8)
    make_appeal(cell_a2, A.CLOSED)
    make_visit(cell_a, grid_worker_a, follow_up_needed=True)
    make_visit(cell_a, grid_worker_a, follow_up_needed=True, done=True)
    make_visit(cell_a, grid_worker_a)
    make_visit(cell_a2, staff_a, follow_up_needed=True, household="西区5号楼101")
    make_station(cell_a, "东区驿站", updated_days_ago=31, update_every_days=30)
    make_station(cell_a, "东区微党校", updated_days_ago=29, update_every_days=30)
    make_station(cell_a2, "西区微党校")
    make_appeal(cell_b, A.RECEIVED, waiting_days=30)
    make_visit(cell_b, staff_b, follow_up_needed=True)
    make_station(cell_b, "北关驿站")


# The dashboard -------------------------------------------------------------------------------


def cards(response):
    return {card["label"]: card["value"] for card in response.context["grid_work_cards"]}


def test_dashboard_grid_work_todos_for_staff(client, staff_a, grid_work):
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard"))
    assert cards(response) == {
        "Appeals waiting for an answer": 3,
        "Overdue appeals": 2,
        "Open follow-ups from visits": 2,
        "Stations needing new content": 2,
    }
    page = response.content.decode()
    assert "Grid work to do" in page and "Stations needing new content" in page
    assert reverse("grid:station_list") + "?stale=yes" in page
    # The cards that were there before are still there.
    assert "Micro-wishes to do" in page and "Volunteer service to do" in page


def test_dashboard_grid_work_todos_for_a_grid_worker(client, grid_worker_a, grid_work):
    client.force_login(grid_worker_a)
    response = client.get(reverse("office:dashboard"))
    assert cards(response) == {
        "Appeals waiting for an answer": 2,
        "Overdue appeals": 1,
        "Open follow-ups from visits": 1,
        "Stations needing new content": 1,
    }
    assert "My grid cells" in response.content.decode()


def test_dashboard_for_the_area_admin_counts_every_community(client, area_admin, grid_work):
    client.force_login(area_admin)
    assert cards(client.get(reverse("office:dashboard"))) == {
        "Appeals waiting for an answer": 4,
        "Overdue appeals": 3,
        "Open follow-ups from visits": 3,
        "Stations needing new content": 3,
    }


def test_dashboard_links_appeal_cards_once_the_appeal_list_exists(client, staff_a, grid_work):
    url = reverse_or_skip("grid:appeal_list")
    client.force_login(staff_a)
    hrefs = {card["label"]: card["href"] for card in client.get(reverse("office:dashboard")).context["grid_work_cards"]}
    assert hrefs["Appeals waiting for an answer"] == f"{url}?status=waiting"
    assert hrefs["Overdue appeals"] == f"{url}?overdue=yes"


def test_dashboard_links_follow_ups_to_the_visit_list(client, staff_a, grid_work):
    url = reverse_or_skip("grid:visit_list")
    client.force_login(staff_a)
    hrefs = {card["label"]: card["href"] for card in client.get(reverse("office:dashboard")).context["grid_work_cards"]}
    assert hrefs["Open follow-ups from visits"] == f"{url}?follow_up=yes"


def test_dashboard_station_card_leads_to_the_same_places(client, staff_a, grid_work):
    client.force_login(staff_a)
    hrefs = {card["label"]: card["href"] for card in client.get(reverse("office:dashboard")).context["grid_work_cards"]}
    listed = client.get(hrefs["Stations needing new content"]).context["object_list"]
    assert {station.name for station in listed} == {"东区驿站", "西区微党校"}


def test_grid_work_todos_take_one_query_per_count(staff_a, grid_work, django_assert_num_queries):
    with django_assert_num_queries(4):
        todos = grid_work_todos(staff_a)
    assert todos == {"appeals_waiting": 3, "appeals_overdue": 2, "follow_ups_open": 2, "stations_stale": 2}


# Navigation ------------------------------------------------------------------------------------

NAV = [
    ("staff_a", "grid:station_list"),
    ("staff_a", "grid:visit_list"),
    ("staff_a", "grid:appeal_list"),
    ("staff_a", "council:topic_list"),
    ("staff_a", "council:company_list"),
    ("staff_a", "council:proxy_list"),
    ("staff_a", "council:public_topics"),
    ("area_admin", "grid:station_list"),
    ("area_admin", "council:topic_list"),
    ("grid_worker_a", "grid:station_list"),
    ("grid_worker_a", "grid:visit_list"),
    ("grid_worker_a", "grid:visit_create"),
    ("grid_worker_a", "grid:appeal_list"),
    ("member_user_a", "grid:visit_create"),
]
NOT_IN_NAV = [
    ("grid_worker_a", "council:topic_list"),
    ("member_user_a", "grid:station_list"),
    ("member_user_a", "grid:appeal_list"),
    ("liaison_a", "grid:visit_create"),
    ("liaison_a", "grid:station_list"),
]


@pytest.mark.parametrize("actor,name", NAV, ids=[f"{a}-{n}" for a, n in NAV])
def test_nav_shows_the_new_links(request, client, actor, name):
    url = reverse_or_skip(name)
    client.force_login(request.getfixturevalue(actor))
    page = client.get(reverse("grid:member_me") if actor == "member_user_a" else reverse("office:dashboard"))
    assert f'href="{url}"' in page.content.decode()


@pytest.mark.parametrize("actor,name", NOT_IN_NAV, ids=[f"{a}-{n}" for a, n in NOT_IN_NAV])
def test_nav_hides_links_the_role_may_not_use(request, client, unit_a, actor, name):
    url = reverse_or_skip(name)
    client.force_login(request.getfixturevalue(actor))
    page = client.get(reverse("office:dashboard"), follow=True).content.decode()
    assert f'href="{url}"' not in page



@pytest.mark.parametrize("name", ["grid:appeal_new", "grid:appeal_track", "council:public_topics"])
def test_home_links_residents_to_appeals_and_the_deliberation_hall(client, db, name):
    url = reverse_or_skip(name)
    assert f'href="{url}"' in client.get("/").content.decode()


# A grid cell's page --------------------------------------------------------------------------------


def test_grid_cell_page_shows_its_visits_follow_ups_and_stations(client, grid_worker_a, cell_a, grid_work):
    client.force_login(grid_worker_a)
    response = client.get(cell_a.get_absolute_url())
    page = response.content.decode()
    assert "Recent visits" in page and "Open follow-ups" in page
    assert len(response.context["recent_visits"]) == 3
    assert [v.follow_up_open for v in response.context["open_follow_ups"]] == [True]
    assert "2单元301 王大爷" in page and "西区5号楼101" not in page  # only this cell's visits
    assert "东区驿站" in page and "东区微党校" in page and "西区微党校" not in page
    assert "31 days ago" in page and "29 days ago" in page and "Needs new content" in page


def test_grid_cell_page_shows_the_latest_ten_visits(client, staff_a, cell_a):
    today = timezone.localdate()
    for n in range(12):
        make_visit(cell_a, staff_a, household=f"户{n:02d}", visited_on=today - datetime.timedelta(days=n))
    client.force_login(staff_a)
    response = client.get(cell_a.get_absolute_url())
    assert [v.household for v in response.context["recent_visits"]] == [f"户{n:02d}" for n in range(10)]
    assert "户11" not in response.content.decode()


def test_grid_cell_page_links_visits_once_their_pages_exist(client, staff_a, cell_a, grid_worker_a):
    visit = make_visit(cell_a, grid_worker_a)
    url = reverse_or_skip("grid:visit_detail", visit.pk)
    client.force_login(staff_a)
    page = client.get(cell_a.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    assert reverse_or_skip("grid:visit_list") + f"?grid_cell={cell_a.pk}" in page


def test_grid_cell_page_query_count(client, staff_a, cell_a, grid_worker_a, building_a, django_assert_max_num_queries):
    for n in range(30):
        make_visit(cell_a, grid_worker_a, building=building_a, follow_up_needed=n % 2 == 0)
        make_station(cell_a, f"驿站{n}", updated_days_ago=n, building=building_a)
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        assert client.get(cell_a.get_absolute_url()).status_code == 200
