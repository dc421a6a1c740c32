"""Removing residents' personal data (个人信息) from finished records.

Micro-wishes and appeals keep a resident's name, mobile number, address and
photos only as long as they are needed. Once a record is finished, its resident
data are anonymised: by `manage.py anonymise_closed` after the retention period
(`settings.PERSONAL_DATA_RETENTION_DAYS`, 365 days by default), or at once when
the resident asks (the "remove personal data" button on the staff pages).

What is kept is what the reports count: status, dates, category, grid cell,
title and description. The phone number becomes a pseudonym that is the same
for the same resident of the same community, so that "residents whose wishes
were fulfilled" (distinct community + phone) still counts each resident once.

The pieces here are shared by `wishes.services.wish_anonymise` and
`grid.services_work.appeal_anonymise`, which hold the rules for their models,
and by the residents' requests page (`office.resident_requests`), which also
anonymises solved special-group cases (`volunteers.services.cases_anonymise`)
and finished proxy errands (`council.services.proxies_anonymise`) and masks the
resident in the text of grid visit logs (`scrub_texts`).
"""

import dataclasses
import logging
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal.history import record_changes
from portal.tracking import mask_name

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 365
BATCH_SIZE = 200
PSEUDONYM_PREFIX = "x"  # never a valid mobile number (those are digits only)
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MOBILE_MASK = "1**********"
# A door: 3单元502室, 2号楼3单元301室, 5排3号 (courtyard houses), 3-2-501.
DOOR_RE = re.compile(
    r"(?:\d+\s*号楼\s*)?\d+\s*单元\s*\d+\s*室|\d+\s*排\s*\d+\s*号(?!楼)|(?<![\d-])\d{1,2}-\d{1,2}-\d{3,4}(?![\d-])"
)


def retention_days() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def phone_pseudonym(community_id, phone: str) -> str:
    """`x` + 10 hex digits (11 characters, like a mobile number): a keyed hash of
    the community and the phone, so equal inputs give equal pseudonyms and nobody
    without the secret key can get the number back. An existing pseudonym is kept."""
    phone = str(phone or "")
    if is_pseudonym(phone):
        return phone
    digest = salted_hmac("portal.privacy.phone_pseudonym", f"{community_id}:{phone}", algorithm="sha256").hexdigest()
    return PSEUDONYM_PREFIX + digest[:10]


def resident_key(phone: str) -> str:
    """Who a resident is in the figures ("residents whose wishes were fulfilled"):
    `k` + 16 hex digits of a keyed hash of the mobile number alone, so the same
    phone is one resident in every community of the area, and the key stays when
    the number itself is removed. 64 bits: no two of a city's residents share one
    in practice. Keyed with the SECRET_KEY like the pseudonyms; a record holding a
    pseudonym already (its number removed before keys existed) keeps that as its key."""
    phone = str(phone or "")
    if is_pseudonym(phone):
        return phone
    digest = salted_hmac("portal.privacy.resident_key", phone, algorithm="sha256").hexdigest()
    return "k" + digest[:16]


def is_pseudonym(phone: str) -> bool:
    return str(phone or "").startswith(PSEUDONYM_PREFIX)


def anonymised_name(name: str) -> str:
    """王秀英 -> 王**: what public pages already show (idempotent)."""
    return mask_name(name)


def scrub_text(text: str, names=()) -> str:
    """Free text written by or about the resident, without mobile numbers, doors
    (3单元502室 -> *单元***室) and the residents' full `names` (masked: 王**)."""
    if not text:
        return text
    text = MOBILE_RE.sub(MOBILE_MASK, text)
    text = DOOR_RE.sub(lambda match: re.sub(r"\d", "*", match.group()), text)
    for name in names:
        name = (name or "").strip()
        if len(name) > 1:
            text = text.replace(name, mask_name(name))
    return text


def delete_files_on_commit(files) -> None:
    """Delete stored files [(storage, name)] once the transaction that stopped
    referring to them has committed (a rolled-back change keeps its files)."""
    files = [(storage, name) for storage, name in files if name]
    if not files:
        return

    def delete():
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete %s after anonymising", name)

    transaction.on_commit(delete)


