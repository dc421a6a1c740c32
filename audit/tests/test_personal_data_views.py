"""A staff page that shows a resident's or member's whole phone number or address
records who saw it, when and from where; the records are read-only in admin."""

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import SecurityEvent
from council.models import ProxyService
from volunteers.models import SpecialGroupCase

VIEWED = SecurityEvent.Type.PERSONAL_DATA_VIEWED


def test_staff_opening_a_members_page_is_recorded(client, staff_a, member_a):
    client.force_login(staff_a)
    response = client.get(reverse("grid:member_detail", args=[member_a.pk]), REMOTE_ADDR="10.1.2.3")
    assert member_a.phone in response.content.decode()
    entry = SecurityEvent.objects.get(event_type=VIEWED)
    assert entry.actor == staff_a and entry.actor_username == "staff_a"
    assert entry.event_type == VIEWED and entry.result == SecurityEvent.Result.SUCCESS
    assert entry.object_type == ContentType.objects.get_for_model(member_a) and entry.object_id == str(member_a.pk)
    assert entry.client_address == "10.1.2.3"
    assert member_a.name in entry.description and "mobile phone" in entry.description


def test_each_page_view_is_one_entry(client, staff_a, member_a):
    client.force_login(staff_a)
    url = reverse("grid:member_detail", args=[member_a.pk])
    client.get(url)
    client.get(url)
    assert SecurityEvent.objects.filter(event_type=VIEWED, actor=staff_a, object_id=str(member_a.pk)).count() == 2


@pytest.fixture
def case_a(community_a, cell_a, grid_worker_a):
    return SpecialGroupCase.objects.create(
        community=community_a, group="elderly_alone", resident_name="刘奶奶", resident_phone="13500003333",
        grid_cell=cell_a, address_detail="5号楼1单元101", problem="家里水管漏水",
        assigned_to=grid_worker_a,  # a grid worker sees only the cases assigned to them
    )


@pytest.fixture
def proxy_a(community_a):
    return ProxyService.objects.create(community=community_a, kind="paperwork", resident_name="陈大爷", resident_phone="13400004444")


@pytest.mark.parametrize(
    "actor,url_name,record,fields",
    [
        ("grid_worker_a", "wishes:detail", "wish_a", ["resident's phone", "address detail"]),
        ("staff_a", "wishes:detail", "wish_a", ["resident's phone", "address detail"]),
        ("grid_worker_a", "grid:appeal_detail", "appeal_a", ["resident's phone", "address detail"]),
        ("grid_worker_a", "volunteers:case_detail", "case_a", ["resident's phone", "address detail"]),
        ("staff_a", "council:proxy_detail", "proxy_a", ["resident's phone"]),
        ("grid_worker_a", "grid:member_detail", "member_a", ["mobile phone"]),
    ],
)
def test_every_page_with_a_whole_number_or_address_is_recorded(db, client, request, actor, url_name, record, fields):
    user, obj = request.getfixturevalue(actor), request.getfixturevalue(record)
    client.force_login(user)
    assert client.get(reverse(url_name, args=[obj.pk]), REMOTE_ADDR="192.168.0.8").status_code == 200
    entry = SecurityEvent.objects.get(event_type=VIEWED)
    assert (entry.actor, entry.object_id, entry.client_address) == (user, str(obj.pk), "192.168.0.8")
    assert entry.object_type.model_class() is type(obj)
    for field in fields:
        assert field in entry.description


def test_nothing_is_recorded_when_the_page_shows_no_phone_or_address(client, staff_a, case_a):
    SpecialGroupCase.objects.filter(pk=case_a.pk).update(resident_phone="", address_detail="")
    client.force_login(staff_a)
    assert client.get(reverse("volunteers:case_detail", args=[case_a.pk])).status_code == 200
    assert not SecurityEvent.objects.filter(event_type=VIEWED).exists()


def test_lists_with_masked_numbers_and_refused_pages_record_nothing(client, staff_a, member_a, member_user_a, staff_b):
    client.force_login(staff_a)
    assert client.get(reverse("grid:member_list")).status_code == 200
    client.force_login(member_user_a)
    assert client.get(reverse("grid:member_detail", args=[member_a.pk])).status_code == 403
    client.force_login(staff_b)
    assert client.get(reverse("grid:member_detail", args=[member_a.pk])).status_code == 404
    assert not SecurityEvent.objects.filter(event_type=VIEWED).exists()


# Admin: read-only -----------------------------------------------------------------------------


@pytest.fixture
def entry(client, staff_a, member_a):
    client.force_login(staff_a)
    client.get(reverse("grid:member_detail", args=[member_a.pk]))
    return SecurityEvent.objects.get(event_type=VIEWED)


def test_admin_lists_searches_and_filters_the_entries(client, area_admin, entry):
    client.force_login(area_admin)
    url = reverse("admin:audit_securityevent_changelist")
    assert "staff_a" in client.get(url).content.decode()
    assert "staff_a" in client.get(url, {"q": "staff_a"}).content.decode()
    assert "staff_a" in client.get(url, {"event_type__exact": VIEWED}).content.decode()
    assert "staff_a" not in client.get(url, {"q": "nobody"}).content.decode()


def test_admin_cannot_add_change_or_delete_entries(client, area_admin, entry):
    client.force_login(area_admin)
    assert client.get(reverse("admin:audit_securityevent_add")).status_code == 403
    change = reverse("admin:audit_securityevent_change", args=[entry.pk])
    assert client.post(change, {"description": "changed", "event_type": VIEWED, "result": "success"}).status_code == 403
    delete = reverse("admin:audit_securityevent_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_securityevent_changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert bulk.status_code == 200  # no such action: nothing happens
    entry.refresh_from_db()
    assert entry.description != "changed"
    model_admin = admin.site._registry[SecurityEvent]
    request = client.get(reverse("admin:audit_securityevent_changelist")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
