"""Reminders of tomorrow's events to the members signed up for them (hourly, notices)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.models import Notification
from notices.services import notify

from .models import Participation, VolunteerEvent

AHEAD = datetime.timedelta(hours=24)


def remind_events(now=None) -> int:
    """An SMS (and an inbox message, for a member with an account) to each member signed up
    for a planned event starting within 24 hours; once per event and member, whenever the
    hourly run first finds them (a sign-up an hour before the start is reminded too)."""
    now = now or timezone.now()
    soon = Participation.objects.filter(
        event__status=VolunteerEvent.Status.PLANNED, event__starts_at__gt=now, event__starts_at__lte=now + AHEAD,
        signed_up_at__isnull=False, withdrawn_at__isnull=True, member__is_active=True,
    ).select_related("event", "member__user")
    queued = 0
    for participation in soon.iterator(chunk_size=500):
        event, member = participation.event, participation.member
        link = settings.PORTAL_BASE_URL + reverse("volunteers:event_public", args=[event.pk])
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Reminder: “%(title)s” starts %(when)s at %(place)s. Check in there with the code shown. %(link)s") % {
                "title": event.title[:20], "when": timezone.localtime(event.starts_at).strftime("%m-%d %H:%M"),
                "place": event.place[:20], "link": link,
            }
        common = {
            "event": "event.reminder", "key": f"event:{event.pk}:reminder:{member.pk}", "template": "event_reminder",
            "text": text, "community_id": event.community_id, "link": link,
        }
        queued += notify(channel=Notification.Channel.SMS, to=member.phone, params={"title": event.title[:20]}, **common) is not None
        if member.user_id and member.user.is_active:
            notify(channel=Notification.Channel.INBOX, user=member.user, **common)
    return queued
