"""State changes of grid work: visits, appeals and station content.

Appeals follow the same rules as micro-wishes: each step is one conditional
UPDATE in a transaction, recorded as an AppealEvent; refused steps raise
AppealError with a message for the person who pressed the button.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices.models import Notification
from notices.services import forget_recipients, notify
from portal import privacy, resident_requests
from portal.history import record_change

from . import handlers
from .models import Appeal, AppealEvent, VisitLog

A = Appeal.Status


class AppealError(ValidationError):
    """A refused step; its message is meant for the person who pressed the button."""


def _move(appeal, **kwargs):
    return resident_requests.move(appeal, steps=AppealEvent, error=AppealError, **kwargs)


def appeal_submit(*, appeal: Appeal, entered_by=None, now=None) -> Appeal:
    """A new appeal: from the public form, or recorded by staff / a grid worker for a resident."""
    now = now or timezone.now()
    appeal.received_at = appeal.waiting_since = now
    appeal.respond_by = respond_by(appeal)
    if entered_by is not None and appeal.source == Appeal.Source.ONLINE:
        appeal.source = Appeal.Source.STAFF
    return resident_requests.submit(appeal, steps=AppealEvent, status=A.RECEIVED, entered_by=entered_by, now=now)


def respond_by(appeal):
    """The response deadline from the community's limits: urgent hours for an urgent
    appeal, the ordinary hours otherwise, counted from receipt."""
    community = appeal.community
    hours = community.urgent_respond_hours if appeal.urgency == Appeal.Urgency.URGENT else community.respond_hours
    return resident_requests.response_deadline(appeal.received_at, hours)


def appeal_set_urgency(*, appeal, by, urgency: str) -> Appeal:
    """Staff mark an appeal urgent, ordinary or complex; the response deadline follows
    (from receipt), and an answer deadline of a complex appeal is the longer one."""
    _check_office(appeal, by)
    if urgency not in Appeal.Urgency.values:
        raise AppealError(_("Please choose how urgent the appeal is."))
    appeal.urgency = urgency
    deadline = respond_by(appeal)
    with transaction.atomic():
        Appeal.objects.filter(pk=appeal.pk).update(urgency=urgency, respond_by=deadline)
        appeal.refresh_from_db()
        record_change(appeal, by=by)
    return appeal


def appeal_contact(*, appeal, by, note: str, now=None) -> Appeal:
    """Staff, or the person the appeal is assigned to, record that they called or met the
    resident (先联系诉求人): the status stays; the first contact is the response when
    nothing else came before it."""
    note = (note or "").strip()
    if not note:
        raise AppealError(_("Please note what you told the resident."))
    if appeal.assigned_to_user_id != by.pk:
        _check_office(appeal, by)
    now = now or timezone.now()
    with transaction.atomic():
        updated = Appeal.objects.filter(pk=appeal.pk, status__in=Appeal.WAITING_STATUSES).update(
            responded_at=Coalesce(F("responded_at"), Value(now, output_field=DateTimeField()))
        )
        if updated != 1:
            raise AppealError(_("This appeal is not waiting for an answer."))
        AppealEvent.objects.create(
            appeal=appeal, from_status=appeal.status, to_status=appeal.status, actor=by, note=note[:2000], is_contact=True, created_at=now,
        )
        appeal.refresh_from_db()
        record_change(appeal, by=by)
    return appeal


def appeal_rate(*, appeal, rating: str, comment: str = "", by=None, now=None) -> Appeal:
    """The resident rates the answer (tracking page: by=None), or staff record the rating
    the resident gave on a call back (by). Satisfied or basically satisfied with an
    answer waiting for them closes the appeal: that is the resident accepting it."""
    if by is not None:
        _check_office(appeal, by)
    now = now or timezone.now()
    with transaction.atomic():
        try:
            appeal = resident_requests.rate(appeal, rating=rating, comment=comment, by=by, now=now)
        except ValidationError as error:
            raise AppealError(error.messages[0]) from None
        if by is None and appeal.status == A.ANSWERED and rating in resident_requests.SATISFIED_RATINGS:
            appeal = appeal_close(appeal=appeal, now=now)
    return appeal


def _check_office(appeal, user):
    if not user.can("grid.manage_appeals", appeal):
        raise AppealError(_("Only community staff can do this."))


def appeal_assign(*, appeal, by, to_user=None, to_unit=None, note="") -> Appeal:
    _check_office(appeal, by)
    if (to_user is None) == (to_unit is None):
        raise AppealError(_("Assign the appeal to one person or one unit."))
    target = to_user or to_unit
    if to_user is not None and (not to_user.is_active or not to_user.can("grid.take_appeals")):
        raise AppealError(_("Appeals are assigned to community staff or grid workers."))
    if target.community_id != appeal.community_id:
        raise AppealError(_("This person or unit belongs to another community."))
    return _move(
        appeal, sources=[A.RECEIVED, A.ASSIGNED, A.REOPENED], target=A.ASSIGNED, actor=by, note=note or str(target),
        refused=_("Only an appeal waiting for an answer can be assigned."), assigned_to_user=to_user, assigned_to_unit=to_unit,
    )


def appeal_answer(*, appeal, by, answer: str, now=None) -> Appeal:
    answer = (answer or "").strip()
    if not answer:
        raise AppealError(_("Please write the answer; the resident will read it."))
    is_assignee = appeal.assigned_to_user_id == by.pk
    if not is_assignee:
        _check_office(appeal, by)
    now = now or timezone.now()
    with transaction.atomic():
        appeal = _move(
            appeal, sources=[A.RECEIVED, A.ASSIGNED, A.REOPENED], target=A.ANSWERED, actor=by, note=answer,
            refused=_("This appeal is not waiting for an answer."), answer=answer[:2000], answered_at=now, now=now,
        )
        _tell_answered(appeal)
    return appeal


def _tell_answered(appeal) -> None:
    """An SMS to the resident: their appeal has an answer (read on the tracking page, where
    they accept it or say it is not solved). Once per answer: a reopened appeal answered
    again is told again."""
    if not appeal.sms_consent or not appeal.resident_phone or appeal.anonymised_at is not None:
        return
    link = f"{settings.PORTAL_BASE_URL}{reverse('grid:appeal_track')}?code={appeal.code}"
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your appeal (code %(code)s) has an answer. Read it, and tell us whether it is solved: %(link)s") % {
            "code": appeal.code, "link": link,
        }
    notify(
        event="appeal.answered", key=f"appeal:{appeal.pk}:answered:{appeal.answered_at:%Y%m%d%H%M%S%f}",
        channel=Notification.Channel.SMS, to=appeal.resident_phone, community_id=appeal.community_id,
        template="appeal_answered", text=text, params={"code": appeal.code}, link=link, about=f"appeal:{appeal.pk}",
    )


def appeal_close(*, appeal, by=None, note="", now=None) -> Appeal:
    """Staff close an appeal (or the resident accepts the answer: by=None)."""
    if by is not None:
        _check_office(appeal, by)
        sources = [A.RECEIVED, A.ASSIGNED, A.ANSWERED, A.REOPENED]
    else:
        sources = [A.ANSWERED]
    now = now or timezone.now()
    return _move(
        appeal, sources=sources, target=A.CLOSED, actor=by, by_resident=by is None, note=note,
        refused=_("This appeal cannot be closed now."), closed_at=now, now=now,
    )


def appeal_reopen(*, appeal, reason: str, now=None) -> Appeal:
    """The resident says the problem was not solved, within 14 days of the answer."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise AppealError(_("Please tell us what is still not solved."))
    if not appeal.can_reopen(now):
        raise AppealError(_("An appeal can be reopened within 14 days of its answer."))
    return _move(
        appeal, sources=[A.ANSWERED, A.CLOSED], target=A.REOPENED, by_resident=True, note=reason,
        refused=_("This appeal cannot be reopened now."),
        waiting_since=now, closed_at=None, reopened_count=F("reopened_count") + 1, now=now,
    )


