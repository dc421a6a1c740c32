"""Actors shared by every app's tests (like healthchecks' alice/bob/charlie).

Community A (沙河街) has staff, a grid worker who owns cell 1, a party member
with a login and a unit liaison; community B has its own staff. Tests use
these to check the permission matrix on every view.
"""

import datetime

import pytest

from grid.models import Building, CoBuildingUnit, GridCell, PartyMember
from portal.models import Community, User

PASSWORD = "Correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached figures (a cached figure from an earlier
    test's rolled-back records would be wrong) and no cached sessions."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Each test looks the content types up again. A transactional test's flush
    empties the table (they come back with other ids), and pytest-django runs
    tests that reach the database only through `getfixturevalue` after those: a
    cached content type would then point the security log at a missing row."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _figures_renewed_inside_test_transactions(monkeypatch):
    """A test marked plain `django_db` runs inside a transaction that is rolled back,
    never committed, so the figures' version (renewed when a transaction commits,
    portal/figures_cache.py) would never be renewed: inside that transaction, renew at
    once. Tests with `transaction=True` see the real behaviour."""
    from portal import figures_cache

    on_commit = figures_cache._changed

    def changed(connection):
        blocks = connection.atomic_blocks
        if blocks and getattr(blocks[0], "_from_testcase", False):
            figures_cache.bump()
        else:
            on_commit(connection)

    monkeypatch.setattr(figures_cache, "_changed", changed)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers take ~0.3 s a password by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def community_a(db):
    return Community.objects.create(name="沙河街社区", code="shahejie", town="沙河镇", county="临泽县")


@pytest.fixture
def community_b(db):
    return Community.objects.create(name="北关社区", code="beiguan", town="沙河镇", county="临泽县")


def make_user(username, role, community=None, **extra):
    return User.objects.create_user(username=username, password=PASSWORD, role=role, community=community, **extra)


@pytest.fixture
def area_admin(db):
    return make_user("area", User.Role.AREA_ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def staff_a(community_a):
    return make_user("staff_a", User.Role.STAFF, community_a)


@pytest.fixture
def staff_b(community_b):
    return make_user("staff_b", User.Role.STAFF, community_b)


@pytest.fixture
def cell_a(community_a):
    return GridCell.objects.create(community=community_a, number=1, name="东区网格", households=120)


@pytest.fixture
def cell_a2(community_a):
    return GridCell.objects.create(community=community_a, number=2, name="西区网格", households=90)


@pytest.fixture
def cell_b(community_b):
    return GridCell.objects.create(community=community_b, number=1, name="北区网格")


@pytest.fixture
def building_a(cell_a):
    return Building.objects.create(grid_cell=cell_a, name="1号楼")


@pytest.fixture
def grid_worker_a(community_a, cell_a):
    user = make_user("grid_a", User.Role.GRID_WORKER, community_a)
    cell_a.workers.add(user)
    return user


@pytest.fixture
def unit_a(community_a):
    return CoBuildingUnit.objects.create(
        community=community_a,
        name="临泽县示例局",
        kind=CoBuildingUnit.Kind.AGENCY,
        agreement_signed_on=datetime.date(2023, 3, 1),
    )


@pytest.fixture
def unit_b(community_b):
    return CoBuildingUnit.objects.create(community=community_b, name="北关示例学校", kind=CoBuildingUnit.Kind.SCHOOL)


@pytest.fixture
def member_a(community_a, cell_a, building_a, unit_a):
    return PartyMember.objects.create(
        community=community_a,
        name="张建国",
        gender=PartyMember.Gender.MALE,
        phone="13800001234",
        employer_unit=unit_a,
        grid_cell=cell_a,
        building=building_a,
        registered_on=datetime.date(2023, 3, 5),
    )


@pytest.fixture
def member_b(community_b, unit_b):
    return PartyMember.objects.create(
        community=community_b,
        name="李红",
        gender=PartyMember.Gender.FEMALE,
        phone="13900005678",
        employer_unit=unit_b,
        registered_on=datetime.date(2023, 4, 1),
    )


@pytest.fixture
def member_user_a(community_a, member_a):
    user = make_user("member_a", User.Role.MEMBER, community_a)
    member_a.user = user
    member_a.save(update_fields=["user"])
    return user


@pytest.fixture
def liaison_a(community_a, unit_a):
    return make_user("liaison_a", User.Role.LIAISON, community_a, unit=unit_a)


@pytest.fixture(autouse=True)
def _client_login_with_a_request(monkeypatch):
    """The whole suite runs with the login protection on (django-axes), as in
    production. Axes refuses an authenticate() call without a request, and
    Django's test `Client.login()` makes one; give it a request from the test
    client's address, as the axes documentation advises."""
    from django.http import HttpRequest
    from django.test import Client

    client_login = Client.login

    def login(self, **credentials):
        if "request" not in credentials:
            credentials["request"] = HttpRequest()
            credentials["request"].META["REMOTE_ADDR"] = "127.0.0.1"
        return client_login(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in and returns it."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
