"""Writing the audit records. Each function is one INSERT; nothing here reads
or changes the audited records."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address

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


def record_personal_data_view(request, obj, fields):
    """A page showed `request.user` the full values of `fields` of `obj` (a
    resident's or member's whole phone number, their address): one entry.

    Nothing is recorded when all those fields are empty, or when the record's
    personal data were already removed (`anonymised_at`)."""
    shown = [name for name in fields if getattr(obj, name, "")]
    if not shown or getattr(obj, "anonymised_at", None):
        return None
    user = request.user if request.user.is_authenticated else None
    labels = ", ".join(str(obj._meta.get_field(name).verbose_name) for name in shown)
    return SecurityEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user else "",
        event_type=SecurityEvent.Type.PERSONAL_DATA_VIEWED,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        description=f"{obj}: {labels}"[:300],
        result=SecurityEvent.Result.SUCCESS,
        client_address=client_address(request),
    )
