"""Logins, lock-outs and changes to accounts are written to the security log,
with who, from where and whether it worked."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import SecurityEvent
from conftest import PASSWORD
from portal.models import User

Type = SecurityEvent.Type
ADDRESS = "203.0.113.10"
OTHER_ADDRESS = "198.51.100.20"


def events(event_type):
    return list(SecurityEvent.objects.filter(event_type=event_type).order_by("at", "pk"))


def english_client():
    """A second browser, in English like the `client` of these tests (audit/tests/conftest.py)."""
    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return other


def log_in(client, username, password, address=ADDRESS):
    return client.post(reverse("portal:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


# Logins and logouts ---------------------------------------------------------------------------


def test_a_login_is_recorded_with_the_address(client, staff_a):
    assert log_in(client, "staff_a", PASSWORD).status_code == 302
    (entry,) = events(Type.LOGIN_SUCCEEDED)
    assert (entry.actor, entry.actor_username, entry.client_address) == (staff_a, "staff_a", ADDRESS)
    assert entry.result == SecurityEvent.Result.SUCCESS and entry.object_id == str(staff_a.pk)


def test_a_failed_login_keeps_the_username_tried_never_the_password(client, staff_a):
    assert log_in(client, "staff_a", "Wrong-password-123").status_code == 200
    (entry,) = events(Type.LOGIN_FAILED)
    assert entry.actor is None and entry.client_address == ADDRESS
    assert entry.result == SecurityEvent.Result.FAILURE
    assert "staff_a" in entry.description and "Wrong-password-123" not in entry.description
    assert not events(Type.LOGIN_SUCCEEDED)


def test_a_logout_is_recorded(client, staff_a):
    log_in(client, "staff_a", PASSWORD)
    assert client.post(reverse("portal:logout"), REMOTE_ADDR=ADDRESS).status_code == 302
    (entry,) = events(Type.LOGOUT)
    assert (entry.actor, entry.client_address, entry.result) == (staff_a, ADDRESS, SecurityEvent.Result.SUCCESS)


def test_five_failures_record_one_lock_out_and_tries_while_locked_are_failures(client, staff_a):
    for _ in range(5):
        response = log_in(client, "staff_a", "wrong-password")
    assert response.status_code == 429
    (lock,) = events(Type.LOCKED_OUT)
    assert lock.client_address == ADDRESS and lock.result == SecurityEvent.Result.FAILURE
    assert "staff_a" in lock.description and ADDRESS in lock.description
    failures = events(Type.LOGIN_FAILED)
    assert len(failures) == 5 and not any("locked out" in entry.description for entry in failures)

    assert log_in(english_client(), "staff_a", PASSWORD, OTHER_ADDRESS).status_code == 429  # the right password, still locked
    assert len(events(Type.LOCKED_OUT)) == 1  # the lock began once
    refused = events(Type.LOGIN_FAILED)[-1]
    assert refused.client_address == OTHER_ADDRESS and "locked out" in refused.description


def test_deleting_the_access_attempt_in_admin_records_the_unlock_by_whom(client, staff_a, area_admin):
    for _ in range(5):
        log_in(client, "staff_a", "wrong-password")
    attempt = AccessAttempt.objects.get(username="staff_a")
    office = english_client()
    office.force_login(area_admin)
    response = office.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}, REMOTE_ADDR=OTHER_ADDRESS
    )
    assert response.status_code == 302
    (entry,) = events(Type.UNLOCKED)
    assert (entry.actor, entry.client_address) == (area_admin, OTHER_ADDRESS)
    assert "staff_a" in entry.description and "lock lifted" in entry.description
    assert log_in(client, "staff_a", PASSWORD).status_code == 302


def test_axes_reset_command_records_the_unlock_without_an_actor(client, staff_a):
    for _ in range(5):
        log_in(client, "staff_a", "wrong-password")
    call_command("axes_reset_username", "staff_a", stdout=io.StringIO())
    (entry,) = events(Type.UNLOCKED)
    assert entry.actor is None and entry.client_address is None and "staff_a" in entry.description


def test_attempts_axes_removes_after_the_cool_off_are_not_unlocks(client, staff_a):
    for _ in range(2):
        log_in(client, "staff_a", "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=2))
    assert log_in(client, "staff_a", PASSWORD).status_code == 302  # axes cleans expired attempts here
    assert not AccessAttempt.objects.exists()
    assert not events(Type.UNLOCKED)


# Accounts -------------------------------------------------------------------------------------


@pytest.fixture
def office(client, area_admin):
    client.force_login(area_admin)
    return client


def test_creating_a_user_in_admin_is_recorded(office, area_admin, community_a):
    response = office.post(
        reverse("admin:portal_user_add"),
        {
            "username": "new_staff", "password1": "Another-horse-battery-7", "password2": "Another-horse-battery-7",
            "usable_password": "true", "role": "staff", "community": community_a.pk, "full_name": "新同事",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_staff")
    (entry,) = [entry for entry in events(Type.USER_CREATED) if entry.object_id == str(user.pk)]
    assert (entry.actor, entry.client_address) == (area_admin, ADDRESS)
    assert "new_staff" in entry.description and community_a.name in entry.description
    assert not events(Type.PASSWORD_RESET)  # the first password is part of the creation


def admin_change(office, user, address=ADDRESS, **changes):
    data = {
        "username": user.username, "full_name": user.full_name, "email": user.email, "role": user.role,
        "community": user.community_id or "", "unit": user.unit_id or "", "is_active": "on" if user.is_active else "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2024-01-01", "date_joined_1": "08:00:00",
        "must_change_password": "",
        # The inline of the person's roles (portal.admin.RoleGrantInline), left as it is.
        "grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0",
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value is not None}
    return office.post(reverse("admin:portal_user_change", args=[user.pk]), data, REMOTE_ADDR=address)


def test_disabling_and_enabling_a_user_in_admin(office, area_admin, staff_a):
    assert admin_change(office, staff_a, is_active=None).status_code == 302
    (disabled,) = events(Type.USER_DISABLED)
    assert (disabled.actor, disabled.client_address, disabled.object_id) == (area_admin, ADDRESS, str(staff_a.pk))
    staff_a.refresh_from_db()
    assert admin_change(office, staff_a, is_active="on").status_code == 302
    assert len(events(Type.USER_ENABLED)) == 1
    assert not events(Type.ROLE_CHANGED) and not events(Type.COMMUNITY_CHANGED) and not events(Type.PASSWORD_RESET)


def test_role_and_community_changes_in_admin(office, area_admin, staff_a, community_b):
    assert admin_change(office, staff_a, role="grid_worker", community=community_b.pk).status_code == 302
    (role,) = events(Type.ROLE_CHANGED)
    (community,) = events(Type.COMMUNITY_CHANGED)
    assert role.actor == area_admin and community.actor == area_admin
    assert "Community staff" in role.description and "Grid worker" in role.description
    assert "沙河街社区" in community.description and community_b.name in community.description
    assert not events(Type.USER_DISABLED)


def test_a_user_changing_their_own_password(client, staff_a):
    client.force_login(staff_a)
    new = "Brand-new-password-42"
    response = client.post(
        reverse("portal:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    (entry,) = events(Type.PASSWORD_CHANGED)
    assert (entry.actor, entry.client_address, entry.object_id) == (staff_a, ADDRESS, str(staff_a.pk))
    assert not events(Type.PASSWORD_RESET)


def test_an_admin_setting_someone_elses_password_is_a_reset(office, area_admin, staff_a):
    new = "Given-by-the-office-77"
    response = office.post(
        reverse("admin:auth_user_password_change", args=[staff_a.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    (entry,) = events(Type.PASSWORD_RESET)
    assert (entry.actor, entry.client_address, entry.object_id) == (area_admin, ADDRESS, str(staff_a.pk))
    assert not events(Type.PASSWORD_CHANGED)


def test_a_password_set_by_a_command_is_a_reset_without_an_actor(staff_a):
    staff_a.set_password("Set-from-the-shell-55")
    staff_a.save()
    (entry,) = events(Type.PASSWORD_RESET)
    assert entry.actor is None and entry.client_address is None


def test_saving_the_last_login_or_a_rehash_records_nothing(staff_a):
    staff_a.last_login = timezone.now()
    staff_a.save(update_fields=["last_login"])
    staff_a.password = staff_a.password + "x"  # as check_password's rehash saves it: only the hash
    staff_a.save(update_fields=["password"])
    staff_a.full_name = "王小明"
    staff_a.save()
    assert not SecurityEvent.objects.exclude(event_type=Type.USER_CREATED).exists()
