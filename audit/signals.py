"""What the security log hears about without a view calling it: logins,
logouts and failed logins (Django's auth signals), lock-outs and unlocks
(django-axes), and changes to accounts (pre_save/post_save of User).

The exports, imports, personal-data views and commands call
`audit.services.record_event` themselves.

Who changed an account: the signal has no request, so the one of the current
request is read from django-simple-history's HistoryRequestMiddleware (the
same one the record histories use). When a user's password hash changes:
- the request's user is that same user (the password change page): password_changed;
- anyone else (an admin in Django admin) or no request at all (a command,
  the shell): password_reset, with that admin as the actor (None for a command).
Rehashing on login (Django upgrading the hasher: `check_password` saves only
the password field, and `_password` is already cleared) is not a change and is
not recorded.

Other code therefore does not record user_created, user_disabled/enabled,
role_changed, community_changed, password_changed or password_reset itself:
saving the User is enough (a second entry would be a duplicate).
"""

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from portal.models import User

from .models import SecurityEvent
from .services import record_event

Type = SecurityEvent.Type
FAILURE = SecurityEvent.Result.FAILURE

# The fields of an account whose change is a security event.
WATCHED = ("role", "community_id", "is_active", "password")


def current_request():
    """The request being answered in this thread, if any (set by HistoryRequestMiddleware)."""
    return getattr(HistoricalRecords.context, "request", None)


# Logins and logouts ---------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_login_succeeded")
def login_succeeded(sender, request, user, **kwargs):
    record_event(Type.LOGIN_SUCCEEDED, request=request, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    """The username tried is kept; the password never reaches here (Django
    replaces it with stars in `credentials`, and it is not read anyway)."""
    username = str(credentials.get("username", ""))[:150]
    description = _("Username tried: %(username)s") % {"username": username}
    if _refused_while_locked(request):
        description += " " + _("(refused: locked out)")
    record_event(Type.LOGIN_FAILED, request=request, description=description, result=FAILURE)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(Type.LOGOUT, request=request, actor=user, obj=user)


# Lock-outs (django-axes) ----------------------------------------------------------------------


def _refused_while_locked(request) -> bool:
    """axes refused this try because the account or address was already locked: it
    did not count it (`axes_failures_since_start` stays None), unlike the failure
    that began the lock."""
    return (
        request is not None
        and getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", 0) is None
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    """Recorded when the lock begins. axes sends the signal again for every try
    made while locked (`axes_failures_since_start` is then None: that try was
    not counted); those tries are recorded as failed logins."""
    if _refused_while_locked(request):
        return
    description = _("Username %(username)s, address %(address)s: locked after repeated failed logins") % {
        "username": username or "—", "address": ip_address or "—",
    }
    record_event(Type.LOCKED_OUT, request=request, description=description, result=FAILURE)


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="audit_unlocked")
def unlocked(sender, instance, **kwargs):
    """An access attempt removed before its cool-off ended: an admin lifted the
    lock (Django admin, or `axes_reset*` commands). Attempts that axes itself
    removes because they expired are not events."""
    cool_off = get_cool_off()
    if cool_off is not None and instance.attempt_time < timezone.now() - cool_off:
        return
    limit = get_failure_limit(None, None)
    what = _("lock lifted") if instance.failures_since_start >= limit else _("failed logins cleared")
    description = _("Username %(username)s, address %(address)s: %(what)s (%(count)d failed logins)") % {
        "username": instance.username or "—", "address": instance.ip_address or "—", "what": what,
        "count": instance.failures_since_start,
    }
    record_event(Type.UNLOCKED, request=current_request(), description=description)


# Accounts -------------------------------------------------------------------------------------


def _community_name(pk):
    from portal.models import Community

    if pk is None:
        return "—"
    return str(Community.objects.filter(pk=pk).values_list("name", flat=True).first() or pk)


def _current_community(user):
    """The community the account is saved with (usually already loaded: no query)."""
    return str(user.community) if user.community_id else "—"


def _role_label(value):
    return str(User.Role(value).label) if value in User.Role.values else value


@receiver(pre_save, sender=User, dispatch_uid="audit_user_changes")
def note_user_changes(sender, instance, raw=False, update_fields=None, **kwargs):
    """Compare the account with its saved row; post_save records what changed
    (so nothing is recorded when the save fails)."""
    instance._audit_changes = []
    if raw or instance._state.adding or instance.pk is None:
        return
    named = WATCHED if update_fields is None else update_fields
    fields = {"community_id" if name == "community" else name for name in named} & set(WATCHED)
    if not fields:
        return  # e.g. the last-login time: no lookup needed
    if fields == {"password"} and instance._password is None:
        return  # a rehash on login (check_password saves only the new hash of the same password)
    old = User.objects.filter(pk=instance.pk).values(*WATCHED).first()
    if old is None:
        return
    changes = []
    if "role" in fields and old["role"] != instance.role:
        changes.append((Type.ROLE_CHANGED, f"{_role_label(old['role'])} → {_role_label(instance.role)}"))
    if "community_id" in fields and old["community_id"] != instance.community_id:
        changes.append(
            (Type.COMMUNITY_CHANGED, f"{_community_name(old['community_id'])} → {_current_community(instance)}")
        )
    if "is_active" in fields and old["is_active"] != instance.is_active:
        changes.append((Type.USER_ENABLED if instance.is_active else Type.USER_DISABLED, ""))
    if "password" in fields and old["password"] != instance.password:
        changes.append(("password", ""))
    instance._audit_changes = changes


@receiver(post_save, sender=User, dispatch_uid="audit_user_saved")
def record_user_changes(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request = current_request()
    user = getattr(request, "user", None)
    by = user if user is not None and user.is_authenticated else None
    name = instance.get_username()
    if created:
        description = _("%(username)s, role %(role)s, community %(community)s") % {
            "username": name, "role": _role_label(instance.role), "community": _current_community(instance),
        }
        record_event(Type.USER_CREATED, request=request, actor=by, obj=instance, description=description)
        return
    for event_type, change in getattr(instance, "_audit_changes", []):
        if event_type == "password":
            event_type = Type.PASSWORD_CHANGED if by is not None and by.pk == instance.pk else Type.PASSWORD_RESET
        description = f"{name}: {change}" if change else name
        record_event(event_type, request=request, actor=by, obj=instance, description=description)
    instance._audit_changes = []