def scrub_history(model, changes: dict, *, text_fields=(), names_by_pk=None) -> None:
    """If `model` keeps a history (django-simple-history's `history`), remove the
    same personal data from the historical rows of these records: the fields of
    `changes` ({pk: {field: new value}}) are set as on the record, and the
    `text_fields` of each historical row are scrubbed like the record's."""
    history = getattr(model, "history", None)
    history_model = getattr(history, "model", None)
    if history_model is None or not changes:
        return
    field_names = {field.name for field in history_model._meta.get_fields()}
    pk_name = model._meta.pk.attname
    text_fields = [name for name in text_fields if name in field_names]
    names_by_pk = names_by_pk or {}
    for pk, values in changes.items():
        rows = history_model.objects.filter(**{pk_name: pk})
        rows.update(**{name: value for name, value in values.items() if name in field_names})
        for row in rows.only("pk", *text_fields) if text_fields else ():
            scrubbed = {name: scrub_text(getattr(row, name), names_by_pk.get(pk, ())) for name in text_fields}
            if any(scrubbed[name] != getattr(row, name) for name in text_fields):
                history_model.objects.filter(pk=row.pk).update(**scrubbed)


@dataclasses.dataclass(frozen=True)
class ResidentData:
    """Where a model keeps its resident's personal data."""

    name: str  # masked
    phone: str  # pseudonymised
    cleared: dict  # {field: empty value}: addresses
    files: tuple  # deleted from storage, then cleared
    text: tuple  # free text: mobile numbers and the full name masked
    steps: type | None = None  # the model of the record's steps (WishEvent, AppealEvent), whose `note` is scrubbed too
    step_fk: str = ""  # its foreign key to the record

    def fields(self):
        """Every field of the record that anonymising changes."""
        return [self.name, self.phone, *self.cleared, *self.files, "anonymised_at", *self.text]


def anonymise(queryset, data: ResidentData, *, now=None, by=None) -> int:
    """Remove the resident's personal data from the records of `queryset` not yet
    anonymised (`anonymised_at` empty), a batch per transaction: names masked,
    phones pseudonymised, addresses cleared, photos deleted, free text scrubbed,
    the same in the records' earlier history; `anonymised_at` set, and a history
    record by `by` (None: the retention command). Returns how many changed.
    One UPDATE per batch (`bulk_update`), whatever the number of records."""
    now = now or timezone.now()
    pks = list(queryset.filter(anonymised_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(pks), BATCH_SIZE):
        changed += _anonymise_batch(queryset.model, data, pks[start : start + BATCH_SIZE], now, by)
    return changed


def _anonymise_batch(model, data: ResidentData, pks, now, by) -> int:
    with transaction.atomic():
        records = list(model.objects.select_for_update().filter(pk__in=pks, anonymised_at__isnull=True))
        changes, names, files = {}, {}, []
        for record in records:
            names[record.pk] = (getattr(record, data.name),)
            files += [(getattr(record, field).storage, getattr(record, field).name) for field in data.files]
            phone = getattr(record, data.phone)
            values = {
                data.name: anonymised_name(getattr(record, data.name)),
                data.phone: phone_pseudonym(record.community_id, phone) if phone else phone,  # none stays none
                **data.cleared,
                **{field: "" for field in data.files},
                "anonymised_at": now,
            }
            changes[record.pk] = values
            for field, value in values.items():
                setattr(record, field, value)
            for field in data.text:
                setattr(record, field, scrub_text(getattr(record, field), names[record.pk]))
        model.objects.bulk_update(records, data.fields())
        if data.steps is not None:
            fk = data.step_fk + "_id"
            steps = []
            for step in data.steps.objects.filter(**{f"{fk}__in": names}).exclude(note="").only("pk", fk, "note"):
                note = scrub_text(step.note, names[getattr(step, fk)])
                if note != step.note:
                    step.note = note
                    steps.append(step)
            data.steps.objects.bulk_update(steps, ["note"])
        personal = {pk: {k: v for k, v in values.items() if k != "anonymised_at"} for pk, values in changes.items()}
        scrub_history(model, personal, text_fields=data.text, names_by_pk=names)
        if hasattr(model, "history"):
            record_changes(records, by=by)  # "personal data removed at", and by whom
        delete_files_on_commit(files)
    if records:
        logger.info("Anonymised %d %s", len(records), model._meta.verbose_name_plural)
    return len(records)


def scrub_texts(queryset, fields, names=()) -> int:
    """Records that mention a resident without holding their data in fields of
    their own (grid visit logs: the household, what was found): mobile numbers,
    doors and the residents' full `names` are masked in the text `fields`
    (see `scrub_text`). Counts and dates stay. Returns how many records changed."""
    changed = []
    for record in queryset.only("pk", *fields):
        values = {name: scrub_text(getattr(record, name), names) for name in fields}
        if any(values[name] != getattr(record, name) for name in fields):
            for name, value in values.items():
                setattr(record, name, value)
            changed.append(record)
    queryset.model.objects.bulk_update(changed, list(fields), batch_size=BATCH_SIZE)
    return len(changed)
