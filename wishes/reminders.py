"""Reminders to whoever holds a claimed wish whose delivery deadline (the community's
`wish_delivery_days` after the claim) falls within the next day, and to residents to
rate a fulfilled wish once more (hourly, notices)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.models import Notification
from notices.services import notify
from portal.periods import DaysBefore
from portal.resident_requests import due_for_rating

from .models import MicroWish

DAY = datetime.timedelta(days=1)
CHUNK = 500


def remind_deadlines(now=None) -> int:
    """An inbox message (and an SMS to a member's phone) once per claim, when its deadline
    is less than a day away and not passed yet; a unit's liaisons get the inbox message."""
    now = now or timezone.now()
    due = MicroWish.objects.filter(
        status=MicroWish.Status.CLAIMED,
        claimed_at__lt=DaysBefore(now + DAY, "community__wish_delivery_days"),
        claimed_at__gte=DaysBefore(now, "community__wish_delivery_days"),
    ).select_related("community", "claimed_by_member__user", "claimed_by_unit")
    queued = 0
    for wish in due.iterator(chunk_size=500):
        deadline = wish.claimed_at + datetime.timedelta(days=wish.community.wish_delivery_days)
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Please deliver the micro-wish “%(title)s” you claimed by %(when)s, or give it back so that someone else can.") % {
                "title": wish.title[:20], "when": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
            }
        common = {
            "event": "wish.deadline", "key": f"wish:{wish.pk}:deadline:{wish.claimed_at:%Y%m%d%H%M%S%f}",
            "template": "wish_deadline", "text": text, "community_id": wish.community_id, "link": reverse("wishes:mine"),
        }
        member = wish.claimed_by_member
        users = [member.user] if member is not None and member.user_id else []
        if wish.claimed_by_unit_id:
            users = list(wish.claimed_by_unit.liaison_users.filter(is_active=True))
        for user in users:
            queued += notify(channel=Notification.Channel.INBOX, user=user, **common) is not None
        if member is not None:
            notify(channel=Notification.Channel.SMS, to=member.phone, params={"title": wish.title[:20]}, **common)
    return queued


def ask_for_ratings(now=None) -> int:
    """An SMS, once, 7 days after a wish came true, asking the resident to rate it, if
    they agreed to messages and have not rated it (portal.resident_requests.due_for_rating).
    The number asked."""
    now = now or timezone.now()
    due = due_for_rating(MicroWish.objects.all(), MicroWish, now).only("pk", "code", "wisher_phone", "community_id", "title")
    asked = []
    for wish in due.iterator(chunk_size=CHUNK):
        link = f"{settings.PORTAL_BASE_URL}{reverse('wishes:track')}?code={wish.code}"
        with translation.override(settings.LANGUAGE_CODE):
            text = _("How did it go with your micro-wish “%(title)s”? Please rate it, once: %(link)s") % {
                "title": wish.title[:20], "link": link,
            }
        notify(
            event="wish.rating", key=f"wish:{wish.pk}:rating", channel=Notification.Channel.SMS, to=wish.wisher_phone,
            community_id=wish.community_id, template="wish_rating", text=text, params={"title": wish.title[:20]},
            link=link, about=f"wish:{wish.pk}",
        )
        asked.append(wish.pk)
    for start in range(0, len(asked), CHUNK):
        MicroWish.objects.filter(pk__in=asked[start:start + CHUNK]).update(rating_asked_at=now)
    return len(asked)
