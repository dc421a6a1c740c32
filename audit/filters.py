"""The filters of the security-log page (and of its Excel export)."""

import datetime

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import DayFilter, ScopedFilterSet, start_of
from portal.forms import DATE_WIDGET

from .models import SecurityEvent


class SecurityEventFilter(ScopedFilterSet):
    """Search by username, address, description or record id; filter by type,
    result and days (in the portal's time zone, as index-friendly bounds on `at`)."""

    event_type = django_filters.ChoiceFilter(choices=SecurityEvent.Type.choices, label=_("event type"))
    result = django_filters.ChoiceFilter(choices=SecurityEvent.Result.choices, label=_("result"))
    date_from = DayFilter(label=_("From"), method="filter_date_from", widget=DATE_WIDGET)
    date_to = DayFilter(label=_("To"), method="filter_date_to", widget=DATE_WIDGET)
    search_fields = ("actor_username", "client_address", "description", "object_id")

    class Meta:
        model = SecurityEvent
        fields = ["q", "event_type", "result", "date_from", "date_to"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(at__gte=start_of(value))

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(at__lt=start_of(value + datetime.timedelta(days=1)))
