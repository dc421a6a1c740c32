"""Record histories (django-simple-history): writing them where signals do not
fire, and reading them for the "Change history" section of staff pages.

Writing
- `save()` and `delete()` write a history record through simple-history's
  signals; the user is the request's (HistoryRequestMiddleware) unless the
  service names one with `set_history_user(instance, by)`.
- `QuerySet.update()`, which the services use for conditional changes (claim a
  wish, confirm a report, answer an appeal, ...), sends no signal: after the
  update succeeds, reload the instance and call `record_change(instance, by=...)`
  inside the same transaction.

Reading
- `history_rows(obj)` / `related_history_rows(manager, label=...)`: the latest
  entries, each with who, when and what changed field by field, in a fixed
  number of queries whatever the number of entries.
"""

import dataclasses
import datetime

from django.db.models import ForeignKey, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.validators import mask_phone

HISTORY_LIMIT = 20
TEXT_LIMIT = 200  # longer values are shortened in the list

KIND_LABELS = {
    "+": pgettext_lazy("history", "Created"),
    "~": pgettext_lazy("history", "Changed"),
    "-": pgettext_lazy("history", "Deleted"),
}


# Writing ------------------------------------------------------------------------------


def set_history_user(instance, by) -> None:
    """Name the user of the next history record of `instance` (a service's `by`).
    Without one, the request's user is taken (none outside a request)."""
    if by is not None:
        instance._history_user = by
    else:
        instance.__dict__.pop("_history_user", None)


def record_change(instance, *, by=None) -> None:
    """Write the history record of a change made with `QuerySet.update()`.

    `instance` must hold the values now in the database (`refresh_from_db()`
    first). One INSERT; nothing is saved again."""
    record_changes([instance], by=by)


def record_changes(instances, *, by=None) -> None:
    instances = list(instances)
    if not instances:
        return
    for instance in instances:
        set_history_user(instance, by)
    type(instances[0]).history.bulk_history_create(instances, update=True, default_user=by)


def record_missing_histories(models, *, batch_size=500) -> int:
    """Give each record of `models` that has no history yet its first entry (rows
    written by bulk inserts, or before histories existed), so that its first change
    shows old and new values. Returns how many entries were written."""
    written = 0
    for model in models:
        missing = model.objects.exclude(pk__in=model.history.values("id")).order_by("pk")
        while batch := list(missing[:batch_size]):  # each batch leaves the "missing" set
            model.history.bulk_history_create(batch, batch_size=batch_size)
            written += len(batch)
    return written


# Reading ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclasses.dataclass(frozen=True)
class HistoryRow:
    at: datetime.datetime
    user: object  # the account, or None (a resident, or a command)
    kind: str  # "+", "~" or "-"
    kind_label: str
    label: str  # which record, in a history of several (e.g. the member of a participation)
    changes: list
    first: bool  # no earlier record to compare with


def history_rows(obj, limit=HISTORY_LIMIT) -> list[HistoryRow]:
    """The latest entries of one record's history, newest first."""
    return _rows(obj.history.all(), limit)


def related_history_rows(manager, *, label=None, limit=HISTORY_LIMIT) -> list[HistoryRow]:
    """The latest entries of the histories of a related set, e.g.
    `event.participations` (deleted ones included); `label` names the foreign
    key whose object labels each entry (e.g. "member")."""
    model = manager.model
    lookup = {manager.field.attname: manager.instance.pk}
    return _rows(model.history.filter(**lookup), limit, label=label)


def _rows(records, limit, label=None) -> list[HistoryRow]:
    history_model = records.model
    id_name = history_model.instance_type._meta.pk.attname
    earlier = (
        history_model.objects.filter(**{id_name: OuterRef(id_name)})
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    related = ["history_user"] + ([label] if label else [])
    page = list(
        records.select_related(*related)
        .annotate(previous_id=Subquery(earlier))
        .order_by("-history_date", "-history_id")[:limit]
    )
    previous = history_model.objects.in_bulk([record.previous_id for record in page if record.previous_id])
    deltas = {
        record.pk: record.diff_against(previous[record.previous_id]).changes
        for record in page
        if record.previous_id in previous and record.history_type != "-"
    }
    objects = _related_objects(history_model, deltas.values())
    rows = []
    for record in page:
        changes = [_change(history_model, change, objects) for change in deltas.get(record.pk, ())]
        rows.append(
            HistoryRow(
                at=record.history_date,
                user=record.history_user,
                kind=record.history_type,
                kind_label=KIND_LABELS.get(record.history_type, record.history_type),
                label=str(getattr(record, label) or "") if label else "",
                changes=changes,
                first=record.previous_id is None,
            )
        )
    return rows


def _related_objects(history_model, deltas):
    """The objects that changed foreign keys point to, one query per related model."""
    wanted = {}
    for changes in deltas:
        for change in changes:
            field = history_model._meta.get_field(change.field)
            if isinstance(field, ForeignKey):
                wanted.setdefault(field.related_model, set()).update(v for v in (change.old, change.new) if v is not None)
    return {model: model._base_manager.in_bulk(pks) for model, pks in wanted.items()}


def _change(history_model, change, objects) -> Change:
    field = history_model._meta.get_field(change.field)
    return Change(
        field=str(field.verbose_name),
        old=_display(field, change.old, objects),
        new=_display(field, change.new, objects),
    )


def _display(field, value, objects) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, ForeignKey):
        found = objects.get(field.related_model, {}).get(value)
        return str(found) if found is not None else _("#%(pk)s (deleted)") % {"pk": value}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "Y-m-d")
    if "phone" in field.name:
        return mask_phone(value)  # as lists show it: the page above has the whole number
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "—"
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
