"""Every list page answers in the same few queries with a handful of rows and with a
few hundred (no query per row: the N+1 that made pages slow at county scale), and in
at most 15. `manage.py bench` measures the same at 100 communities; this is what CI runs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from council.models import PropertyCompany, ProxyService, Topic
from grid.models import (
    Appeal,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    StationUpdate,
    VisitLog,
)
from portal.models import Community
from volunteers.models import (
    EventKind,
    Participation,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from wishes.models import MicroWish

MANY = 300
FEW = 3
MAX_QUERIES = 15


def _bulk(model, rows):
    return model.objects.bulk_create(rows)


def _communities(w, n, offset):
    _bulk(Community, [Community(code=f"qc-{offset + i}", name=f"社区{offset + i}", town="某镇", county="某县") for i in range(n)])


def _cells(w, n, offset):
    cells = _bulk(GridCell, [GridCell(community=w.community, number=100 + offset + i, name=f"网格{offset + i}") for i in range(n)])
    _bulk(Building, [Building(grid_cell=cell, name="1号楼") for cell in cells])


def _buildings(w, n, offset):
    _bulk(Building, [Building(grid_cell=w.cell, name=f"测试楼{offset + i}") for i in range(n)])


def _units(w, n, offset):
    units = _bulk(CoBuildingUnit, [CoBuildingUnit(community=w.community, name=f"单位{offset + i}") for i in range(n)])
    _members(w, n, offset, units=units)


def _members(w, n, offset, units=None):
    _bulk(PartyMember, [
        PartyMember(
            community=w.community, name=f"党员{offset + i}", gender="male", phone=f"1997{offset + i:07d}",
            grid_cell=w.cell, building=w.building, employer_unit=(units[i] if units else w.unit),
        )
        for i in range(n)
    ])


def _visits(w, n, offset):
    _bulk(VisitLog, [
        VisitLog(community=w.community, grid_cell=w.cell, building=w.building, household=f"{offset + i}室", kind="care",
                 findings="一切正常", visitor=w.staff)
        for i in range(n)
    ])


def _appeals(w, n, offset):
    _bulk(Appeal, [
        Appeal(community=w.community, code=f"QA{offset + i:08d}", category="other", title="路灯坏了", resident_name="王秀英",
               resident_phone="13700001111", grid_cell=w.cell, building=w.building, assigned_to_user=w.staff)
        for i in range(n)
    ])


def _stations(w, n, offset):
    stations = _bulk(Station, [
        Station(community=w.community, kind="school", name=f"微党校{offset + i}", grid_cell=w.cell, building=w.building)
        for i in range(n)
    ])
    _bulk(StationUpdate, [StationUpdate(station=s, title="宣传画", kind="slogans") for s in stations])


def _wishes(w, n, offset, **fields):
    now = timezone.now()
    data = {"status": "open", "published_at": now, **fields}
    _bulk(MicroWish, [
        MicroWish(community=w.community, code=f"QW{offset + i:08d}", category="study", title="书包", wisher_name="王秀英",
                  wisher_phone="13700001111", wisher_key="k-test", grid_cell=w.cell, building=w.building, **data)
        for i in range(n)
    ])


def _held_wishes(w, n, offset):
    _wishes(w, n, offset, status="claimed", claimed_at=timezone.now(), claimed_by_member=w.member)


def _events(w, n, offset, starts=None):
    kind = EventKind.objects.filter(community__isnull=True).first()
    team = VolunteerTeam.objects.get_or_create(community=w.community, name="小红兴一队")[0]
    starts = starts or timezone.now() + datetime.timedelta(days=2)
    events = _bulk(VolunteerEvent, [
        VolunteerEvent(community=w.community, title=f"活动{offset + i}", kind=kind, team=team, grid_cell=w.cell,
                       starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="广场",
                       checkin_code=f"Q{offset + i:05d}")
        for i in range(n)
    ])
    _bulk(Participation, [
        Participation(event=e, member=w.member, signed_up_at=starts - datetime.timedelta(days=1), checked_in_at=starts,
                      hours=Decimal("2"), hours_approved_at=starts + datetime.timedelta(hours=3))
        for e in events
    ])


def _past_events(w, n, offset):
    _events(w, n, offset, starts=timezone.now() - datetime.timedelta(days=3))


def _kinds(w, n, offset):
    _bulk(EventKind, [EventKind(community=w.community, code=f"k{offset + i}", name=f"类型{offset + i}") for i in range(n)])


def _teams(w, n, offset):
    teams = _bulk(VolunteerTeam, [VolunteerTeam(community=w.community, name=f"队{offset + i}", leader=w.member) for i in range(n)])
    through = VolunteerTeam.members.through
    _bulk(through, [through(volunteerteam_id=t.pk, partymember_id=w.member.pk) for t in teams])


def _projects(w, n, offset):
    _bulk(ServiceProject, [
        ServiceProject(community=w.community, name=f"项目{offset + i}", start_date=datetime.date(2023, 1, 1)) for i in range(n)
    ])


def _cases(w, n, offset):
    _bulk(SpecialGroupCase, [
        SpecialGroupCase(community=w.community, group="elderly_alone", resident_name="王奶奶", grid_cell=w.cell,
                         problem=f"问题{offset + i}", taken_by_member=w.member)
        for i in range(n)
    ])


def _topics(w, n, offset, status="proposed"):
    topics = _bulk(Topic, [
        Topic(community=w.community, title=f"议题{offset + i}", description="停车难", source="bench", status=status,
              deliberating_on=datetime.date(2023, 5, 1) if status != "proposed" else None)
        for i in range(n)
    ])
    through = Topic.grid_cells.through
    _bulk(through, [through(topic_id=t.pk, gridcell_id=w.cell.pk) for t in topics])


def _public_topics(w, n, offset):
    _topics(w, n, offset, status="deliberating")


def _companies(w, n, offset):
    companies = _bulk(PropertyCompany, [PropertyCompany(community=w.community, name=f"物业{offset + i}") for i in range(n)])
    through = PropertyCompany.compounds.through
    _bulk(through, [through(propertycompany_id=c.pk, building_id=w.building.pk) for c in companies])


def _proxies(w, n, offset):
    _bulk(ProxyService, [
        ProxyService(community=w.community, kind="payment", resident_name=f"居民{offset + i}", resident_phone="13912345678",
                     building=w.building, handled_by=w.staff)
        for i in range(n)
    ])


# URL name -> (who asks, how to make n rows of what it lists)
LISTS = {
    "grid:community_list": ("area_admin", _communities),
    "grid:gridcell_list": ("staff_a", _cells),
    "grid:building_list": ("staff_a", _buildings),
    "grid:unit_list": ("staff_a", _units),
    "grid:member_list": ("staff_a", _members),
    "grid:visit_list": ("staff_a", _visits),
    "grid:appeal_list": ("staff_a", _appeals),
    "grid:station_list": ("staff_a", _stations),
    "wishes:list": ("staff_a", _wishes),
    "wishes:wall": (None, _wishes),
    "wishes:claimable": ("member_user_a", _wishes),
    "wishes:mine": ("member_user_a", _held_wishes),
    "volunteers:event_list": ("staff_a", _events),
    "volunteers:calendar": (None, _events),
    "volunteers:my": ("member_user_a", _past_events),
    "volunteers:kind_list": ("staff_a", _kinds),
    "volunteers:team_list": ("staff_a", _teams),
    "volunteers:project_list": ("staff_a", _projects),
    "volunteers:case_list": ("staff_a", _cases),
    "council:topic_list": ("staff_a", _topics),
    "council:public_topics": (None, _public_topics),
    "council:company_list": ("staff_a", _companies),
    "council:proxy_list": ("staff_a", _proxies),
    "office:feedback_list": ("staff_a", _units),
    "office:dashboard": ("staff_a", _members),
}


class World:
    def __init__(self, request):
        get = request.getfixturevalue
        self.community, self.cell, self.building = get("community_a"), get("cell_a"), get("building_a")
        self.unit, self.member, self.staff = get("unit_a"), get("member_a"), get("staff_a")


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_queries_do_not_grow_with_rows(db, request, client, name, django_assert_max_num_queries):
    who, make_rows = LISTS[name]
    world = World(request)
    if who:
        client.force_login(request.getfixturevalue(who))
    url = reverse(name)
    make_rows(world, FEW, 0)
    assert client.get(url).status_code == 200  # warm up: the session, content types
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    few = len(few.captured_queries)  # (the next request empties the query log)
    make_rows(world, MANY, FEW)
    client.get(url)  # the new rows renew the cached figures (portal/figures_cache.py): both counts are of a cached page
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def test_building_page_queries_do_not_grow_with_its_members(db, request, client, django_assert_max_num_queries):
    """The members' table shows each member's grid cell: fetched with the members, not one by one."""
    world = World(request)
    client.force_login(world.staff)
    url = reverse("grid:building_detail", args=[world.building.pk])
    _members(world, FEW, 0)
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    _members(world, 40, FEW)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
