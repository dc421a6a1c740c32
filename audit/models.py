"""The audit records: the security-event log (安全审计): logins, lock-outs,
account changes, exports, imports, who viewed residents' personal data in
full, retention runs, backups. Record histories of the other apps are kept by
django-simple-history on each model; this log is separate from them.

The log is append-only. `SecurityEvent.save()` refuses to change a saved row,
`delete()` refuses, and the queryset's `update()` and `delete()` raise, so no
page, admin action or script of the portal can rewrite or remove an entry.
The one way out is `SecurityEvent.objects.prune(before=...)`, called only by
`manage.py prune_security_log` once entries are older than the retention.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_moment


class SecurityLogImmutable(Exception):
    """Someone tried to change or delete an entry of the security log."""


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise SecurityLogImmutable("Security events cannot be changed.")

    def delete(self):
        raise SecurityLogImmutable("Security events cannot be deleted; only prune_security_log removes old ones.")

    def prune(self, *, before):
        """Remove the entries older than `before`: the retention command's escape hatch.

        Bypasses the refusing `delete()` with `_raw_delete`, a single
        `DELETE ... WHERE at < before` without signals or cascades (nothing
        points at a security event). Returns the number of entries removed.
        """
        old = self.model._base_manager.filter(at__lt=before)
        old.query.clear_ordering(force=True)
        return old._raw_delete(old.db)


SecurityEventManager = models.Manager.from_queryset(SecurityEventQuerySet)


class SecurityEvent(models.Model):
    """One event worth auditing: who did what to which record, when, from where.

    Written once by `audit.services.record_event`, never changed."""

    class Type(models.TextChoices):
        LOGIN_SUCCEEDED = "login_succeeded", _("Login")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGOUT = "logout", _("Logout")
        LOCKED_OUT = "locked_out", _("Locked out")
        UNLOCKED = "unlocked", _("Lock-out lifted")
        USER_CREATED = "user_created", _("User created")
        USER_DISABLED = "user_disabled", _("User disabled")
        USER_ENABLED = "user_enabled", _("User enabled")
        ROLE_CHANGED = "role_changed", _("Role changed")
        COMMUNITY_CHANGED = "community_changed", _("Community changed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        DATA_EXPORTED = "data_exported", _("Data exported")
        BULK_IMPORTED = "bulk_imported", _("Bulk import")
        PERSONAL_DATA_VIEWED = "personal_data_viewed", _("Personal data viewed")
        PERSONAL_DATA_REMOVED = "personal_data_removed", _("Personal data removed")
        RETENTION_RUN = "retention_run", _("Retention run")
        BACKUP_CREATED = "backup_created", _("Backup created")
        BACKUP_RESTORED = "backup_restored", _("Backup restored")

    class Result(models.TextChoices):
        SUCCESS = "success", _("Success")
        FAILURE = "failure", _("Failure")

    at = models.DateTimeField(_("at"), default=timezone.now, validators=[validate_moment])
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

    objects = SecurityEventManager()

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

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SecurityLogImmutable("Security events cannot be changed.")
        kwargs["force_insert"] = True  # never an UPDATE, even with a pk set by hand
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SecurityLogImmutable("Security events cannot be deleted; only prune_security_log removes old ones.")
