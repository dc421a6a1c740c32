import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grid.models import GridCell
from portal.filters import DayFilter, RatingFilter, ScopedFilterSet, communities_in_reach
from portal.forms import DATE_WIDGET

from .models import MicroWish, normalize_code


def _cells(request):
    return GridCell.objects.for_user(request.user)


def _start_of(day: datetime.date):
    """Midnight at the start of `day` in the portal's time zone (an index-friendly bound)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class WishFilter(ScopedFilterSet):
    OVERDUE_CHOICES = [("yes", _("Overdue only"))]

    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    status = django_filters.ChoiceFilter(choices=MicroWish.Status.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=MicroWish.Category.choices, label=_("Category"))
    grid_cell = django_filters.ModelChoiceFilter(queryset=_cells, label=_("Grid cell"))
    submitted_from = DayFilter(
        label=_("Submitted from"), method="filter_submitted_from", widget=DATE_WIDGET
    )
    submitted_to = DayFilter(label=_("Submitted to"), method="filter_submitted_to", widget=DATE_WIDGET)
    overdue = django_filters.ChoiceFilter(choices=OVERDUE_CHOICES, label=_("Overdue"), method="filter_overdue")
    rating = RatingFilter()
    search_fields = ("title", "code", "wisher_name", "wisher_phone")

    class Meta:
        model = MicroWish
        fields = ["q", "community", "status", "category", "grid_cell", "submitted_from", "submitted_to", "overdue", "rating"]

    def search_condition(self, value):
        condition = super().search_condition(value)
        code = normalize_code(value)  # "abcde-fghjk" as read out over the phone
        if code and code != value:
            condition |= Q(code__icontains=code)
        return condition

    def filter_submitted_from(self, queryset, name, value):
        return queryset.filter(submitted_at__gte=_start_of(value))

    def filter_submitted_to(self, queryset, name, value):
        return queryset.filter(submitted_at__lt=_start_of(value + datetime.timedelta(days=1)))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "yes" else queryset
