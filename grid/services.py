"""State changes of the grid app: each in one function, atomic where it matters."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.history import record_change

from .models import PartyMember, Tag


def tags_from_text(text: str) -> list[Tag]:
    """Turn '维修, 法律；医疗' into Tag objects, creating the missing ones."""
    names = []
    for raw in str(text or "").replace("，", ",").replace("、", ",").replace("；", ",").replace(";", ",").split(","):
        name = raw.strip()[:30]
        if name and name not in names:
            names.append(name)
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [existing[name] for name in names]


def tags_to_text(tags) -> str:
    return ", ".join(tag.name for tag in tags)


def member_confirm_report(*, member: PartyMember, by, on: datetime.date | None = None) -> PartyMember:
    """The community confirms a member's report (报到). Confirming twice is refused."""
    on = on or timezone.localdate()
    if on < member.registered_on:
        raise ValidationError(_("The report cannot be confirmed before the registration date."))
    with transaction.atomic():
        updated = PartyMember.objects.filter(pk=member.pk, reported_on__isnull=True).update(
            reported_on=on, reported_confirmed_by=by
        )
        if updated != 1:
            raise ValidationError(_("This member's report has already been confirmed."))
        member.refresh_from_db()
        record_change(member, by=by)
    return member


def member_undo_report(*, member: PartyMember, by=None) -> PartyMember:
    """Withdraw a confirmation made by mistake: the member is registered again, not reported."""
    with transaction.atomic():
        PartyMember.objects.filter(pk=member.pk).update(reported_on=None, reported_confirmed_by=None)
        member.refresh_from_db()
        record_change(member, by=by)
    return member
