"""The audit records: who viewed residents' personal data in full (and, later,
the security events). Record histories of the other apps are kept by
django-simple-history on each model."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One event worth auditing: who did what to which record, when, from where.

    Written once by `audit.services`, never changed (the admin is read-only)."""

    class Type(models.TextChoices):
        PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Personal data viewed")

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (actor, at) index serves
    )
    actor_username = models.CharField(
        _("username"), max_length=150, blank=True, help_text=_("Kept when the account is deleted later.")
    )
    event_type = models.CharField(_("event type"), max_length=30, choices=Type.choices)
    object_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the (object type, object id) index serves
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, default=Result.SUCCESS)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["event_type", "at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '—'}: {self.get_event_type_display()}"
