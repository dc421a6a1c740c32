"""Filters of the visit and appeal lists."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import Role, scope_to_community
from portal.filters import DayFilter, RatingFilter, ScopedFilterSet, communities_in_reach
from portal.forms import DATE_WIDGET
from portal.permissions import can
from portal.tracking import normalize_code

from .models import Appeal, GridCell, VisitLog

YES_NO = [("yes", _("Yes")), ("no", _("No"))]



def _cells(request):
    return GridCell.objects.for_user(request.user)


def _visitors(request):
    users = get_user_model().objects.filter(role__in=[Role.STAFF, Role.GRID_WORKER, Role.MEMBER])
    return scope_to_community(users, request.user).order_by("full_name", "username")


def start_of(day: datetime.date):
    """Midnight at the start of `day` in the portal's time zone (an index-friendly bound)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class VisitFilter(ScopedFilterSet):
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    kind = django_filters.ChoiceFilter(choices=VisitLog.Kind.choices, label=_("Kind of visit"))
    visitor = django_filters.ModelChoiceFilter(queryset=_visitors, label=_("Visited by"))
    date_from = DayFilter(field_name="visited_on", lookup_expr="gte", label=_("From"), widget=DATE_WIDGET)
    date_to = DayFilter(field_name="visited_on", lookup_expr="lte", label=_("To"), widget=DATE_WIDGET)
    follow_up = django_filters.ChoiceFilter(choices=YES_NO, label=_("Follow-up open"), method="filter_follow_up")
    search_fields = ("household", "findings")

    class Meta:
        model = VisitLog
        fields = ["q", "community", "grid_cell", "kind", "visitor", "date_from", "date_to", "follow_up"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if not can(user, "grid.all_visits"):
            del self.filters["visitor"]  # grid workers and members see their own or their cells' visits

    def filter_follow_up(self, queryset, name, value):
        open_follow_up = Q(follow_up_needed=True, follow_up_done_on__isnull=True)
        if value == "yes":
            return queryset.filter(open_follow_up)
        if value == "no":
            return queryset.exclude(open_follow_up)
        return queryset


class AppealFilter(ScopedFilterSet):
    WAITING = "waiting"
    STATUS_CHOICES = [(WAITING, _("Waiting for an answer")), *Appeal.Status.choices]
    OVERDUE_CHOICES = [("yes", _("Overdue only"))]

    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, label=_("Status"), method="filter_status")
    category = django_filters.ChoiceFilter(choices=Appeal.Category.choices, label=_("Category"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    source = django_filters.ChoiceFilter(choices=Appeal.Source.choices, label=_("Source"))
    received_from = DayFilter(label=_("Received from"), method="filter_received_from", widget=DATE_WIDGET)
    received_to = DayFilter(label=_("Received to"), method="filter_received_to", widget=DATE_WIDGET)
    overdue = django_filters.ChoiceFilter(choices=OVERDUE_CHOICES, label=_("Overdue"), method="filter_overdue")
    urgency = django_filters.ChoiceFilter(choices=Appeal.Urgency.choices, label=_("Urgency"))
    rating = RatingFilter()
    search_fields = ("title", "code", "resident_name", "resident_phone")

    class Meta:
        model = Appeal
        fields = ["q", "community", "status", "category", "grid_cell", "source", "received_from", "received_to", "overdue", "urgency", "rating"]

    def search_condition(self, value):
        condition = super().search_condition(value)
        code = normalize_code(value)  # "abcde-fghjk" as read out over the phone
        if code and code != value:
            condition |= Q(code__icontains=code)
        return condition

    def filter_status(self, queryset, name, value):
        if value == self.WAITING:
            return queryset.filter(status__in=Appeal.WAITING_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def filter_received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=start_of(value))

    def filter_received_to(self, queryset, name, value):
        return queryset.filter(received_at__lt=start_of(value + datetime.timedelta(days=1)))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "yes" else queryset
