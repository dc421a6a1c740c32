"""Red property management: property companies and the proxy window's services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from council.models import PropertyCompany, ProxyService
from grid.models import Building

from . import (
    ACTORS,
    DAY,
    OFFICE,
    actors,
    english,
    make_company,
    make_company_a,
    make_proxy,
    messages_of,
    url_for,
)

P = ProxyService.Status

GET_VIEWS = [
    ("council:company_list", None, OFFICE),
    ("council:company_create", None, OFFICE),
    ("council:company_detail", "company_a", OFFICE),
    ("council:company_update", "company_a", OFFICE),
    ("council:proxy_list", None, OFFICE),
    ("council:proxy_create", None, OFFICE),
    ("council:proxy_detail", "proxy_a", OFFICE),
    ("council:proxy_update", "proxy_a", OFFICE),
]
POST_VIEWS = [("council:proxy_status", "proxy_a")]


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return actors(request)


@pytest.fixture
def company_a(community_a, building_a):
    return make_company_a(community_a, building_a)


@pytest.fixture
def proxy_a(community_a, company_a, building_a):
    return make_proxy(community_a, company=company_a, building=building_a)


@pytest.fixture
def building_b(cell_b):
    return Building.objects.create(grid_cell=cell_b, name="北1号楼")


# The permission matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, everyone, proxy_a, name, obj, allowed):
    response = client.get(url_for(request, name, obj))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, proxy_a, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(url_for(request, name, obj))
    assert response.status_code == (200 if actor in allowed else 403), f"{actor} on {name}"


@pytest.mark.parametrize("name,obj", [(n, o) for n, o, allowed in GET_VIEWS if o])
def test_other_community_staff_get_404(request, client, everyone, proxy_a, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(url_for(request, name, obj)).status_code == 404
    if name.endswith("_update"):
        assert client.post(url_for(request, name, obj), {"name": "x"}).status_code == 404


@pytest.mark.parametrize("name,obj", POST_VIEWS)
def test_post_only_views(request, client, everyone, name, obj):
    url = url_for(request, name, obj)
    response = client.post(url, {"status": "done"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:login"))
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    for actor in ["grid_worker_a", "member_user_a", "liaison_a"]:
        client.force_login(everyone[actor])
        assert client.post(url, {"status": "done"}).status_code == 403
    client.force_login(everyone["staff_b"])
    assert client.post(url, {"status": "done"}).status_code == 404
    assert ProxyService.objects.get().status == P.RECEIVED


def test_other_community_lists_do_not_show_our_records(client, staff_b, proxy_a, company_a):
    client.force_login(staff_b)
    for name, text in [("council:company_list", company_a.name), ("council:proxy_list", proxy_a.resident_name)]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert text not in response.content.decode()


# Property companies ----------------------------------------------------------------------------------------


def _company_data(**extra):
    return {"name": "红盾物业", "party_organization": "红盾物业党支部", "window_place": "1号楼一层",
            "window_hours": "周一至周五 9:00-17:00", "contact_name": "刘经理", "contact_phone": "138 0000 5678",
            "is_active": "on", **extra}


def test_create_a_company(client, staff_a, community_a, building_a, unit_a):
    client.force_login(staff_a)
    response = client.post(reverse("council:company_create"), _company_data(compounds=[building_a.pk], party_unit=unit_a.pk))
    company = PropertyCompany.objects.get()
    assert response.status_code == 302 and response["Location"] == company.get_absolute_url()
    assert (company.community, company.party_unit, company.contact_phone) == (community_a, unit_a, "13800005678")
    assert list(company.compounds.all()) == [building_a]
    html = client.get(company.get_absolute_url()).content.decode()
    assert f"{building_a.grid_cell.name} · {building_a.name}" in html


def test_compounds_are_labelled_with_their_cell(client, staff_a, building_a, building_b):
    client.force_login(staff_a)
    form = client.get(reverse("council:company_create")).context["form"]
    field = form.fields["compounds"]
    assert list(field.queryset) == [building_a]
    assert field.label_from_instance(building_a) == f"{building_a.grid_cell.name} · {building_a.name}"


def test_compounds_of_another_community_are_refused(client, staff_a, area_admin, community_a, building_a, building_b, unit_b):
    client.force_login(staff_a)
    response = client.post(reverse("council:company_create"), _company_data(compounds=[building_a.pk, building_b.pk]))
    assert response.status_code == 200 and "compounds" in response.context["form"].errors
    response = client.post(reverse("council:company_create"), _company_data(party_unit=unit_b.pk))
    assert response.status_code == 200 and "party_unit" in response.context["form"].errors
    client.force_login(area_admin)  # sees every community's buildings, chooses the community
    response = client.post(
        reverse("council:company_create"), _company_data(community=community_a.pk, compounds=[building_a.pk, building_b.pk])
    )
    assert response.status_code == 200 and "compounds" in response.context["form"].errors
    assert not PropertyCompany.objects.exists()
    response = client.post(reverse("council:company_create"), _company_data(community=community_a.pk, compounds=[building_a.pk]))
    assert response.status_code == 302
    assert PropertyCompany.objects.get().community == community_a


def test_company_names_are_unique_in_a_community(client, staff_a, company_a):
    client.force_login(staff_a)
    response = client.post(reverse("council:company_create"), _company_data(name=company_a.name))
    assert response.status_code == 200 and response.context["form"].errors
    assert PropertyCompany.objects.count() == 1


def test_update_a_company(client, staff_a, company_a, building_b):
    client.force_login(staff_a)
    url = reverse("council:company_update", args=[company_a.pk])
    response = client.post(url, _company_data(name="兴泽物业（新）", compounds=[], is_active=""))
    assert response.status_code == 302
    company_a.refresh_from_db()
    assert company_a.name == "兴泽物业（新）" and not company_a.is_active and not company_a.compounds.exists()
    response = client.post(url, _company_data(compounds=[building_b.pk]))
    assert response.status_code == 200 and "compounds" in response.context["form"].errors


def test_company_detail_shows_its_latest_services_and_counts(client, staff_a, community_a, company_a):
    for i in range(23):
        make_proxy(community_a, company=company_a, resident_name=f"居民{i:02d}", received_on=DAY + datetime.timedelta(days=i),
                   status=P.DONE if i < 5 else P.RECEIVED, done_on=DAY + datetime.timedelta(days=i) if i < 5 else None)
    make_proxy(community_a, resident_name="别家窗口的居民")
    english(client).force_login(staff_a)
    response = client.get(company_a.get_absolute_url())
    html = response.content.decode()
    assert len(response.context["services"]) == 20
    assert "居民22" in html and "居民02" not in html  # the latest 20
    assert "别家窗口的居民" not in html
    assert response.context["status_counts"] == [("Received", 18), ("Being handled", 0), ("Done", 5)]
    assert "23 errands in all" in html


def test_company_list_counts(client, staff_a, community_a, company_a, building_a, django_assert_max_num_queries):
    make_proxy(community_a, company=company_a)
    make_proxy(community_a, company=company_a, status=P.DONE, done_on=DAY)
    make_proxy(community_a, company=company_a, status=P.DONE, done_on=DAY)
    client.force_login(staff_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("council:company_list"))
    company = response.context["object_list"][0]
    assert (company.compound_count, company.open_count, company.done_count) == (1, 1, 2)


# Proxy services -----------------------------------------------------------------------------------------------


def _proxy_data(**extra):
    return {"kind": "social", "description": "帮忙办理养老金认证", "resident_name": "李桂兰", "resident_phone": "139-1234-5678",
            "handled_by_name": "小周", "received_on": "2023-05-04", **extra}


def test_create_a_proxy_service(client, staff_a, community_a, company_a, building_a):
    client.force_login(staff_a)
    response = client.post(reverse("council:proxy_create"), _proxy_data(company=company_a.pk, building=building_a.pk))
    service = ProxyService.objects.get()
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert (service.community, service.company, service.building) == (community_a, company_a, building_a)
    assert (service.handled_by, service.handled_by_name, service.status) == (staff_a, "小周", P.RECEIVED)
    assert service.resident_phone == "139-1234-5678"


def test_a_proxy_service_handled_by_staff_has_no_company(client, staff_a):
    client.force_login(staff_a)
    assert client.post(reverse("council:proxy_create"), _proxy_data()).status_code == 302
    assert ProxyService.objects.get().company is None


def test_proxy_choices_of_another_community_are_refused(client, staff_a, area_admin, community_a, community_b, building_b):
    company_b = make_company(community_b, name="北关物业")
    client.force_login(staff_a)
    for field, value in [("company", company_b.pk), ("building", building_b.pk)]:
        response = client.post(reverse("council:proxy_create"), _proxy_data(**{field: value}))
        assert response.status_code == 200 and field in response.context["form"].errors
    client.force_login(area_admin)
    response = client.post(reverse("council:proxy_create"), _proxy_data(community=community_a.pk, company=company_b.pk))
    assert response.status_code == 200 and "company" in response.context["form"].errors
    assert not ProxyService.objects.exists()


def test_update_a_proxy_service(client, staff_a, proxy_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("council:proxy_update", args=[proxy_a.pk]),
        _proxy_data(company=proxy_a.company_id, kind="repair", note="已联系维修工"),
    )
    assert response.status_code == 302
    proxy_a.refresh_from_db()
    assert (proxy_a.kind, proxy_a.resident_name, proxy_a.note) == ("repair", "李桂兰", "已联系维修工")


def _status(client, service, status, **data):
    return client.post(reverse("council:proxy_status", args=[service.pk]), {"status": status, **data}, follow=True)


def test_done_sets_the_date_and_back_to_in_progress_clears_it(client, staff_a, proxy_a):
    english(client).force_login(staff_a)
    response = _status(client, proxy_a, "done", on="2023-05-06", note="已办好")
    proxy_a.refresh_from_db()
    assert (proxy_a.status, proxy_a.done_on, proxy_a.note) == (P.DONE, datetime.date(2023, 5, 6), "已办好")
    assert "The errand is now “Done”." in messages_of(response)
    _status(client, proxy_a, "in_progress", note="材料不全，补交中")
    proxy_a.refresh_from_db()
    assert (proxy_a.status, proxy_a.done_on, proxy_a.note) == (P.IN_PROGRESS, None, "材料不全，补交中")


def test_done_without_a_date_is_done_today(client, staff_a, proxy_a):
    client.force_login(staff_a)
    _status(client, proxy_a, "done")
    proxy_a.refresh_from_db()
    assert proxy_a.status == P.DONE and proxy_a.done_on == timezone.localdate()


def test_done_before_received_is_refused(client, staff_a, proxy_a):
    english(client).force_login(staff_a)
    response = _status(client, proxy_a, "done", on="2023-05-01")
    proxy_a.refresh_from_db()
    assert proxy_a.status == P.RECEIVED and proxy_a.done_on is None
    assert "It cannot be done before it was received." in messages_of(response)


def test_unknown_status_and_future_date_are_refused(client, staff_a, proxy_a):
    client.force_login(staff_a)
    _status(client, proxy_a, "lost")
    _status(client, proxy_a, "done", on=(timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    proxy_a.refresh_from_db()
    assert proxy_a.status == P.RECEIVED and proxy_a.done_on is None


def test_received_after_done_is_refused_on_edit(client, staff_a, proxy_a):
    proxy_a.status, proxy_a.done_on = P.DONE, DAY
    proxy_a.save()
    client.force_login(staff_a)
    response = client.post(reverse("council:proxy_update", args=[proxy_a.pk]), _proxy_data(received_on="2023-05-05"))
    assert response.status_code == 200 and "received_on" in response.context["form"].errors


def test_detail_offers_the_other_statuses(client, staff_a, proxy_a):
    client.force_login(staff_a)
    html = client.get(proxy_a.get_absolute_url()).content.decode()
    assert 'value="in_progress"' in html and 'value="done"' in html and 'name="status" value="received"' not in html
    assert proxy_a.resident_phone in html  # the detail page has the whole number, to call back


# The list ---------------------------------------------------------------------------------------------------------------


def test_list_filters(client, staff_a, community_a, company_a):
    make_proxy(community_a, company=company_a, resident_name="甲", kind="payment", received_on=datetime.date(2023, 3, 1))
    make_proxy(community_a, resident_name="乙", kind="repair", description="水管漏水", status=P.IN_PROGRESS,
               received_on=datetime.date(2023, 6, 1))
    client.force_login(staff_a)

    def names(**query):
        response = client.get(reverse("council:proxy_list"), query)
        assert response.status_code == 200
        return {service.resident_name for service in response.context["object_list"]}

    assert names() == {"甲", "乙"}
    assert names(company=company_a.pk) == {"甲"}
    assert names(company="none") == {"乙"}
    assert names(kind="repair") == {"乙"}
    assert names(status="in_progress") == {"乙"}
    assert names(received_from="2023-05-01") == {"乙"}
    assert names(received_to="2023-05-01") == {"甲"}
    assert names(q="漏水") == {"乙"}
    assert names(q="甲") == {"甲"}


def test_list_query_count_and_masked_phones(client, staff_a, community_a, company_a, building_a, django_assert_max_num_queries):
    ProxyService.objects.bulk_create(
        [
            ProxyService(community=community_a, company=company_a if i % 2 else None, building=building_a, kind="payment",
                         resident_name=f"居民{i}", resident_phone=f"1391234{i:04d}", received_on=DAY, handled_by=staff_a)
            for i in range(300)
        ]
    )
    client.force_login(staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("council:proxy_list"))
    assert response.status_code == 200 and len(response.context["object_list"]) == 25
    html = response.content.decode()
    assert "139****0299" in html and "13912340299" not in html
