"""Filters of the staff lists: topics, property companies and proxy services."""

import django_filters
from django.utils.translation import gettext_lazy as _

from grid.models import GridCell
from portal.filters import (
    ActiveFilter,
    DayFilter,
    ScopedFilterSet,
    communities_in_reach,
)
from portal.forms import DATE_WIDGET

from .models import PropertyCompany, ProxyService, Topic


def _cells(request):
    return GridCell.objects.for_user(request.user).select_related("community")


def _companies(request):
    return PropertyCompany.objects.for_user(request.user)


class TopicFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    status = django_filters.ChoiceFilter(choices=Topic.Status.choices, label=_("Status"))
    source = django_filters.ChoiceFilter(choices=Topic.Source.choices, label=_("Raised through"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, field_name="grid_cells", label=_("Grid cell"))
    proposed_from = DayFilter(
        field_name="proposed_on", lookup_expr="gte", label=_("Proposed from"), widget=DATE_WIDGET
    )
    proposed_to = DayFilter(field_name="proposed_on", lookup_expr="lte", label=_("Proposed to"), widget=DATE_WIDGET)
    search_fields = ("title", "description")

    class Meta:
        model = Topic
        fields = ["q", "community", "status", "source", "grid_cell", "proposed_from", "proposed_to"]


class CompanyFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    is_active = ActiveFilter()
    search_fields = ("name", "party_organization", "contact_name", "window_place")

    class Meta:
        model = PropertyCompany
        fields = ["q", "community", "is_active"]


class ProxyFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    company = django_filters.ModelChoiceFilter(
        queryset=_companies, label=_("Handled at"), null_label=_("Community staff (no company)"), null_value="none"
    )
    kind = django_filters.ChoiceFilter(choices=ProxyService.Kind.choices, label=_("Errand"))
    status = django_filters.ChoiceFilter(choices=ProxyService.Status.choices, label=_("Status"))
    received_from = DayFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received from"), widget=DATE_WIDGET
    )
    received_to = DayFilter(field_name="received_on", lookup_expr="lte", label=_("Received to"), widget=DATE_WIDGET)
    search_fields = ("resident_name", "description")

    class Meta:
        model = ProxyService
        fields = ["q", "community", "company", "kind", "status", "received_from", "received_to"]
