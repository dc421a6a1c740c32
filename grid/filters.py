
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filters import (
    ActiveFilter,
    CountedOnFilter,
    ScopedFilterSet,
    communities_in_reach,
)
from portal.models import Area, Community
from portal.permissions import area_of

from .models import Building, CoBuildingUnit, GridCell, PartyMember


def _cells(request):
    return GridCell.objects.for_user(request.user).select_related("community")


def _units(request):
    return CoBuildingUnit.objects.for_user(request.user)


def _areas(request):
    """The areas an area admin may narrow the list to: their area's subtree (all without one)."""
    area = area_of(request.user) if request is not None else None
    return Area.objects.within(area).select_related("parent")


class CommunityFilter(ScopedFilterSet):
    area = django_filters.ModelChoiceFilter(queryset=_areas, label=_("Area"), method="in_area")
    search_fields = ("name", "code", "town", "county")
    not_of_a_community = ("community", "area")

    class Meta:
        model = Community
        fields = ["q", "area"]

    def in_area(self, queryset, name, value):
        return queryset.in_area(value)


class GridCellFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
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
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    kind = django_filters.ChoiceFilter(choices=CoBuildingUnit.Kind.choices, label=_("Kind"))
    is_active = ActiveFilter()
    counted_on = CountedOnFilter()
    search_fields = ("name", "party_organization", "liaison_name", "resources")

    class Meta:
        model = CoBuildingUnit
        fields = ["q", "community", "kind", "is_active", "counted_on"]


class MemberFilter(ScopedFilterSet):
    REPORTED_CHOICES = [("yes", _("Reported")), ("no", _("Not yet reported"))]

    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
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
