"""`seed_demo --scale county` builds a valid synthetic county, once (demo/scale_data.py),
checked here on the small `tiny` scale."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import models

from demo import scale_data
from grid.models import Appeal, GridCell, PartyMember, VisitLog
from portal.models import Community, User
from portal.validators import mobile_validator
from volunteers import tallies
from volunteers.models import EventTally, Participation, VolunteerEvent
from wishes.models import MicroWish

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def counts(db):
    return scale_data.seed_scale("tiny", password_hash=make_password("x"), today=TODAY, log=lambda line: None)


def test_the_county_has_what_the_scale_says(counts):
    s = scale_data.SCALES["tiny"]
    county = Community.objects.filter(code__startswith=scale_data.CODE_PREFIX)
    assert county.count() == s.communities == counts["communities"]
    assert GridCell.objects.filter(community__in=county).count() == s.communities * s.cells
    assert PartyMember.objects.filter(community__in=county).count() == s.communities * s.members
    assert MicroWish.objects.filter(community__in=county).count() == s.communities * s.wishes == counts["micro-wishes"]
    assert VolunteerEvent.objects.filter(community__in=county).count() == s.communities * s.events
    assert Participation.objects.filter(event__community__in=county).count() == s.communities * s.events * s.attendances
    assert VisitLog.objects.filter(community__in=county).count() == s.communities * s.visits
    assert Appeal.objects.filter(community__in=county).count() == s.communities * s.appeals
    roles = set(User.objects.filter(username__startswith=scale_data.CODE_PREFIX).values_list("role", flat=True))
    assert roles == {"staff", "grid_worker", "member"}
    assert EventTally.objects.filter(attendances__gt=0).exists() and tallies.stale() == []  # recounted after the bulk insert


def test_the_data_are_synthetic_and_within_three_years(counts):
    for phone in PartyMember.objects.values_list("phone", flat=True):
        mobile_validator(phone)
        assert phone.startswith("199")
    first = MicroWish.objects.order_by("submitted_at").first().submitted_at.date()
    assert TODAY - first < datetime.timedelta(days=3 * 366)
    assert set(MicroWish.objects.values_list("status", flat=True)) >= {"submitted", "open", "fulfilled", "rejected"}


def test_a_second_run_does_nothing(counts):
    wishes = MicroWish.objects.count()
    assert scale_data.seed_scale("tiny", password_hash="x", today=TODAY, log=lambda line: None) is None
    assert MicroWish.objects.count() == wishes


@pytest.fixture
def city(db):
    return scale_data.seed_scale("tiny-city", password_hash=make_password("x"), today=TODAY, log=lambda line: None)


def test_the_city_is_a_tree_of_districts_and_streets_with_an_admin_for_each_area(city):
    from portal.models import Area
    from portal.permissions import community_ids_in_reach

    s = scale_data.SCALES["tiny-city"]
    root = Area.objects.get(parent=None, code="city")
    districts = list(root.children.order_by("code"))
    assert [d.level for d in districts] == ["district"] * s.districts
    streets = Area.objects.filter(parent__in=districts)
    assert streets.count() == s.districts * s.streets == city["areas"] - 1 - s.districts
    communities = Community.objects.filter(code__startswith="city-")
    assert communities.count() == s.communities
    # Every community lies in a street, the streets share them evenly.
    assert set(communities.values_list("area__level", flat=True)) == {"street"}
    per_street = sorted(Community.objects.in_area(street).count() for street in streets)
    assert per_street == [s.communities // streets.count()] * streets.count()
    street = streets.order_by("path").first()
    assert all(c.town == street.name and c.county == street.parent.name for c in Community.objects.filter(area=street))
    # An area admin per area, reaching its subtree only.
    assert User.objects.filter(role="area_admin", username__startswith="city").count() == 1 + s.districts + s.districts * s.streets
    city_admin = User.objects.get(username="city-admin")
    assert city_admin.area == root and len(community_ids_in_reach(city_admin)) == s.communities
    street_admin = User.objects.get(username=f"{street.code}-admin")
    # Each login holds the grant of its role, as an account saved one by one does ("My roles").
    from portal.models import RoleGrant

    assert [g.matches(street_admin) for g in RoleGrant.objects.filter(user=street_admin)] == [True]
    staff = User.objects.get(username="city-001-staff")
    assert [g.matches(staff) for g in RoleGrant.objects.filter(user=staff)] == [True]
    assert set(community_ids_in_reach(street_admin)) == set(Community.objects.filter(area=street).values_list("pk", flat=True))
    # Records per community as the scale says; phones unique per data set.
    assert MicroWish.objects.filter(community__in=communities).count() == s.communities * s.wishes
    phones = list(PartyMember.objects.filter(community__in=communities).values_list("phone", flat=True))
    assert len(phones) == len(set(phones)) == s.communities * s.members


def test_one_large_data_set_per_database(city):
    assert scale_data.seed_scale("tiny", password_hash="x", today=TODAY, log=lambda line: None) is None
    assert not Community.objects.filter(code__startswith=scale_data.CODE_PREFIX).exists()


def test_the_city_is_built_in_chunks_with_the_same_records(db, monkeypatch):
    """Chunks of communities (memory bound) give the same records as one go."""
    monkeypatch.setattr(scale_data, "CHUNK", 3)
    counts = scale_data.seed_scale("tiny-city", password_hash="x", today=TODAY, log=lambda line: None)
    s = scale_data.SCALES["tiny-city"]
    assert counts["communities"] == s.communities and counts["micro-wishes"] == s.communities * s.wishes
    assert Participation.objects.count() == s.communities * s.events * s.attendances
    codes = list(MicroWish.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    # Each chunk's records belong to its own communities.
    assert not PartyMember.objects.exclude(grid_cell__community=models.F("community")).exists()
    assert not Participation.objects.exclude(member__community=models.F("event__community")).exists()
