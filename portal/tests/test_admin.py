"""Every model is in Django admin, with a list page that loads, searches and filters."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from simple_history.models import HistoricalChanges

OUR_APPS = {"portal", "grid", "wishes", "volunteers", "council"}
# Record histories are shown on their record's admin page (History), not on their own.
OUR_MODELS = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not issubclass(m, HistoricalChanges)]


def test_every_model_of_ours_is_in_admin():
    missing = [m.__name__ for m in OUR_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_model_is_registered_with_list_display_and_search(model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields
    assert model_admin.list_display != ("__str__",)


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m.__name__)
def test_changelist_loads_and_searches(client, area_admin, member_a, liaison_a, model):
    client.force_login(area_admin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "张"}).status_code == 200


def test_member_admin_shows_the_member(client, area_admin, member_a):
    client.force_login(area_admin)
    response = client.get(reverse("admin:grid_partymember_changelist"), {"q": member_a.phone})
    assert member_a.name in response.content.decode()


def test_old_admin_addresses_of_communities_lead_to_the_new_ones(client, community_a):
    response = client.get(f"/admin/grid/community/{community_a.pk}/change/?_changelist_filters=q%3Dx")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/portal/community/{community_a.pk}/change/?_changelist_filters=q%3Dx"
