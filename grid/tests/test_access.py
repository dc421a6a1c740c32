"""The permission matrix of every grid view: anonymous, wrong community, wrong role."""

import pytest
from django.urls import reverse

OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
ACTORS = ["area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a"]

# url name, the object it addresses (fixture name or None), roles that may GET it
GET_VIEWS = [
    ("grid:community_list", None, OFFICE),
    ("grid:community_create", None, {"area_admin"}),
    ("grid:community_detail", "community_a", OFFICE),
    ("grid:community_update", "community_a", OFFICE),
    ("grid:gridcell_list", None, GRID),
    ("grid:gridcell_create", None, OFFICE),
    ("grid:gridcell_detail", "cell_a", GRID),
    ("grid:gridcell_update", "cell_a", OFFICE),
    ("grid:building_list", None, GRID),
    ("grid:building_create", None, OFFICE),
    ("grid:building_detail", "building_a", GRID),
    ("grid:building_update", "building_a", OFFICE),
    ("grid:unit_list", None, OFFICE),
    ("grid:unit_create", None, OFFICE),
    ("grid:unit_detail", "unit_a", OFFICE | {"liaison_a"}),
    ("grid:unit_update", "unit_a", OFFICE),
    ("grid:unit_import", None, OFFICE),
    ("grid:unit_import_template", None, OFFICE),
    ("grid:member_list", None, GRID),
    ("grid:member_create", None, OFFICE),
    ("grid:member_detail", "member_a", GRID),
    ("grid:member_update", "member_a", OFFICE),
    ("grid:member_me", None, {"member_user_a"}),
    ("grid:member_import", None, OFFICE),
    ("grid:member_import_template", None, OFFICE),
]
POST_VIEWS = ["grid:member_confirm", "grid:member_undo_report"]


def _url(request, name, obj_fixture):
    if obj_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(obj_fixture).pk])


@pytest.fixture
def everyone(request, member_user_a, liaison_a, grid_worker_a, staff_a, staff_b, area_admin):
    return {name: request.getfixturevalue(name) for name in ACTORS + ["staff_b"]}


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
def test_anonymous_is_sent_to_login(request, client, everyone, name, obj, allowed):
    url = _url(request, name, obj)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


@pytest.mark.parametrize("name,obj,allowed", GET_VIEWS, ids=[v[0] for v in GET_VIEWS])
@pytest.mark.parametrize("actor", ACTORS)
def test_role_matrix(request, client, everyone, name, obj, allowed, actor):
    client.force_login(everyone[actor])
    response = client.get(_url(request, name, obj))
    expected = 200 if actor in allowed else 403
    assert response.status_code == expected, f"{actor} on {name}"


@pytest.mark.parametrize(
    "name,obj", [(n, o) for n, o, allowed in GET_VIEWS if o and "staff_a" in allowed]
)
def test_other_community_staff_get_404(request, client, everyone, name, obj):
    client.force_login(everyone["staff_b"])
    assert client.get(_url(request, name, obj)).status_code == 404


def test_other_community_lists_do_not_show_our_records(client, everyone, member_a, unit_a, cell_a):
    client.force_login(everyone["staff_b"])
    for name, text in [
        ("grid:member_list", member_a.name),
        ("grid:unit_list", unit_a.name),
        ("grid:gridcell_list", cell_a.name),
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert text not in response.content.decode()


def test_grid_worker_sees_only_their_cells(client, grid_worker_a, cell_a, cell_a2):
    client.force_login(grid_worker_a)
    assert client.get(reverse("grid:gridcell_detail", args=[cell_a.pk])).status_code == 200
    assert client.get(reverse("grid:gridcell_detail", args=[cell_a2.pk])).status_code == 404
    listing = client.get(reverse("grid:gridcell_list")).content.decode()
    assert cell_a.name in listing and cell_a2.name not in listing


def test_liaison_sees_only_their_unit(client, liaison_a, community_a, unit_a):
    from grid.models import CoBuildingUnit

    other = CoBuildingUnit.objects.create(community=community_a, name="另一家单位")
    client.force_login(liaison_a)
    assert client.get(reverse("grid:unit_detail", args=[unit_a.pk])).status_code == 200
    assert client.get(reverse("grid:unit_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("name", POST_VIEWS)
def test_post_only_views(client, everyone, member_a, name):
    url = reverse(name, args=[member_a.pk])
    assert client.post(url).status_code == 302  # anonymous: to the login page
    client.force_login(everyone["staff_a"])
    assert client.get(url).status_code == 405
    client.force_login(everyone["grid_worker_a"])
    assert client.post(url).status_code == 403
    client.force_login(everyone["staff_b"])
    assert client.post(url).status_code == 404
