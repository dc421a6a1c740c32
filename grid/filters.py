import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.access import Role

from .models import Building, CoBuildingUnit, Community, GridCell, PartyMember


def _communities(request):
    return Community.objects.for_user(request.user)


def _cells(request):
    return GridCell.objects.for_user(request.user).select_related("community")


def _units(request):
    return CoBuildingUnit.objects.for_user(request.user)


class ActiveFilter(django_filters.ChoiceFilter):
    """Active / inactive / all, with plain words instead of "unknown"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Status"))
        kwargs.setdefault("choices", [("true", _("Active")), ("false", _("Inactive"))])
        kwargs.setdefault("method", "filter_active")
        super().__init__(**kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Search box plus filters; the community filter only for area admins."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if "community" in self.filters and (user is None or user.role != Role.AREA_ADMIN):
            del self.filters["community"]

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
    search_fields = ("name", "party_organization", "liaison_name", "resources")

    class Meta:
        model = CoBuildingUnit
        fields = ["q", "community", "kind", "is_active"]


class MemberFilter(ScopedFilterSet):
    REPORTED_CHOICES = [("yes", _("Reported")), ("no", _("Not yet reported"))]

    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("Community"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    employer_unit = django_filters.ModelChoiceFilter(queryset=_units, label=_("Unit"))
    reported = django_filters.ChoiceFilter(choices=REPORTED_CHOICES, label=_("Reporting"), method="filter_reported")
    is_active = ActiveFilter()
    search_fields = ("name", "phone", "employer_name")

    class Meta:
        model = PartyMember
        fields = ["q", "community", "grid_cell", "employer_unit", "reported", "is_active"]

    def filter_reported(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(reported_on__isnull=False)
        if value == "no":
            return queryset.filter(reported_on__isnull=True)
        return queryset
