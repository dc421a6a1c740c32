"""Records for the audit tests, made through the services as the pages make them."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from conftest import make_user
from grid.models import Appeal
from grid.services_work import appeal_submit
from portal.models import User
from volunteers.models import VolunteerEvent
from wishes.models import MicroWish
from wishes.services import wish_submit

from .helpers import kind


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that tests can read the labels whatever the translations say."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def auditor(db):
    """The security auditor: reads the security log and nothing else."""
    return make_user("auditor", User.Role.AUDITOR, full_name="审计员")


@pytest.fixture
def wish_a(community_a, cell_a, staff_a):
    """A wish staff entered for a resident (代办), awaiting review."""
    wish = MicroWish(
        community=community_a, grid_cell=cell_a, category=MicroWish.Category.STUDY, title="给孙子买一个书包",
        wisher_name="王秀英", wisher_phone="13700001111", address_detail="2单元301",
    )
    return wish_submit(wish=wish, entered_by=staff_a)


@pytest.fixture
def appeal_a(community_a, cell_a, grid_worker_a):
    """An appeal a grid worker recorded for a resident."""
    appeal = Appeal(
        community=community_a, grid_cell=cell_a, category=Appeal.Category.FACILITIES, title="楼道灯坏了",
        resident_name="李桂兰", resident_phone="13600002222", address_detail="3单元502",
    )
    return appeal_submit(appeal=appeal, entered_by=grid_worker_a)


@pytest.fixture
def make_event(community_a):
    """`make_event(starts_in=timedelta)`: a two-hour event of community A."""

    def _make(starts_in=datetime.timedelta(days=3), **fields):
        starts_at = timezone.now() + starts_in
        data = {
            "community": community_a, "title": "政策宣传进楼院", "kind": kind(), "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=2), "place": "社区党群服务中心",
        }
        data.update(fields)
        return VolunteerEvent.objects.create(**data)

    return _make

