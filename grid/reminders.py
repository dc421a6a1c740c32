"""Asking residents once more to rate an answered appeal (接诉即办 satisfaction): an SMS
with the tracking link, once, 7 days after the answer, to those who agreed to messages
and have not rated it (hourly with the other reminders; quiet hours hold it till 08:00)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.models import Notification
from notices.services import notify
from portal.resident_requests import due_for_rating

from .models import Appeal

CHUNK = 500


def ask_for_ratings(now=None) -> int:
    """Queue the SMS for every appeal due (portal.resident_requests.due_for_rating) and
    note when it was asked, so it is asked once. The number asked."""
    now = now or timezone.now()
    due = due_for_rating(Appeal.objects.all(), Appeal, now).only("pk", "code", "resident_phone", "community_id")
    asked = []
    for appeal in due.iterator(chunk_size=CHUNK):
        link = f"{settings.PORTAL_BASE_URL}{reverse('grid:appeal_track')}?code={appeal.code}"
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Was your appeal (code %(code)s) solved to your satisfaction? Please rate the answer, once: %(link)s") % {
                "code": appeal.code, "link": link,
            }
        notify(
            event="appeal.rating", key=f"appeal:{appeal.pk}:rating", channel=Notification.Channel.SMS,
            to=appeal.resident_phone, community_id=appeal.community_id, template="appeal_rating", text=text,
            params={"code": appeal.code}, link=link, about=f"appeal:{appeal.pk}",
        )
        asked.append(appeal.pk)
    for start in range(0, len(asked), CHUNK):
        Appeal.objects.filter(pk__in=asked[start:start + CHUNK]).update(rating_asked_at=now)
    return len(asked)
