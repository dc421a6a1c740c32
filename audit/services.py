"""Writing the security log. Each function is one INSERT; nothing here reads
or changes the audited records."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils.translation import gettext as _

from portal.middleware import client_address as _proxied_address

from .models import SecurityEvent


def client_address(request):
    """The address the request came from (REMOTE_ADDR, or the client behind a
    trusted proxy: portal.middleware.client_address), or None if not an IP address."""
    address = _proxied_address(request) or ""
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def record_event(event_type, *, request=None, actor=None, obj=None, description="", result=SecurityEvent.Result.SUCCESS):
    """Append one entry to the security log and return it.

    `actor` defaults to the signed-in user of `request`; the client address is
    taken from `request` (None for commands, which pass no request). `obj` is
    the record concerned, if any. The description is cut to 300 characters.
    One INSERT (the first time a kind of record is named, its content type is
    looked up too; Django caches it).
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    return SecurityEvent.objects.create(
        event_type=event_type,
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        object_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        description=str(description)[:300],
        result=result,
        client_address=client_address(request) if request is not None else None,
    )


def record_personal_data_view(request, obj, fields):
    """A page showed `request.user` the full values of `fields` of `obj` (a
    resident's or member's whole phone number, their address): one entry.

    Nothing is recorded when all those fields are empty, or when the record's
    personal data were already removed (`anonymised_at`)."""
    shown = [name for name in fields if getattr(obj, name, "")]
    if not shown or getattr(obj, "anonymised_at", None):
        return None
    labels = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in shown)
    return record_event(
        SecurityEvent.Type.PERSONAL_DATA_VIEWED, request=request, obj=obj, description=f"{obj}: {labels}"
    )


def record_export(request, what, *, scope=None, obj=None, rows=None):
    """A page handed out a file: one entry naming it (`what`: "Dashboard figures
    (Excel)"), its record `obj` or else the communities of `scope` (a
    portal.scope.ReportScope), the period of `scope`, and the number of rows."""
    parts = [str(what)]
    if obj is not None:
        parts.append(str(obj))
    elif scope is not None:
        parts.append(scope.label)
    if scope is not None:
        parts.append(f"{scope.start:%Y-%m-%d} – {scope.end:%Y-%m-%d}")
    if rows is not None:
        parts.append(_("%(count)d rows") % {"count": rows})
    return record_event(SecurityEvent.Type.DATA_EXPORTED, request=request, obj=obj, description=" · ".join(parts))


def record_import(request, kind, community, upload, result):
    """An Excel import ran (`kind`: what was imported, "In-service party members"; `result`: a
    grid.importers.ImportResult): one entry with its counts; a failure when
    problems stopped it (nothing is then imported)."""
    description = _(
        "%(kind)s into %(community)s from %(file)s: %(created)d added, %(updated)d updated, "
        "%(unchanged)d unchanged, %(errors)d problems"
    ) % {
        "kind": kind, "community": community, "file": getattr(upload, "name", "") or "—", "created": result.created,
        "updated": result.updated, "unchanged": result.unchanged, "errors": len(result.errors),
    }
    return record_event(
        SecurityEvent.Type.BULK_IMPORTED,
        request=request,
        description=description,
        result=SecurityEvent.Result.SUCCESS if result.ok else SecurityEvent.Result.FAILURE,
    )
