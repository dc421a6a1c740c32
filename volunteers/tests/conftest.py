"""Shared fixtures for the volunteer tests (public, member and staff pages)."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from volunteers.models import BUILTIN_KINDS, EventKind, VolunteerEvent


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so that tests can read the messages whatever the translations say."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def builtin_kind(code):
    """A built-in kind. Migration 0002 creates them, but a transactional test's flush
    (the race tests on PostgreSQL) removes them for the tests that run after it."""
    label, special = BUILTIN_KINDS[code]
    kind, _created = EventKind.objects.get_or_create(
        community=None, code=code, defaults={"name": str(label), "is_special_service": special}
    )
    return kind


@pytest.fixture
def make_event(community_a):
    """`make_event(starts_at=..., hours=2, capacity=None, status="planned", kind_code="policy", **fields)`.

    Builds a VolunteerEvent of a built-in kind (created by migration 0002). By
    default it starts in three days at 09:00 local time, in community A.
    """

    def _make(
        community=None,
        starts_at=None,
        hours=2,
        capacity=None,
        status=VolunteerEvent.Status.PLANNED,
        kind_code="policy",
        **fields,
    ):
        if starts_at is None:
            day = timezone.localdate() + datetime.timedelta(days=3)
            starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        data = {
            "community": community or community_a,
            "title": "政策宣传进楼院",
            "kind": builtin_kind(kind_code),
            "starts_at": starts_at,
            "ends_at": starts_at + datetime.timedelta(hours=hours),
            "place": "社区党群服务中心",
            "capacity": capacity,
            "status": status,
        }
        data.update(fields)
        return VolunteerEvent.objects.create(**data)

    return _make
