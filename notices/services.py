"""Writing notifications (`notify`, in the caller's transaction) and sending them
(`send_due`, the worker's step; notices.tasks runs it after each commit and every minute).

Reliability:
- Written with the change: a state change calls `notify` inside its transaction, so a
  notification exists exactly when the change does.
- Once per (event, recipient, channel): the unique key makes a repeated notify a no-op.
- Nothing lost: a failed send is retried with growing pauses (1, 2, 4 ... minutes, at
  most 6 hours) up to NOTICES_MAX_ATTEMPTS; a worker that dies mid-send leaves a lease
  that lapses, and the row is taken again.
- Nothing sent twice: a row is taken by one worker at a time (SELECT ... FOR UPDATE
  SKIP LOCKED, then a lease); after a crash between the provider's answer and the
  "sent" mark the same id goes out again, which the webhook gateway recognises.

Respect: no SMS to a number that opted out; none between 21:00 and 08:00 (local) unless
urgent (held until 08:00); at most NOTICES_SMS_DAILY_LIMIT a day per number (the rest
wait for the next morning) - under Tencent's 10 and Aliyun's 50 per template.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.outage import UNREACHABLE
from portal.privacy import PSEUDONYM_PREFIX

from .backends import SendError, backend_for
from .models import Notification, OptOut

log = logging.getLogger("notices")
S = Notification.Status
C = Notification.Channel
LEASE = datetime.timedelta(minutes=5)
DUE = (S.QUEUED, S.RETRY)


def notify(*, event: str, key: str, channel: str, template: str, text: str, to: str = "", user=None,
           community_id=None, params=None, subject: str = "", link: str = "", urgent: bool = False, about: str = ""):
    """Queue one notification (call it inside the change's transaction). Returns the row,
    or None if this event was already notified to this recipient on this channel."""
    if channel == C.INBOX:
        to = f"user:{user.pk}"
    if not to:
        return None
    row = Notification(
        event=event, key=key, about=about, channel=channel, to=to, user=user, community_id=community_id, template=template,
        params=params or {}, subject=subject, text=text, link=link, urgent=urgent,
    )
    if channel == C.INBOX:  # delivered by being written
        row.status, row.sent_at = S.SENT, row.created_at
    try:
        with transaction.atomic():  # a savepoint: the duplicate is refused alone
            row.save()
    except IntegrityError:
        return None
    if channel == C.INBOX:
        transaction.on_commit(lambda: forget_unread(user.pk))
    else:
        transaction.on_commit(_wake_worker)
    return row


def _wake_worker():
    from .tasks import send_notifications  # tasks import this module

    send_notifications.delay()


# The worker ------------------------------------------------------------------------------


def send_due(*, now=None, limit: int = 200) -> dict:
    """Send what is due; returns {"sent", "retry", "failed", "held", "skipped"} counts."""
    now = now or timezone.now()
    counts = dict.fromkeys(("sent", "retry", "failed", "held", "skipped"), 0)
    rows = _take(now, limit)
    batch = _Batch(rows, now)
    for row in rows:
        counts[_send_one(row, now, batch)] += 1
    return counts


def _take(now, limit) -> list:
    """Lease up to `limit` due rows to this worker: queued or to retry and due, or being
    sent by a worker whose lease lapsed. SKIP LOCKED: two workers take different rows."""
    due = Q(status__in=DUE) | Q(status=S.SENDING, lease_until__lt=now)
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(due, next_attempt_at__lte=now)
            .exclude(channel=C.INBOX)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)[:limit]
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(status=S.SENDING, lease_until=now + LEASE)
    return rows


class _Batch:
    """What a batch's SMS need to know, read once for all of them: the numbers that opted
    out and each number's messages sent today (two queries instead of two per message)."""

    def __init__(self, rows, now):
        phones = {row.to for row in rows if row.channel == C.SMS}
        local = timezone.localtime(now)
        self.day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
        self.opted_out = set(OptOut.objects.filter(phone__in=phones).values_list("phone", flat=True)) if phones else set()
        self.sent_today = dict(
            Notification.objects.filter(channel=C.SMS, to__in=phones, status=S.SENT, sent_at__gte=self.day_start)
            .order_by()
            .values_list("to")
            .annotate(n=Count("pk"))
        ) if phones else {}


def _send_one(row, now, batch) -> str:
    if row.channel == C.SMS:
        if row.to in batch.opted_out:
            return _finish(row, S.SKIPPED, error="opted out")
        later = _held_until(row, now, batch)
        if later is not None:
            Notification.objects.filter(pk=row.pk).update(status=S.QUEUED, next_attempt_at=later, lease_until=None)
            return "held"
        with translation.override(settings.LANGUAGE_CODE):
            # Every SMS says how to stop them (the link names the message, not the number).
            row.text = f"{row.text} " + _("No more messages: %(link)s") % {"link": stop_link(row)}
    try:
        reference = backend_for(row.channel).send(row)
    except SendError as error:
        attempts = row.attempts + 1
        if error.permanent or attempts >= settings.NOTICES_MAX_ATTEMPTS:
            return _finish(row, S.FAILED, error=str(error), attempts=attempts)
        pause = min(datetime.timedelta(minutes=2 ** (attempts - 1)), datetime.timedelta(hours=6))
        Notification.objects.filter(pk=row.pk).update(
            status=S.RETRY, attempts=attempts, next_attempt_at=now + pause, lease_until=None, last_error=str(error)[:300]
        )
        log.warning("notification %s: attempt %s failed: %s", row.pk, attempts, error)
        return "retry"
    if row.channel == C.SMS:
        batch.sent_today[row.to] = batch.sent_today.get(row.to, 0) + 1
    return _finish(row, S.SENT, reference=reference, attempts=row.attempts + 1, sent_at=now)


def _finish(row, status, *, error="", reference="", attempts=None, sent_at=None) -> str:
    Notification.objects.filter(pk=row.pk).update(
        status=status, lease_until=None, last_error=error[:300], provider_ref=reference[:100],
        attempts=row.attempts if attempts is None else attempts, sent_at=sent_at,
    )
    return {S.SENT: "sent", S.FAILED: "failed", S.SKIPPED: "skipped"}[status]


def _held_until(row, now, batch):
    """When an SMS may go if not now: after quiet hours (unless urgent), or the next
    morning once the number had its day's messages. None: now. (Workers sending to one
    number at the same moment each count the day's messages as their batch began, and
    their own since: at worst the limit once per worker, still under Aliyun's 50.)"""
    local = timezone.localtime(now)
    start, end = settings.NOTICES_QUIET_HOURS
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if not row.urgent and (local.hour >= start or local.hour < end):
        return morning if local.hour < end else morning + datetime.timedelta(days=1)
    if batch.sent_today.get(row.to, 0) >= settings.NOTICES_SMS_DAILY_LIMIT:
        return morning + datetime.timedelta(days=1)
    return None


def resend(notification, *, now=None) -> bool:
    """Staff send a failed or skipped notification again (the opt-out still holds)."""
    now = now or timezone.now()
    return bool(
        Notification.objects.filter(pk=notification.pk, status__in=[S.FAILED, S.SKIPPED, S.RETRY])
        .exclude(channel=C.INBOX)
        .update(status=S.QUEUED, attempts=0, next_attempt_at=now, last_error="")
    )


# Opting out ------------------------------------------------------------------------------

STOP_SALT = "notices.stop"


def stop_token_of(notification) -> str:
    return signing.dumps(notification.pk, salt=STOP_SALT, compress=True)


def stop_link(notification) -> str:
    """The opt-out link of an SMS: it names the message (signed), not the number."""
    return settings.PORTAL_BASE_URL + reverse("notices:stop", args=[stop_token_of(notification)])


def from_stop_token(token):
    try:
        pk = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    return Notification.objects.filter(pk=pk, channel=C.SMS).first() if isinstance(pk, int) else None


def opt_out(phone: str) -> None:
    """No more SMS to `phone`; those still waiting are not sent."""
    with transaction.atomic():
        OptOut.objects.get_or_create(phone=phone)
        Notification.objects.filter(channel=C.SMS, to=phone, status__in=DUE).update(status=S.SKIPPED, last_error="opted out")


def forget_recipients(about: list[str]) -> int:
    """The residents of these records had their data removed (portal.privacy): their
    messages keep no phone or address (and those still waiting are not sent)."""
    rows = Notification.objects.filter(about__in=about).exclude(channel=C.INBOX).exclude(to__startswith=PSEUDONYM_PREFIX)
    rows.filter(status__in=DUE).update(status=S.SKIPPED, last_error="personal data removed")
    # A pseudonym as portal.privacy writes them (never a number; shown as "—"), unique per row.
    return rows.update(to=Concat(Value(PSEUDONYM_PREFIX), Cast("pk", CharField())), params={})


def prune(*, now=None) -> int:
    """Messages done with (sent, failed, not sent) more than NOTICES_KEEP_DAYS ago are
    deleted, phones and all; inbox messages too once read. Returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.NOTICES_KEEP_DAYS)
    done = Q(status__in=[S.SENT, S.FAILED, S.SKIPPED], created_at__lt=cutoff) & (~Q(channel=C.INBOX) | Q(read_at__isnull=False))
    deleted, _by_model = Notification.objects.filter(done).delete()
    return deleted


# The inbox -------------------------------------------------------------------------------


def _unread_key(user_pk) -> str:
    return f"notices:unread:{user_pk}"


def unread_count(user) -> int:
    """The user's unread inbox messages, from the cache while nothing changed (the badge
    is on every page; a query per page for it would be one more everywhere)."""
    key = _unread_key(user.pk)
    try:
        value = cache.get(key)
    except UNREACHABLE:  # the cache down: counted (portal/outage.py)
        value = None
    if value is None:
        value = Notification.objects.filter(user=user, channel=C.INBOX, read_at__isnull=True).count()
        try:
            cache.set(key, value, 3600)
        except UNREACHABLE:
            pass
    return value


def forget_unread(user_pk) -> None:
    try:
        cache.delete(_unread_key(user_pk))
    except UNREACHABLE:  # the count then waits for its hour
        log.warning("unread count of user %s not renewed: cache unreachable", user_pk)


def mark_read(user, pks=None, *, now=None) -> int:
    rows = Notification.objects.filter(user=user, channel=C.INBOX, read_at__isnull=True)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    done = rows.update(read_at=now or timezone.now())
    if done:
        forget_unread(user.pk)
    return done
