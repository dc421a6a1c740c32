"""Several roles, one account (portal.models.RoleGrant, "My roles")."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from audit.models import SecurityEvent
from conftest import make_user
from portal.models import Area, RoleGrant, User

ROLES_URL = reverse("portal:my_roles")


@pytest.fixture
def two_hats(staff_a, community_b, member_b):
    """Staff of community A who is also a party member (registered) in community B."""
    member_b.user = staff_a
    member_b.save(update_fields=["user"])
    grant = RoleGrant.objects.create(user=staff_a, role=User.Role.MEMBER, community=community_b)
    return staff_a, grant


def test_every_user_holds_the_role_they_act_in(staff_a, grid_worker_a):
    assert [g.role for g in staff_a.grants.all()] == ["staff"]
    assert RoleGrant.objects.get(user=grid_worker_a).community == grid_worker_a.community
    # An administrator changes the role: the new one is among the person's roles, the old one stays.
    grid_worker_a.role = User.Role.STAFF
    grid_worker_a.save()
    assert sorted(grid_worker_a.grants.values_list("role", flat=True)) == ["grid_worker", "staff"]
    # A login (last_login only) adds nothing.
    grid_worker_a.save(update_fields=["last_login"])
    assert grid_worker_a.grants.count() == 2


def test_switching_changes_what_the_account_may_do(client, two_hats, community_b):
    user, member_grant = two_hats
    client.force_login(user)
    assert client.get(reverse("grid:unit_list")).status_code == 200
    page = client.get(ROLES_URL).content.decode()
    assert "当前身份" in page and "北关社区" in page
    old_session = client.session.session_key

    response = client.post(ROLES_URL, {"grant": member_grant.pk})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.community) == (User.Role.MEMBER, community_b)
    assert client.session.session_key != old_session  # a new key, as at login
    assert client.get(reverse("grid:unit_list")).status_code == 403  # a member now
    assert client.get(reverse("grid:member_me")).status_code == 200  # their member record in B
    logged = SecurityEvent.objects.filter(event_type=SecurityEvent.Type.ROLE_CHANGED, object_id=str(user.pk))
    assert logged.exists()

    # And back: the staff grant is still there.
    staff_grant = user.grants.get(role=User.Role.STAFF)
    client.post(ROLES_URL, {"grant": staff_grant.pk})
    user.refresh_from_db()
    assert user.role == User.Role.STAFF and client.get(reverse("grid:unit_list")).status_code == 200


def test_another_persons_grant_or_nonsense_is_404(client, two_hats, staff_b):
    user, grant = two_hats
    client.force_login(staff_b)
    for value in (grant.pk, "abc", "", "²", 10**30):
        assert client.post(ROLES_URL, {"grant": value}).status_code == 404
    staff_b.refresh_from_db()
    assert staff_b.role == User.Role.STAFF and staff_b.community.code == "beiguan"


def test_anonymous_goes_to_login(client):
    response = client.get(ROLES_URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client.post(ROLES_URL, {"grant": 1}).status_code == 302


def test_a_django_admin_account_cannot_act_for_one_area(client, area_admin):
    street = Area.objects.create(code="s", name="沙河镇", level="street")
    grant = RoleGrant.objects.create(user=area_admin, role=User.Role.AREA_ADMIN, area=street)
    client.force_login(area_admin)
    response = client.post(ROLES_URL, {"grant": grant.pk}, follow=True)
    assert "后台管理可看到全部社区" in response.content.decode() or "Django admin" in response.content.decode()
    area_admin.refresh_from_db()
    assert area_admin.area is None


def test_roles_page_query_count_does_not_grow(client, staff_a, django_assert_max_num_queries, db):
    from portal.models import Community

    for n in range(30):
        community = Community.objects.create(name=f"社区{n}", code=f"c{n}", town="镇", county="县")
        RoleGrant.objects.create(user=staff_a, role=User.Role.MEMBER, community=community)
    client.force_login(staff_a)
    with django_assert_max_num_queries(8):
        response = client.get(ROLES_URL)
    assert response.content.decode().count("list-group-item") == 31


def test_migration_gives_every_user_their_role(db, community_a):
    make_user("x", User.Role.STAFF, community_a)
    RoleGrant.objects.all().delete()
    importlib.import_module("portal.migrations.0006_role_grants").one_grant_per_user(apps, None)
    assert list(RoleGrant.objects.values_list("user__username", "role", "community__code")) == [("x", "staff", "shahejie")]


def test_an_account_made_in_bulk_sees_its_role(client, community_a):
    user = User.objects.bulk_create([User(username="bulk", role=User.Role.STAFF, community=community_a, password="!")])[0]
    client.force_login(user)
    assert "当前身份" in client.get(ROLES_URL).content.decode()
    assert list(user.grants.values_list("role", flat=True)) == ["staff"]
