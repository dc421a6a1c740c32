import functools

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import Role
from portal.activity import active_on
from portal.dates import validate_day
from portal.ids import parse_id

from .models import Building, CoBuildingUnit, GridCell, PartyMember
from portal.models import Community


def _communities(request):
    return Community.objects.for_user(request.user)


def _cells(request):
    return GridCell.objects.for_user(request.user).select_related("community")


def _units(request):
    return CoBuildingUnit.objects.for_user(request.user)


def _in_community(queryset, community, selected, request):
    """`queryset` (or its callable) narrowed to one community's records plus the selected one;
    records that belong to no community (built-in event kinds) stay."""
    qs = queryset(request) if callable(queryset) else queryset
    try:
        field = qs.model._meta.get_field("community")
    except FieldDoesNotExist:
        return qs
    condition = Q(community_id=community) if community else Q(pk__in=[])
    if selected:
        condition |= Q(pk=selected)
    if field.null:
        condition |= Q(community__isnull=True)
    return qs.filter(condition)


class ActiveFilter(django_filters.ChoiceFilter):
    """Active / inactive / all, with plain words instead of "unknown"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Status"))
        kwargs.setdefault("choices", [("true", _("Active")), ("false", _("Inactive"))])
        kwargs.setdefault("method", "filter_active")
        super().__init__(**kwargs)


class DayFilter(django_filters.DateFilter):
    """A day of a list's filter. One outside the days the portal can count with
    (portal.dates) is refused like any bad value: the field shows why, the list
    ignores it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_day])
        super().__init__(**kwargs)


class CountedOnFilter(DayFilter):
    """The records a report counted on a day (portal.activity): units co-building then,
    members registered and not yet inactive, teams and stations open. The dashboard's
    cards for a period open their list with its last day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Counted on"))
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(method=lambda queryset, name, day: active_on(queryset, day), **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Search box plus filters; the community filter only for area admins."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if "community" in self.filters and (user is None or user.role != Role.AREA_ADMIN):
            del self.filters["community"]
        if user is not None and user.role == Role.AREA_ADMIN:
            self._narrow_to_chosen_community()

    def _narrow_to_chosen_community(self):
        """An area admin sees every community: the choices of records that belong to one
        (grid cells, units, teams, ...) are those of the community chosen in the filter
        (and the one already selected), not thousands from all communities: 2,000 grid
        cells took 1.5 s to render at county scale, and their names repeat."""
        data = self.data or {}
        community = parse_id(data.get("community"))  # "²" and 10**30 are no ids (portal.ids)
        for name, field in self.filters.items():
            if name == "community" or not isinstance(field, django_filters.ModelChoiceFilter):
                continue
            field.queryset = functools.partial(_in_community, field.queryset, community, parse_id(data.get(name)))

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true")) if value in ("true", "false") else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(self.search_condition(value)) if value else queryset

    def search_condition(self, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return condition


class CommunityFilter(ScopedFilterSet):
    search_fields = ("name", "code", "town", "county")

    class Meta:
        model = Community
        fields = ["q"]


class GridCellFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("Community"))
    search_fields = ("name", "boundary")

    class Meta:
        model = GridCell
        fields = ["q", "community"]


class BuildingFilter(ScopedFilterSet):
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    search_fields = ("name", "note")

    class Meta:
        model = Building
        fields = ["q", "grid_cell"]


class UnitFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("Community"))
    kind = django_filters.ChoiceFilter(choices=CoBuildingUnit.Kind.choices, label=_("Kind"))
    is_active = ActiveFilter()
    counted_on = CountedOnFilter()
    search_fields = ("name", "party_organization", "liaison_name", "resources")

    class Meta:
        model = CoBuildingUnit
        fields = ["q", "community", "kind", "is_active", "counted_on"]


class MemberFilter(ScopedFilterSet):
    REPORTED_CHOICES = [("yes", _("Reported")), ("no", _("Not yet reported"))]

    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("Community"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    employer_unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    reported = django_filters.ChoiceFilter(choices=REPORTED_CHOICES, label=_("Reporting"), method="filter_reported")
    is_active = ActiveFilter()
    counted_on = CountedOnFilter()
    search_fields = ("name", "phone", "employer_name")

    class Meta:
        model = PartyMember
        fields = ["q", "community", "grid_cell", "employer_unit", "reported", "is_active", "counted_on"]

    def filter_reported(self, queryset, name, value):
        """Reported by now, or by the day the list is counted on."""
        day = self.form.cleaned_data.get("counted_on")
        reported = Q(reported_on__lte=day) if day else Q(reported_on__isnull=False)
        if value == "yes":
            return queryset.filter(reported)
        if value == "no":
            return queryset.exclude(reported)
        return queryset
