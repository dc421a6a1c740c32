"""Helpers of the audit tests."""

from volunteers.models import BUILTIN_KINDS, EventKind


def kind(code="policy"):
    """A built-in event kind (a transactional test's flush may have removed the migration's rows)."""
    label, special = BUILTIN_KINDS[code]
    found, _created = EventKind.objects.get_or_create(
        community=None, code=code, defaults={"name": str(label), "is_special_service": special}
    )
    return found


def latest(obj):
    """The newest history record of `obj`."""
    return obj.history.order_by("-history_date", "-history_id").first()


def changed(record):
    """The names of the fields that changed in this history record."""
    return set(record.diff_against(record.prev_record).changed_fields)
