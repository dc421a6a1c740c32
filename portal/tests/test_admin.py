"""Every model is in Django admin, with a list page that loads, searches and filters."""

import pytest
from django.contrib import admin
from django.urls import reverse

from grid.models import Building, CoBuildingUnit, Community, GridCell, PartyMember, Tag
from portal.models import User


@pytest.mark.parametrize("model", [User, Community, GridCell, Building, Tag, CoBuildingUnit, PartyMember])
def test_model_is_registered_with_list_display_and_search(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert model_admin.list_display != ("__str__",)


@pytest.mark.parametrize("model", [User, Community, GridCell, Building, Tag, CoBuildingUnit, PartyMember])
def test_changelist_loads_and_searches(client, area_admin, member_a, liaison_a, model):
    client.force_login(area_admin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "张"}).status_code == 200


def test_member_admin_shows_the_member(client, area_admin, member_a):
    client.force_login(area_admin)
    response = client.get(reverse("admin:grid_partymember_changelist"), {"q": member_a.phone})
    assert member_a.name in response.content.decode()
