"""The figures' data version (portal/figures_cache.py) is renewed by the data
changes themselves, wherever they come from: a request, a management command, a
plain ORM write, `QuerySet.update()` and `bulk_create()` included; once per
committed transaction; never by requests or writes that change no figure."""

import datetime
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import SecurityEvent
from audit.services import record_event
from conftest import PASSWORD
from grid.models import CoBuildingUnit, PartyMember, Tag
from grid.tests.test_import import good_units, xlsx
from office.tests.test_dashboard import period_cards
from portal import figures_cache
from portal.figures_cache import VERSION_KEY, changes_figures, data_version, watch_writes
from portal.models import Community

DASHBOARD = reverse("office:dashboard")
UNITS = "共驻共建单位"


@pytest.fixture
def bumps(monkeypatch):
    """The number of times the data version has been renewed so far."""
    count = [0]
    bump = figures_cache.bump

    def counting():
        count[0] += 1
        return bump()

    monkeypatch.setattr(figures_cache, "bump", counting)
    return lambda: count[0]


@pytest.fixture
def cached_dashboard(client, staff_a, settings):
    """The staff's dashboard, its figures cached; `units()` as the page shows them."""
    settings.FIGURES_CACHE_SECONDS = 300
    client.force_login(staff_a)

    def units():
        return period_cards(client.get(DASHBOARD))[UNITS]

    units()
    return units


def co_building_units():
    """As counted without the cache."""
    return CoBuildingUnit.objects.all().co_building_as_of(timezone.localdate()).count()


# Which statements count ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "sql",
    [
        'INSERT INTO "grid_partymember" ("name") VALUES (%s)',
        'UPDATE "grid_partymember" SET "reported_on" = %s WHERE "grid_partymember"."id" = %s',
        'DELETE FROM "wishes_microwish" WHERE "wishes_microwish"."id" IN (%s)',
        'DELETE FROM "grid_tag";',  # `flush` on SQLite
        'TRUNCATE "grid_tag", "portal_user";',  # `flush` on PostgreSQL
        'UPDATE "grid_community" SET "name" = %s',
        'INSERT INTO "grid_gridcell_workers" ("gridcell_id", "user_id") VALUES (%s, %s)',  # many-to-many
        'UPDATE "portal_user" SET "role" = %s, "last_login" = %s WHERE "portal_user"."id" = %s',
        "update grid_partymember set reported_on = null",  # raw SQL
    ],
)
def test_writes_to_tables_that_feed_figures(sql):
    assert changes_figures(sql)


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT "grid_partymember"."id" FROM "grid_partymember"',
        'INSERT INTO "django_session" ("session_key") VALUES (%s)',
        'UPDATE "axes_accesslog" SET "logout_time" = %s',
        'INSERT INTO "audit_securityevent" ("at") VALUES (%s)',
        'INSERT INTO "grid_historicalpartymember" ("id") VALUES (%s)',  # history feeds no figure
        'INSERT INTO "django_content_type" ("app_label") VALUES (%s)',
        'UPDATE "portal_user" SET "last_login" = %s WHERE "portal_user"."id" = %s',  # a log-in
        'SAVEPOINT "s1_x1"',
        'RELEASE SAVEPOINT "s1_x1"',
        "",
    ],
)
def test_statements_that_change_no_figure(sql):
    assert not changes_figures(sql)


def test_every_connection_watches_its_writes_once(db):
    connection.ensure_connection()
    assert connection.execute_wrappers[:1] == [watch_writes]
    assert connection.execute_wrappers.count(watch_writes) == 1


# Changes made outside a request are seen at once ----------------------------------------------


def test_a_plain_orm_write_is_seen_at_once(cached_dashboard, community_a):
    assert cached_dashboard() == 0
    CoBuildingUnit.objects.create(community=community_a, name="县教育局", agreement_signed_on=datetime.date(2023, 3, 1))
    assert cached_dashboard() == 1


