"""Nobody changes or removes an entry of the security log: not the admin, not
the code. Only `prune_security_log` removes entries past the retention."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import SecurityEvent, SecurityLogImmutable
from audit.services import record_event


@pytest.fixture
def entry(db, staff_a):
    return record_event(SecurityEvent.Type.DATA_EXPORTED, actor=staff_a, description="Dashboard figures (Excel)")


def test_saving_an_existing_entry_is_refused(entry):
    entry.description = "nothing happened"
    with pytest.raises(SecurityLogImmutable):
        entry.save()
    entry.refresh_from_db()
    assert entry.description == "Dashboard figures (Excel)"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(SecurityLogImmutable):
        entry.delete()
    assert SecurityEvent.objects.filter(pk=entry.pk).exists()


def test_queryset_update_and_delete_are_refused(entry):
    with pytest.raises(SecurityLogImmutable):
        SecurityEvent.objects.filter(pk=entry.pk).update(description="changed")
    with pytest.raises(SecurityLogImmutable):
        SecurityEvent.objects.all().delete()
    entry.refresh_from_db()
    assert entry.description == "Dashboard figures (Excel)"


def test_a_new_entry_with_the_id_of_an_old_one_is_not_an_update(entry):
    copy = SecurityEvent(pk=entry.pk, event_type=SecurityEvent.Type.LOGOUT)
    with pytest.raises(IntegrityError), transaction.atomic():  # an INSERT with a taken id
        copy.save()
    entry.refresh_from_db()
    assert entry.event_type == SecurityEvent.Type.DATA_EXPORTED


def test_the_admin_cannot_add_change_or_delete(client, area_admin, entry):
    client.force_login(area_admin)
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    change = reverse("admin:audit_securityevent_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # a read-only view
    assert client.post(change, {"description": "changed"}).status_code == 403
    delete = reverse("admin:audit_securityevent_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:audit_securityevent_changelist"))
    assert changelist.status_code == 200 and "delete_selected" not in changelist.content.decode()
    entry.refresh_from_db()
    assert entry.description == "Dashboard figures (Excel)"


def test_the_admin_searches_and_filters(client, area_admin, entry):
    client.force_login(area_admin)
    url = reverse("admin:audit_securityevent_changelist")
    assert "Dashboard figures" in client.get(url, {"q": "staff_a"}).content.decode()
    assert "Dashboard figures" in client.get(url, {"event_type__exact": "data_exported"}).content.decode()
    assert "Dashboard figures" not in client.get(url, {"result__exact": "failure"}).content.decode()


def test_deleting_the_actors_account_keeps_the_entry_and_the_name(entry, staff_a):
    staff_a.delete()
    entry.refresh_from_db()
    assert entry.actor is None and entry.actor_username == "staff_a"