def appeal_to_topic(*, appeal, by, topic=None, title="", description=""):
    """Send an appeal that concerns many residents to the deliberation hall (the council
    app makes the topic: grid.handlers "appeal_to_topic")."""
    _check_office(appeal, by)
    with transaction.atomic():
        if topic is None:
            topic = handlers.call("appeal_to_topic", appeal=appeal, by=by, title=title, description=description)
        elif topic.community_id != appeal.community_id:
            raise AppealError(_("This topic belongs to another community."))
        if Appeal.objects.filter(pk=appeal.pk, topic__isnull=True).update(topic=topic) != 1:
            raise AppealError(_("This appeal was already sent to the deliberation hall."))
        AppealEvent.objects.create(appeal=appeal, from_status=appeal.status, to_status=appeal.status, actor=by, note=_("Sent to the deliberation hall: %(title)s") % {"title": topic.title})
        appeal.refresh_from_db()
        record_change(appeal, by=by)
    return topic


def visit_to_appeal(*, visit: VisitLog, by, category, title, description="", resident_name, resident_phone) -> Appeal:
    """Turn a visit's finding into an appeal in one step; the visit keeps the link."""
    if visit.appeal_id:
        raise AppealError(_("This visit already has an appeal."))
    with transaction.atomic():
        appeal = appeal_submit(
            appeal=Appeal(
                community_id=visit.community_id, source=Appeal.Source.VISIT, category=category, title=title[:60],
                description=(description or visit.findings)[:1000], resident_name=resident_name, resident_phone=resident_phone,
                grid_cell_id=visit.grid_cell_id, building_id=visit.building_id, address_detail=visit.household[:100],
            ),
            entered_by=by,
        )
        updated = VisitLog.objects.filter(pk=visit.pk, appeal__isnull=True).update(appeal=appeal)
        if updated != 1:
            raise AppealError(_("This visit already has an appeal."))
    visit.refresh_from_db()
    appeal.refresh_from_db()
    return appeal


