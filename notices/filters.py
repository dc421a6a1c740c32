"""The outbox page's filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import ScopedFilterSet
from portal.models import Community

from .models import Notification


def _communities(request):
    return Community.objects.for_user(request.user)


class NotificationFilter(ScopedFilterSet):
    """By status and channel (and community, for an area admin); the search looks at the
    event and the text, not at phone numbers."""

    status = django_filters.ChoiceFilter(choices=Notification.Status.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Notification.Channel.choices, label=_("channel"))
    community = django_filters.ModelChoiceFilter(queryset=_communities, label=_("Community"))
    search_fields = ("event", "text")

    class Meta:
        model = Notification
        fields = ["q", "status", "channel", "community"]
