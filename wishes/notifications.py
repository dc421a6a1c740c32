"""What a resident (and the member who helped) are told as a wish moves on: SMS to the
wisher's phone, an inbox message to the member's account. Written in the step's
transaction (notices.services.notify); texts in the portal's language (zh-hans), never
naming anyone but the resident's own wish."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notices.models import Notification
from notices.services import notify


def _track_link(wish) -> str:
    return f"{settings.PORTAL_BASE_URL}{reverse('wishes:track')}?code={wish.code}"


def _text(wish, step: str) -> str:
    """The SMS of `step`, in the portal's language."""
    params = {"title": wish.title[:20], "code": wish.code, "link": _track_link(wish)}
    with translation.override(settings.LANGUAGE_CODE):
        if step == "published":
            return _("Your micro-wish “%(title)s” (code %(code)s) is published; party members can now claim it. Follow it: %(link)s") % params
        if step == "rejected":
            return _("Your micro-wish “%(title)s” could not be accepted: %(reason)s. The community office can tell you more.") % {
                **params, "reason": wish.reject_reason[:60]}
        if step == "claimed":
            holder = _("a co-building unit") if wish.claimed_by_unit_id else _("a party member")
            return _("Good news: your micro-wish “%(title)s” was claimed by %(holder)s, who will contact you. Follow it: %(link)s") % {
                **params, "holder": holder}
        return _("Your micro-wish “%(title)s” was delivered. Please confirm that it came true, and rate it: %(link)s") % params


STEP_TIME = {"published": "published_at", "rejected": "rejected_at", "claimed": "claimed_at", "delivered": "delivered_at"}


def tell_resident(wish, step: str) -> None:
    """An SMS to the wisher about `step`, once per occurrence (a second claim after a
    cancelled one is a new event: the key holds the step's time)."""
    if not wish.sms_consent or not wish.wisher_phone or wish.anonymised_at is not None:
        return
    moment = getattr(wish, STEP_TIME[step])
    notify(
        event=f"wish.{step}", key=f"wish:{wish.pk}:{step}:{moment:%Y%m%d%H%M%S%f}", channel=Notification.Channel.SMS,
        to=wish.wisher_phone, community_id=wish.community_id, template=f"wish_{step}", text=_text(wish, step),
        params={"title": wish.title[:20], "code": wish.code}, link=_track_link(wish), about=f"wish:{wish.pk}",
    )


def tell_holder_fulfilled(wish) -> None:
    """The member (or the unit's liaison accounts) who made the wish come true: an inbox message."""
    users = []
    if wish.claimed_by_member_id and wish.claimed_by_member.user_id:
        users = [wish.claimed_by_member.user]
    elif wish.claimed_by_unit_id:
        users = list(wish.claimed_by_unit.liaison_users.filter(is_active=True))
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The resident confirmed that the micro-wish “%(title)s” came true. Thank you!") % {"title": wish.title[:20]}
    for user in users:
        notify(
            event="wish.fulfilled", key=f"wish:{wish.pk}:fulfilled", channel=Notification.Channel.INBOX, user=user,
            community_id=wish.community_id, template="wish_fulfilled", text=text,
            link=reverse("wishes:detail", args=[wish.pk]) if user.can("wishes.view", wish) else reverse("wishes:mine"),
        )
