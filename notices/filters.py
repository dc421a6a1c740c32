"""The outbox page's filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import ScopedFilterSet, communities_in_reach

from .models import Notification


class NotificationFilter(ScopedFilterSet):
    """By status and channel (and community, for an area admin); the search looks at the
    event and the text, not at phone numbers."""

    status = django_filters.ChoiceFilter(choices=Notification.Status.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Notification.Channel.choices, label=_("channel"))
    community = django_filters.ModelChoiceFilter(queryset=communities_in_reach, label=_("Community"))
    search_fields = ("event", "text")

    class Meta:
        model = Notification
        fields = ["q", "status", "channel", "community"]
