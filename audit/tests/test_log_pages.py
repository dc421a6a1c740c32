"""The security log's pages: area admins and security auditors search it and
export it; nobody else opens them; the auditor opens nothing else."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import SecurityEvent
from audit.services import record_event

Type = SecurityEvent.Type
LIST = reverse("audit:event_list")
EXPORT = reverse("audit:event_export")


def at(days_ago, hour=10):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def log_as(client, staff_a, grid_worker_a):
    """`log_as(user)`: the client signed in as `user`, looking at a log of three
    entries: a login of staff A from the office, a failed login from outside 3
    days ago, a personal-data view by the grid worker 10 days ago. (The entries of
    making the users and signing in are pruned first.)"""

    def _log_as(user):
        client.force_login(user)
        SecurityEvent.objects.prune(before=timezone.now() + datetime.timedelta(seconds=1))
        SecurityEvent.objects.create(
            event_type=Type.LOGIN_SUCCEEDED, actor=staff_a, actor_username="staff_a", client_address="10.0.0.5", at=at(0)
        )
        SecurityEvent.objects.create(
            event_type=Type.LOGIN_FAILED, description="Username tried: staff_a", result="failure",
            client_address="203.0.113.9", at=at(3),
        )
        SecurityEvent.objects.create(
            event_type=Type.PERSONAL_DATA_VIEWED, actor=grid_worker_a, actor_username="grid_a",
            description="王秀英 13700001111: resident's phone", client_address="10.0.0.6", at=at(10),
        )
        return client

    return _log_as


def rows(response):
    return [(event.event_type, event.actor_username) for event in response.context["page_obj"]]


@pytest.mark.parametrize("reader", ["area_admin", "auditor"])
def test_an_area_admin_and_the_auditor_read_the_log(request, log_as, reader):
    response = log_as(request.getfixturevalue(reader)).get(LIST)
    assert response.status_code == 200
    assert rows(response) == [
        (Type.LOGIN_SUCCEEDED, "staff_a"), (Type.LOGIN_FAILED, ""), (Type.PERSONAL_DATA_VIEWED, "grid_a"),
    ]
    assert "203.0.113.9" in response.content.decode()


@pytest.mark.parametrize("visitor", ["staff_a", "grid_worker_a", "member_user_a", "liaison_a"])
def test_nobody_else_opens_the_log(request, log_as, visitor):
    client = log_as(request.getfixturevalue(visitor))
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert not SecurityEvent.objects.filter(event_type=Type.DATA_EXPORTED).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"q": "staff_a"}, [Type.LOGIN_SUCCEEDED, Type.LOGIN_FAILED]),  # the actor, or the username in the description
        ({"q": "203.0.113"}, [Type.LOGIN_FAILED]),  # the address
        ({"q": "resident"}, [Type.PERSONAL_DATA_VIEWED]),  # the description
        ({"event_type": "login_failed"}, [Type.LOGIN_FAILED]),
        ({"result": "success"}, [Type.LOGIN_SUCCEEDED, Type.PERSONAL_DATA_VIEWED]),
        ({"date_from": "{5}"}, [Type.LOGIN_SUCCEEDED, Type.LOGIN_FAILED]),
        ({"date_to": "{3}"}, [Type.LOGIN_FAILED, Type.PERSONAL_DATA_VIEWED]),
        ({"date_from": "{3}", "date_to": "{3}"}, [Type.LOGIN_FAILED]),
    ],
)
def test_search_and_filters(log_as, auditor, query, expected):
    def day(value):
        if value.startswith("{"):
            return f"{timezone.localdate() - datetime.timedelta(days=int(value[1:-1])):%Y-%m-%d}"
        return value

    response = log_as(auditor).get(LIST, {key: day(value) for key, value in query.items()})
    assert [event_type for event_type, _user in rows(response)] == expected


def test_phone_numbers_in_descriptions_are_masked(log_as, auditor):
    body = log_as(auditor).get(LIST).content.decode()
    assert "13700001111" not in body and "137****1111" in body


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    log_as, auditor, staff_a, settings, django_assert_max_num_queries
):
    settings.PAGE_SIZE = 25
    client = log_as(auditor)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(event_type=Type.LOGIN_SUCCEEDED, actor=staff_a, actor_username="staff_a", at=at(i % 30))
        for i in range(57)
    )
    with django_assert_max_num_queries(4):  # session, user, count, the page with actors and kinds
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 25 and response.context["page_obj"].paginator.num_pages == 3
    assert len(client.get(LIST, {"page": 3}).context["page_obj"]) == 10


def test_the_export_holds_the_filtered_entries_and_is_itself_logged(log_as, auditor):
    response = log_as(auditor).get(EXPORT, {"result": "success"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="security-log-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == ("Date and time", "User", "Event type", "Record", "Description", "Result", "Client address")
    assert [row[2] for row in values[1:]] == ["Login", "Personal data viewed"]
    assert values[1][6] == "10.0.0.5" and isinstance(values[1][0], datetime.datetime)
    assert "137****1111" in values[2][4]

    entry = SecurityEvent.objects.get(event_type=Type.DATA_EXPORTED)
    assert (entry.actor, entry.client_address) == (auditor, "10.0.0.9")
    assert "Security log" in entry.description and "2 entries" in entry.description and "Success" in entry.description


def test_the_export_link_keeps_the_filters(log_as, area_admin):
    body = log_as(area_admin).get(LIST, {"event_type": "login_failed", "page": "1"}).content.decode()
    assert f'href="{EXPORT}?event_type=login_failed"' in body


# The auditor's place in the portal ------------------------------------------------------------


def test_the_auditors_dashboard_is_the_log_and_the_navigation_shows_only_it(client, auditor):
    client.force_login(auditor)
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302 and response["Location"] == LIST
    body = client.get(LIST).content.decode()
    assert "Security log" in body
    for other in ("grid:member_list", "wishes:list", "volunteers:event_list", "admin:index"):
        assert f'href="{reverse(other)}"' not in body


def test_area_admins_find_the_log_in_the_navigation_and_staff_do_not(client, area_admin, staff_a):
    client.force_login(area_admin)
    assert f'href="{LIST}"' in client.get(reverse("grid:member_list")).content.decode()
    client.force_login(staff_a)
    assert f'href="{LIST}"' not in client.get(reverse("grid:member_list")).content.decode()


def test_the_auditor_cannot_open_django_admin_nor_change_data(client, auditor, member_a):
    assert not auditor.is_staff
    client.force_login(auditor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:audit_securityevent_changelist")).status_code == 302
    assert client.get(reverse("grid:member_detail", args=[member_a.pk])).status_code == 403
    assert client.post(reverse("grid:member_confirm", args=[member_a.pk])).status_code == 403


def test_the_auditor_may_change_their_own_password(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("portal:password_change")).status_code == 200


def test_record_event_takes_the_actor_and_address_from_the_request(rf, staff_a):
    request = rf.get("/", REMOTE_ADDR="10.1.1.1")
    request.user = staff_a
    entry = record_event(Type.DATA_EXPORTED, request=request, obj=staff_a, description="x" * 400)
    assert (entry.actor, entry.actor_username, entry.client_address) == (staff_a, "staff_a", "10.1.1.1")
    assert entry.object_id == str(staff_a.pk) and len(entry.description) == 300
