"""Notifications: an outbox of messages, written in the transaction of the change they
tell about and sent afterwards by the worker (notices.services.send_due).

One row per (event, recipient, channel): `key` names the event (e.g. "wish:12:claimed"),
`to` the recipient on that channel (a phone, an e-mail address, or "user:<id>" for the
in-site inbox); a second notify() of the same event finds the row and adds nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.validators import mask_phone


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")
        INBOX = "inbox", _("Inbox")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRY = "retry", _("To retry")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    community = models.ForeignKey(
        "portal.Community", verbose_name=_("community"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.CharField(_("event"), max_length=40)
    key = models.CharField(_("event key"), max_length=80)
    # The record it tells about ("wish:12"): its resident's data removed, the phone goes here too.
    about = models.CharField(_("about"), max_length=40, blank=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    to = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    template = models.CharField(_("template"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=120, blank=True)
    text = models.TextField(_("text"), max_length=1000)
    link = models.CharField(_("link"), max_length=300, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    provider_ref = models.CharField(_("provider's reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "channel", "to"], name="notification_once_per_recipient"),
            models.CheckConstraint(condition=Q(status__in=["queued", "sending", "sent", "retry", "failed", "skipped"]), name="notification_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=["sms", "email", "inbox"]), name="notification_channel_valid"),
            models.CheckConstraint(condition=~Q(channel="inbox") | Q(user__isnull=False), name="inbox_notification_has_user"),
        ]
        indexes = [
            # The worker's question: what is due now (queued or to retry, or a lapsed lease).
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["queued", "retry", "sending"]), name="notification_due"),
            models.Index(fields=["community", "created_at"]),
            models.Index(fields=["user", "channel", "read_at"]),
            # Per-phone daily limits: a phone's messages of a day.
            models.Index(fields=["to", "sent_at"]),
        ]

    def __str__(self):
        return f"{self.event} → {self.masked_to}"

    @property
    def masked_to(self) -> str:
        """The recipient as staff see it: a phone masked as everywhere (138****1234; a removed
        one "—"), an address's domain."""
        if self.channel == self.Channel.SMS:
            return mask_phone(self.to)
        if self.channel == self.Channel.EMAIL:
            return "***@" + self.to.partition("@")[2]
        return str(self.user) if self.user_id else self.to


class OptOut(models.Model):
    """A phone number that asked for no more SMS (by the link in a message, or by staff)."""

    phone = models.CharField(_("phone"), max_length=11, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self):
        return mask_phone(self.phone)