def test_a_queryset_update_renews_the_version(db, member_a, bumps):
    version = data_version()
    PartyMember.objects.filter(pk=member_a.pk).update(reported_on=datetime.date(2023, 3, 10))
    assert bumps() == 1 and cache.get(VERSION_KEY) != version


def test_bulk_create_and_delete_renew_the_version(db, bumps):
    Tag.objects.bulk_create([Tag(name="场地"), Tag(name="培训")])
    assert bumps() == 1
    Tag.objects.all().delete()  # in a test case's transaction, each statement renews it
    assert bumps() > 1


def test_a_management_command_is_seen_at_once(cached_dashboard, community_a, tmp_path):
    assert cached_dashboard() == 0
    roster = tmp_path / "units.xlsx"
    roster.write_bytes(xlsx(good_units()))
    call_command("import_units", str(roster), community=community_a.code, stdout=StringIO())
    assert cached_dashboard() == co_building_units() > 0


def test_writes_that_feed_no_figure_keep_the_version(db, staff_a, member_a):
    version = data_version()
    record_event(SecurityEvent.Type.RETENTION_RUN, description="test")
    session = SessionStore()
    session["x"] = 1
    session.save()
    PartyMember.history.filter(id=member_a.pk).update(history_change_reason="test")
    assert cache.get(VERSION_KEY) == version


# Requests -----------------------------------------------------------------------------------------


def test_requests_that_change_nothing_keep_the_version(client, staff_a, member_a, settings):
    settings.FIGURES_CACHE_SECONDS = 300
    assert client.post(reverse("portal:login"), {"username": "staff_a", "password": PASSWORD}).status_code == 302
    client.get(DASHBOARD)
    version = cache.get(VERSION_KEY)
    client.get(DASHBOARD)  # a GET
    client.post(reverse("set_language"), {"language": "en"})  # the language switch
    client.post(reverse("portal:password_change"), {"old_password": "wrong"})  # a form with errors
    client.post(reverse("office:work_summary"), {"text": "本期工作总结", "action": "preview"})  # a preview
    client.post(reverse("portal:logout"))
    client.post(reverse("portal:login"), {"username": "staff_a", "password": PASSWORD})  # a log-in
    assert cache.get(VERSION_KEY) == version
    client.post(reverse("grid:member_confirm", args=[member_a.pk]))  # a change
    assert cache.get(VERSION_KEY) != version


# Real transactions: once, when they commit --------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_autocommit_renews_at_once(community_a, bumps):
    Community.objects.filter(pk=community_a.pk).update(town="新城镇")
    assert bumps() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_a_transaction_renews_once_when_it_commits(community_a, bumps):
    version = data_version()
    with transaction.atomic():
        Community.objects.filter(pk=community_a.pk).update(town="新城镇")
        with transaction.atomic():
            Tag.objects.create(name="场地")
        Tag.objects.create(name="培训")
        assert bumps() == 0 and cache.get(VERSION_KEY) == version
    assert bumps() == 1 and cache.get(VERSION_KEY) != version


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_a_rolled_back_transaction_keeps_the_version(community_a, bumps):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Tag.objects.create(name="场地")
        1 / 0  # noqa: B018
    assert bumps() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_a_change_after_a_rolled_back_savepoint_still_renews(community_a, bumps):
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            Tag.objects.create(name="场地")
            1 / 0  # noqa: B018
        Tag.objects.create(name="培训")
    assert bumps() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_a_failing_cache_does_not_undo_a_committed_change(community_a, monkeypatch):
    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(figures_cache, "bump", broken)
    with transaction.atomic():
        Tag.objects.create(name="场地")
    assert Tag.objects.filter(name="场地").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as the other transactional tests
def test_a_command_in_a_real_transaction_is_seen_at_once(cached_dashboard, community_a, tmp_path):
    assert cached_dashboard() == 0
    roster = tmp_path / "units.xlsx"
    roster.write_bytes(xlsx(good_units()))
    call_command("import_units", str(roster), community=community_a.code, stdout=StringIO())
    assert cached_dashboard() == co_building_units() > 0
