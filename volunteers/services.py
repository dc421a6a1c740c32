"""State changes of volunteer service: sign-up, check-in, hours, points, events, cases.

Sign-up and check-in lock the event row (`select_for_update`; on SQLite the
IMMEDIATE transaction mode serialises writers the same way), so capacity is
never exceeded by simultaneous sign-ups and nobody is checked in twice.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import privacy
from portal.history import record_change, set_history_user

from . import tallies
from .models import (
    Participation,
    PointsEntry,
    PointsRule,
    SpecialGroupCase,
    VolunteerEvent,
)

E = VolunteerEvent.Status


class VolunteerError(ValidationError):
    """A refused step; its message is meant for the person who pressed the button."""


def _locked_event(event):
    return VolunteerEvent.objects.select_for_update().get(pk=event.pk)


def _clashes(member, event):
    """The member's other active sign-ups that overlap this event in time."""
    return (
        Participation.objects.active()
        .filter(member=member, signed_up_at__isnull=False)
        .exclude(event=event)
        .exclude(event__status=E.CANCELLED)
        .filter(event__starts_at__lt=event.ends_at, event__ends_at__gt=event.starts_at)
        .select_related("event")
    )


def event_sign_up(*, event, member, now=None) -> Participation:
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(event)
        if event.status != E.PLANNED or event.starts_at <= now:
            raise VolunteerError(_("Sign-up is closed: the event has started, ended or was cancelled."))
        if member.community_id != event.community_id:
            raise VolunteerError(_("This event belongs to another community."))
        clash = _clashes(member, event).first()
        if clash:
            raise VolunteerError(
                _("You have already signed up for “%(title)s” at the same time.") % {"title": clash.event.title}
            )
        taken = event.participations.active().filter(signed_up_at__isnull=False).exclude(member=member).count()
        if event.capacity is not None and taken >= event.capacity:
            raise VolunteerError(_("Sorry, this event is full."))
        participation, created = Participation.objects.get_or_create(
            event=event, member=member, defaults={"signed_up_at": now}
        )
        if not created:
            if participation.withdrawn_at is None and participation.signed_up_at:
                raise VolunteerError(_("You have already signed up for this event."))
            participation.signed_up_at, participation.withdrawn_at = now, None
            participation.save(update_fields=["signed_up_at", "withdrawn_at"])
    return participation


def event_withdraw(*, event, member, now=None) -> Participation:
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(event)
        if event.starts_at <= now:
            raise VolunteerError(_("The event has started; you can no longer withdraw."))
        updated = Participation.objects.filter(
            event=event, member=member, withdrawn_at__isnull=True, checked_in_at__isnull=True
        ).update(withdrawn_at=now)
        if updated != 1:
            raise VolunteerError(_("You are not signed up for this event."))
        participation = Participation.objects.get(event=event, member=member)
        record_change(participation)  # the UPDATE sent no signal (the user is the request's)
        # No recount: only a sign-up without attendance can be withdrawn, which the tally does not count.
    return participation


def event_check_in(*, event, member, code: str, now=None) -> Participation:
    """A member checks in with the code shown at the venue, within the event's window."""
    now = now or timezone.now()
    code = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    with transaction.atomic():
        event = _locked_event(event)
        if code != event.checkin_code:
            raise VolunteerError(_("The check-in code is not right. Please look at the code shown at the venue."))
        if member.community_id != event.community_id:
            raise VolunteerError(_("This event belongs to another community."))
        if event.status == E.CANCELLED:
            raise VolunteerError(_("This event was cancelled."))
        opens, closes = event.checkin_window()
        if not opens <= now <= closes:
            raise VolunteerError(
                _("Check-in is open from 2 hours before the start to 2 hours after the end of the event.")
            )
        participation, _created = Participation.objects.get_or_create(event=event, member=member)
        updated = Participation.objects.filter(pk=participation.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=Participation.CheckInBy.SELF, withdrawn_at=None, hours=_default_hours(event)
        )
        if updated != 1:
            raise VolunteerError(_("You are already checked in."))
        participation.refresh_from_db()
        record_change(participation)  # the UPDATE sent no signal (the user is the request's)
        tallies.recount([event.pk])  # nor for the tally
    return participation


