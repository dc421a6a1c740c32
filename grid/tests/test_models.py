import datetime

import pytest
from django.db import IntegrityError, transaction

from grid.models import CoBuildingUnit, GridCell, PartyMember
from portal.models import User


def _member(community, phone="13800009999", **extra):
    data = {"name": "王芳", "gender": PartyMember.Gender.FEMALE, "phone": phone, "registered_on": datetime.date(2023, 5, 1)}
    data.update(extra)
    return PartyMember.objects.create(community=community, **data)


def test_phone_is_unique_within_a_community(community_a, community_b):
    _member(community_a)
    _member(community_b)  # the same phone in another community is another registration
    with pytest.raises(IntegrityError), transaction.atomic():
        _member(community_a)


def test_report_cannot_precede_registration(community_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        _member(community_a, reported_on=datetime.date(2023, 4, 30))


def test_grid_cell_number_unique_per_community(community_a, community_b, cell_a):
    GridCell.objects.create(community=community_b, number=cell_a.number, name="别处")
    with pytest.raises(IntegrityError), transaction.atomic():
        GridCell.objects.create(community=community_a, number=cell_a.number, name="重复编号")


def test_unit_name_unique_per_community(community_a, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoBuildingUnit.objects.create(community=community_a, name=unit_a.name)


def test_only_area_admins_have_no_community(db):
    User.objects.create_user("area2", role=User.Role.AREA_ADMIN)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("lost", role=User.Role.STAFF)


def test_only_liaisons_speak_for_a_unit(community_a, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("x", role=User.Role.STAFF, community=community_a, unit=unit_a)


def test_createsuperuser_makes_an_area_admin(db):
    user = User.objects.create_superuser("root", "root@example.org", "Very-long-pass-123")
    assert user.role == User.Role.AREA_ADMIN and user.community is None


def test_reporting_summary_counts_as_of_a_day(community_a):
    _member(community_a, phone="13800000001", registered_on=datetime.date(2023, 1, 10), reported_on=datetime.date(2023, 1, 20))
    _member(community_a, phone="13800000002", registered_on=datetime.date(2023, 6, 1), reported_on=datetime.date(2023, 12, 31))
    _member(community_a, phone="13800000003", registered_on=datetime.date(2023, 6, 1))
    _member(community_a, phone="13800000004", registered_on=datetime.date(2024, 1, 1), reported_on=datetime.date(2024, 1, 2))
    _member(community_a, phone="13800000005", registered_on=datetime.date(2023, 2, 1), is_active=False,
            inactive_since=datetime.date(2023, 6, 1))
    members = PartyMember.objects.filter(community=community_a)

    end_of_2023 = members.reporting_summary(datetime.date(2023, 12, 31))
    assert end_of_2023 == {"registered": 3, "reported": 2, "rate": 2 / 3}
    assert members.reporting_summary(datetime.date(2023, 12, 30))["reported"] == 1
    assert members.reporting_summary(datetime.date(2022, 12, 31)) == {"registered": 0, "reported": 0, "rate": 0.0}


def test_units_count_by_agreement_date(community_a):
    CoBuildingUnit.objects.create(community=community_a, name="甲", agreement_signed_on=datetime.date(2023, 12, 31))
    CoBuildingUnit.objects.create(community=community_a, name="乙", agreement_signed_on=datetime.date(2024, 1, 1))
    CoBuildingUnit.objects.create(community=community_a, name="丙", agreement_signed_on=datetime.date(2023, 1, 1), is_active=False,
                                  inactive_since=datetime.date(2023, 6, 1))
    CoBuildingUnit.objects.create(community=community_a, name="丁")
    assert CoBuildingUnit.objects.co_building_as_of(datetime.date(2023, 12, 31)).count() == 1
