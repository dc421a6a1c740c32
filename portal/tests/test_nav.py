"""The navigation's links (portal_tags.nav_links): the same markup as rendering
portal/_nav_links.html for that user, whatever was rendered before for other users."""

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from conftest import make_user
from portal.models import User

REMEMBERED = engines["django"].from_string("{% load portal_tags %}{% nav_links %}")
DIRECT = engines["django"].from_string('{% include "portal/_nav_links.html" %}')


def _render(template, user):
    request = RequestFactory().get("/dashboard/")
    request.user = user
    return template.render({}, request)


@pytest.fixture
def users(area_admin, staff_a, grid_worker_a, member_user_a, liaison_a, community_a):
    auditor = make_user("auditor", User.Role.AUDITOR)
    unitless = make_user("liaison_no_unit", User.Role.LIAISON, community_a)
    office_staff = make_user("staff_with_admin", User.Role.STAFF, community_a, is_staff=True)
    return [area_admin, staff_a, office_staff, grid_worker_a, member_user_a, liaison_a, unitless, auditor]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_kind_of_user_gets_its_own_links(users, language):
    with translation.override(language):
        for _round in range(2):
            for user in users:
                assert _render(REMEMBERED, user) == _render(DIRECT, user), user.username


def test_links_differ_by_role_and_unit(users, unit_a):
    area_admin, staff_a, _office_staff, grid_worker, member, liaison, unitless, auditor = users
    rendered = {user.username: _render(REMEMBERED, user) for user in users}
    assert "/admin/" in rendered[area_admin.username] and "/admin/" not in rendered[staff_a.username]
    assert f'href="{reverse("grid:unit_detail", args=[unit_a.pk])}"' in rendered[liaison.username]
    assert rendered[liaison.username] != rendered[unitless.username]
    assert len({rendered[user.username] for user in (staff_a, grid_worker, member, auditor)}) == 4