def _default_hours(event) -> Decimal:
    hours = Decimal(str((event.ends_at - event.starts_at).total_seconds() / 3600))
    return min(hours, Decimal(24)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attendance_mark(*, event, member, attended: bool, now=None, by=None) -> Participation:
    """Staff tick (or untick) attendance for someone without a phone."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked_event(event)
        if event.status == E.CANCELLED:
            raise VolunteerError(_("This event was cancelled."))
        if attended and now < event.checkin_window()[0]:
            raise VolunteerError(_("Attendance can be recorded once the event is about to start."))
        participation, _created = Participation.objects.get_or_create(event=event, member=member)
        if participation.hours_approved_at:
            raise VolunteerError(_("Hours are already approved; withdraw the approval first."))
        if attended and participation.checked_in_at is None:
            participation.checked_in_at, participation.withdrawn_at = now, None
            participation.checked_in_by = Participation.CheckInBy.STAFF
            participation.hours = participation.hours if participation.hours is not None else _default_hours(event)
        elif not attended:
            participation.checked_in_at, participation.checked_in_by, participation.hours = None, "", None
        set_history_user(participation, by)
        participation.save()
    return participation


def hours_set(*, participation, hours, by=None) -> Participation:
    if participation.hours_approved_at:
        raise VolunteerError(_("Hours are already approved; withdraw the approval first."))
    if participation.checked_in_at is None:
        raise VolunteerError(_("Only people who attended get hours."))
    hours = Decimal(str(hours))
    if not Decimal(0) <= hours <= Decimal(24):
        raise VolunteerError(_("Hours must be between 0 and 24."))
    participation.hours = hours
    set_history_user(participation, by)
    participation.save(update_fields=["hours"])
    return participation


def _rule(community_id) -> PointsRule:
    rule, _created = PointsRule.objects.get_or_create(community_id=community_id)
    return rule


def hours_approve(*, participations, by, now=None) -> int:
    """Approve the hours of attended participations; each approval earns points once."""
    now = now or timezone.now()
    approved = 0
    rules = {}
    with transaction.atomic():
        for participation in participations.select_related("event", "member").select_for_update(of=("self",)):
            if participation.hours_approved_at or participation.checked_in_at is None or participation.hours is None:
                continue
            if participation.event.status == E.CANCELLED or participation.event.starts_at > now:
                continue  # hours of a cancelled or future event never count
            participation.hours_approved_at, participation.hours_approved_by = now, by
            set_history_user(participation, by)
            participation.save(update_fields=["hours_approved_at", "hours_approved_by"])
            community_id = participation.event.community_id
            rule = rules.get(community_id) or rules.setdefault(community_id, _rule(community_id))
            PointsEntry.objects.create(
                community_id=participation.event.community_id,
                member=participation.member,
                kind=PointsEntry.Kind.EVENT,
                points=(participation.hours * rule.points_per_hour).quantize(Decimal("0.1")),
                reason=participation.event.title[:200],
                participation=participation,
                created_by=by,
                created_at=now,
            )
            approved += 1
    return approved


def hours_unapprove(*, participation, by=None) -> Participation:
    """Withdraw an approval made by mistake: the points it earned go too."""
    with transaction.atomic():
        PointsEntry.objects.filter(participation=participation).delete()
        participation.hours_approved_at, participation.hours_approved_by = None, None
        set_history_user(participation, by)
        participation.save(update_fields=["hours_approved_at", "hours_approved_by"])
    return participation


def points_for_wish(*, wish, now=None):
    """Points for the member who made a wish come true (called when it is fulfilled)."""
    if wish.claimed_by_member_id is None:
        return None
    rule = _rule(wish.community_id)
    entry, _created = PointsEntry.objects.get_or_create(
        wish=wish,
        member_id=wish.claimed_by_member_id,
        defaults={
            "community_id": wish.community_id,
            "kind": PointsEntry.Kind.WISH,
            "points": rule.points_per_wish,
            "reason": wish.title[:200],
            "created_at": now or timezone.now(),
        },
    )
    return entry


def points_adjust(*, member, points, reason: str, by) -> PointsEntry:
    reason = (reason or "").strip()
    if not reason:
        raise VolunteerError(_("Please give the reason for the adjustment."))
    return PointsEntry.objects.create(
        community_id=member.community_id, member=member, kind=PointsEntry.Kind.ADJUSTMENT,
        points=Decimal(str(points)), reason=reason[:200], created_by=by,
    )


def event_cancel(*, event, by=None) -> VolunteerEvent:
    with transaction.atomic():
        updated = VolunteerEvent.objects.filter(pk=event.pk, status=E.PLANNED).update(status=E.CANCELLED)
        if updated != 1:
            raise VolunteerError(_("Only a planned event can be cancelled."))
        event.refresh_from_db()
        record_change(event, by=by)  # the UPDATE sent no signal: write the history record here
    return event


def event_mark_held(*, event, summary: str = "", residents_served: int | None = None, now=None, by=None) -> VolunteerEvent:
    if event.starts_at > (now or timezone.now()):
        raise VolunteerError(_("An event can be marked as held once it has started."))
    fields = {"status": E.DONE, "summary": (summary or event.summary)[:2000]}
    if residents_served is not None:
        fields["residents_served"] = residents_served
    with transaction.atomic():
        updated = VolunteerEvent.objects.filter(pk=event.pk, status__in=[E.PLANNED, E.DONE]).update(**fields)
        if updated != 1:
            raise VolunteerError(_("A cancelled event cannot be marked as held."))
        event.refresh_from_db()
        record_change(event, by=by)
    return event


def event_copy(*, event, starts_at: datetime.datetime, by) -> VolunteerEvent:
    """Plan the next event like this one: same kind, place, team, ... at a new time."""
    duration = event.ends_at - event.starts_at
    copy = VolunteerEvent(
        community_id=event.community_id, title=event.title, kind_id=event.kind_id, project_id=event.project_id,
        team_id=event.team_id, unit_id=event.unit_id, starts_at=starts_at, ends_at=starts_at + duration,
        place=event.place, grid_cell_id=event.grid_cell_id, capacity=event.capacity,
        description=event.description, created_by=by,
    )
    set_history_user(copy, by)
    copy.save(force_insert=True)
    return copy


def case_update(*, case, status: str, action_taken: str = "", today=None) -> SpecialGroupCase:
    """Move a case to in progress or solved; the dates follow the status."""
    today = today or timezone.localdate()
    S = SpecialGroupCase.Status
    if status not in S.values:
        raise VolunteerError(_("Unknown status."))
    case.status = status
    if action_taken:
        case.action_taken = action_taken[:2000]
    if status in (S.IN_PROGRESS, S.SOLVED) and case.started_on is None:
        case.started_on = today
    case.solved_on = (case.solved_on or today) if status == S.SOLVED else None
    if status == S.SOLVED and not case.action_taken.strip():
        raise VolunteerError(_("Please say what was done before closing the case."))
    case.save()
    return case


# Personal data ---------------------------------------------------------------------

CASE_PERSONAL_DATA = privacy.ResidentData(
    name="resident_name",
    phone="resident_phone",
    cleared={"address_detail": ""},  # group, grid cell, problem, dates and status stay: the figures count them
    files=(),
    text=("description", "action_taken"),
)


def cases_anonymise(cases, *, now=None, by=None) -> int:
    """The one place where special-group cases lose their resident's personal
    data (the residents' requests page calls it, for solved cases only): see
    `portal.privacy.anonymise`. Returns how many cases changed."""
    return privacy.anonymise(cases.filter(status=SpecialGroupCase.Status.SOLVED), CASE_PERSONAL_DATA, now=now, by=by)


def case_from_visit(*, visit, by, group, problem, resident_name, description="") -> SpecialGroupCase:
    """The special-group case a visit opens (grid.handlers "visit_to_case";
    grid.services_work.visit_to_case links the visit). A grid worker's case is assigned
    to them (only the office sees unassigned cases)."""
    return SpecialGroupCase.objects.create(
        community_id=visit.community_id, group=group, resident_name=resident_name, grid_cell_id=visit.grid_cell_id,
        address_detail=visit.household[:100], problem=problem[:100], description=description or visit.findings,
        assigned_to=by if by is not None and by.can("volunteers.look_after_cases") else None,
    )


def points_on_fulfilled(sender, *, wish, **kwargs):
    """Receiver of wishes.signals.wish_fulfilled: the member who made it come true earns
    the community's points, in the same transaction as the confirmation."""
    points_for_wish(wish=wish)
