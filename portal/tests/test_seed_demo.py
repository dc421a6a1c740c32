"""`manage.py seed_demo` builds the story's community: 26 units, 268 members, 100%."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grid.models import Building, CoBuildingUnit, Community, GridCell, PartyMember, Tag
from grid.validators import mobile_validator, phone_validator
from portal import demo_data
from portal.models import User

PW = "Demo-Pass-2023"
END_2023 = datetime.date(2023, 12, 31)
ROLES = {
    "admin": User.Role.AREA_ADMIN,
    "staff": User.Role.STAFF,
    "grid": User.Role.GRID_WORKER,
    "member": User.Role.MEMBER,
    "unit": User.Role.LIAISON,
}


@pytest.fixture(autouse=True)
def demo_settings(settings):
    settings.DEBUG = True
    return settings


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "communities": Community.objects.count(),
        "cells": GridCell.objects.count(),
        "buildings": Building.objects.count(),
        "units": CoBuildingUnit.objects.count(),
        "members": PartyMember.objects.count(),
        "users": User.objects.count(),
        "tags": Tag.objects.count(),
        "skills": PartyMember.skills.through.objects.count(),
        "resource_tags": CoBuildingUnit.resource_tags.through.objects.count(),
    }


def snapshot():
    return list(
        PartyMember.objects.order_by("phone").values_list(
            "phone", "name", "gender", "employer_unit__name", "grid_cell__number", "building__name",
            "joined_party_year", "source", "registered_on", "reported_on", "user__username",
        )
    )


@pytest.mark.django_db
def test_story_figures_for_2023():
    output = seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    assert (community.name, community.town, community.county) == ("沙河街社区", "沙河镇", "临泽县")

    units = CoBuildingUnit.objects.filter(community=community)
    assert units.count() == 26
    assert units.filter(is_active=True).count() == 26
    assert units.co_building_as_of(END_2023).count() == 26
    assert len(set(units.values_list("kind", flat=True))) == len(CoBuildingUnit.Kind)
    for unit in units:
        assert datetime.date(2021, 1, 1) <= unit.agreement_signed_on <= datetime.date(2023, 6, 30)
        assert unit.agreement_signed_on < unit.reported_on
        assert unit.members.count() >= 3
        assert unit.resource_tags.exists()
        unit.full_clean()

    members = PartyMember.objects.filter(community=community)
    assert members.count() == 268
    assert members.reporting_summary(END_2023) == {"registered": 268, "reported": 268, "rate": 1.0}
    assert members.reporting_summary(datetime.date(2022, 12, 31))["registered"] == 0
    assert not members.filter(employer_unit__isnull=True).exists()
    assert not members.filter(reported_on__gt=datetime.date(2023, 12, 27)).exists()
    assert not members.exclude(reported_confirmed_by__username="staff").exists()
    assert set(members.values_list("gender", flat=True)) == {"male", "female"}
    assert members.filter(skills__isnull=False).distinct().count() > 150

    assert GridCell.objects.filter(community=community).count() == 6
    for cell in GridCell.objects.filter(community=community):
        assert 3 <= cell.buildings.count() <= 5
        assert 150 <= cell.households <= 300
        assert cell.members.exists()
    for member in members.select_related("building"):
        assert member.building.grid_cell_id == member.grid_cell_id

    assert "registered 268, reported 268, rate 100%" in output
    assert "http://127.0.0.1:8000/" in output


@pytest.mark.django_db
def test_running_twice_gives_the_same_data():
    seed("--password", PW)
    first_counts, first_snapshot = counts(), snapshot()
    seed("--password", PW)
    assert counts() == first_counts
    assert snapshot() == first_snapshot
    assert first_counts["members"] == 268 and first_counts["units"] == 26 and first_counts["users"] == 5


def test_demo_data_are_deterministic():
    assert demo_data.member_specs() == demo_data.member_specs()
    assert demo_data.unit_specs() == demo_data.unit_specs()
    assert len(demo_data.UNITS) == demo_data.UNIT_COUNT == 26


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_can_log_in(client):
    seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    for username, role in ROLES.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.full_name
        assert client.login(username=username, password=PW), username
        client.logout()

    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.community is None
    staff = User.objects.get(username="staff")
    assert staff.community == community and not staff.is_staff and not staff.is_superuser

    grid = User.objects.get(username="grid")
    assert grid.community == community
    assert GridCell.objects.get(community=community, number=1).leader == grid
    assert set(grid.grid_cells.values_list("number", flat=True)) == {1, 2}

    member = User.objects.get(username="member")
    assert member.community == community
    assert member.party_member.community == community
    assert member.full_name == member.party_member.name

    liaison = User.objects.get(username="unit")
    assert liaison.community == community
    assert liaison.unit.name == "沙河街商圈经济联合党支部"
    assert liaison.full_name == liaison.unit.liaison_name


@pytest.mark.django_db
def test_password_is_reset_on_every_run(client):
    seed("--password", PW)
    seed("--password", "Another-Pass-2024")
    assert client.login(username="staff", password="Another-Pass-2024")
    client.logout()
    assert not client.login(username="staff", password=PW)


@pytest.mark.django_db
def test_without_password_a_random_one_is_printed(client):
    output = seed()
    password = re.search(r"password for all five: (\S+)\)", output).group(1)
    assert len(password) >= 12
    for username in ROLES:
        assert client.login(username=username, password=password), username
        client.logout()
    assert re.search(r"password for all five: (\S+)\)", seed()).group(1) != password


@pytest.mark.django_db
def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        seed("--password", PW)
    assert not Community.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_force_runs_when_debug_is_off(settings):
    settings.DEBUG = False
    seed("--password", PW, "--force")
    assert PartyMember.objects.count() == 268


@pytest.mark.django_db
def test_if_empty_skips_when_a_community_exists(community_b):
    output = seed("--if-empty", "--password", PW)
    assert "Database already has data; demo not seeded." in output
    assert list(Community.objects.all()) == [community_b]
    assert not User.objects.exists()
    assert not PartyMember.objects.exists()


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    seed("--if-empty", "--password", PW)
    assert PartyMember.objects.count() == 268


@pytest.mark.django_db
def test_phones_are_unique_synthetic_and_valid():
    seed("--password", PW)
    members = list(PartyMember.objects.all())
    phones = [m.phone for m in members]
    assert len(set(phones)) == len(phones) == 268
    assert len({(m.name, m.phone) for m in members}) == 268
    assert len({m.name for m in members}) == 268
    for member in members:
        mobile_validator(member.phone)
        assert member.phone.startswith("1990000")
    liaison_phones = list(CoBuildingUnit.objects.values_list("liaison_phone", flat=True))
    assert len(set(liaison_phones)) == 26
    for phone in liaison_phones:
        phone_validator(phone)
    assert not set(liaison_phones) & set(phones)
    for member in members:
        member.full_clean()
