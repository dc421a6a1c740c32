"""`seed_demo --scale county` builds a valid synthetic county, once (demo/scale_data.py),
checked here on the small `tiny` scale."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password

from demo import scale_data
from grid.models import Appeal, GridCell, PartyMember, VisitLog
from portal.models import Community, User
from portal.validators import mobile_validator
from volunteers.models import Participation, VolunteerEvent
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
