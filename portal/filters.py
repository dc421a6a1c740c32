"""The shared pieces of every staff list's filters: the search box and the area admin's
community filter (ScopedFilterSet), days the portal can count with (DayFilter), the
records counted on a day (CountedOnFilter), active / inactive (ActiveFilter)."""

import datetime
import functools

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.activity import active_on
from portal.dates import validate_day
from portal.forms import DATE_WIDGET
from portal.ids import parse_id
from portal.models import Community
from portal.resident_requests import Rating


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the portal's time zone (an index-friendly bound)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


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


def communities_in_reach(request):
    """The community filter's choices: the communities the user reaches."""
    return Community.objects.for_user(request.user)


class ActiveFilter(django_filters.ChoiceFilter):
    """Active / inactive / all, with plain words instead of "unknown"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Status"))
        kwargs.setdefault("choices", [("true", _("Active")), ("false", _("Inactive"))])
        kwargs.setdefault("method", "filter_active")
        super().__init__(**kwargs)


class RatingFilter(django_filters.ChoiceFilter):
    """A resident request's rating (portal.resident_requests.Rating), or not rated yet:
    the call-back list (回访) of answered requests nobody rated."""

    NOT_RATED = "none"

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Rating"))
        kwargs.setdefault("choices", [*Rating.choices, (self.NOT_RATED, _("Not rated yet"))])
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        if value == self.NOT_RATED:
            return qs.filter(rating="", status__in=qs.model.rateable_statuses)
        return qs.filter(rating=value)


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
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(method=lambda queryset, name, day: active_on(queryset, day), **kwargs)


class ScopedFilterSet(django_filters.FilterSet):
    """Search box plus filters; the community filter only for area admins."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    search_fields: tuple = ("name",)
    # Choice filters whose records do not belong to one community (not narrowed to the chosen one).
    not_of_a_community: tuple = ("community",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if "community" in self.filters and (user is None or not user.can("portal.all_communities")):
            del self.filters["community"]
        if user is not None and user.can("portal.all_communities"):
            self._narrow_to_chosen_community()

    def _narrow_to_chosen_community(self):
        """An area admin sees every community: the choices of records that belong to one
        (grid cells, units, teams, ...) are those of the community chosen in the filter
        (and the one already selected), not thousands from all communities: 2,000 grid
        cells took 1.5 s to render at county scale, and their names repeat."""
        data = self.data or {}
        community = parse_id(data.get("community"))  # "²" and 10**30 are no ids (portal.ids)
        for name, field in self.filters.items():
            if name in self.not_of_a_community or not isinstance(field, django_filters.ModelChoiceFilter):
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