def visit_to_case(*, visit: VisitLog, by, group, problem, resident_name, description=""):
    """Turn a visit into a special-group case (民生实事) in one step (the volunteers app
    opens the case: grid.handlers "visit_to_case"); the visit keeps the link."""
    if visit.special_case_id:
        raise AppealError(_("This visit already has a special-group case."))
    with transaction.atomic():
        case = handlers.call(
            "visit_to_case", visit=visit, by=by, group=group, problem=problem, resident_name=resident_name,
            description=description,
        )
        updated = VisitLog.objects.filter(pk=visit.pk, special_case__isnull=True).update(special_case=case)
        if updated != 1:
            raise AppealError(_("This visit already has a special-group case."))
    visit.refresh_from_db()
    return case


def visit_follow_up_done(*, visit, on=None) -> VisitLog:
    updated = VisitLog.objects.filter(pk=visit.pk, follow_up_needed=True, follow_up_done_on__isnull=True).update(
        follow_up_done_on=on or timezone.localdate()
    )
    if updated != 1:
        raise AppealError(_("This visit has no open follow-up."))
    visit.refresh_from_db()
    return visit


# Personal data ---------------------------------------------------------------------------

PERSONAL_DATA = privacy.ResidentData(
    name=Appeal.name_field,
    phone=Appeal.phone_field,
    cleared={"building": None, "address_detail": ""},  # the grid cell stays: reports count by cell
    files=("photo",),
    text=("description", "answer", "rating_comment"),
    steps=AppealEvent,
    step_fk="appeal",
)


def appeal_anonymise_refusal(appeal) -> str:
    """Why the resident data of `appeal` cannot be removed now ("" if they can)."""
    if appeal.status == A.CLOSED or appeal.anonymised_at is not None:
        return ""
    return _("This appeal is not closed yet: staff may still need to call the resident. Close it first, then remove the data.")


def appeals_of_same_resident(appeal):
    """The closed appeals of the same resident (community and phone) still holding their data, `appeal` included."""
    return Appeal.objects.filter(
        community_id=appeal.community_id, resident_phone=appeal.resident_phone, status=A.CLOSED, anonymised_at__isnull=True
    )


def appeal_anonymise(appeal, by=None, *, now=None) -> int:
    """A resident asked to have their data removed: anonymise this closed appeal
    and the resident's other closed appeals in the community (same phone).

    An appeal not closed yet is refused (`appeal_anonymise_refusal`); staff may
    close it first. Any age is fine. Returns how many appeals changed (0 if already done)."""
    if by is not None:
        _check_office(appeal, by)
    if appeal.anonymised_at is not None:
        return 0
    if refusal := appeal_anonymise_refusal(appeal):
        raise AppealError(refusal)
    changed = appeals_anonymise(appeals_of_same_resident(appeal), now=now, by=by)
    appeal.refresh_from_db()
    return changed


def appeals_anonymise(appeals, *, now=None, by=None) -> int:
    """The one place where appeals lose their resident's personal data (the
    retention command and `appeal_anonymise` call it): see `portal.privacy.anonymise`.
    Status, dates, category, title, grid cell and steps stay, so every figure is
    unchanged. Returns how many appeals changed."""
    pks = list(appeals.values_list("pk", flat=True))
    changed = privacy.anonymise(appeals, PERSONAL_DATA, now=now, by=by)
    forget_recipients([f"appeal:{pk}" for pk in pks])  # the SMS sent about them: the phone goes too
    return changed
