"""State changes of the deliberation hall and the proxy window."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import privacy
from portal.history import record_change, set_history_user

from .models import ProxyService, Session, Topic

T = Topic.Status

# Allowed moves; any status before settled may be dropped.
TOPIC_MOVES = {
    T.DELIBERATING: [T.PROPOSED],
    T.AGREED: [T.DELIBERATING],
    T.IMPLEMENTING: [T.AGREED],
    T.SETTLED: [T.AGREED, T.IMPLEMENTING],
    T.DROPPED: [T.PROPOSED, T.DELIBERATING, T.AGREED, T.IMPLEMENTING],
}
DATE_FIELDS = {
    T.DELIBERATING: "deliberating_on",
    T.AGREED: "agreed_on",
    T.IMPLEMENTING: "implementing_on",
    T.SETTLED: "settled_on",
    T.DROPPED: "dropped_on",
}


class CouncilError(ValidationError):
    """A refused step; its message is meant for the person who pressed the button."""


def topic_move(*, topic, to: str, on=None, outcome: str | None = None, by=None) -> Topic:
    """Move a topic to `to` (one of TOPIC_MOVES) on the given day, with its date."""
    if to not in TOPIC_MOVES:
        raise CouncilError(_("Unknown step."))
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise CouncilError(_("The date cannot be in the future."))
    if on < topic.proposed_on:
        raise CouncilError(_("The date cannot be before the topic was proposed."))
    earlier = [topic.proposed_on] + [getattr(topic, field) for field in DATE_FIELDS.values() if getattr(topic, field)]
    if on < max(earlier):
        raise CouncilError(_("The date cannot be before the topic's previous step."))
    fields = {"status": to, DATE_FIELDS[to]: on}
    if outcome and outcome.strip():  # a blank outcome keeps the one already written
        fields["outcome"] = outcome.strip()[:3000]
    if to == T.SETTLED and not (fields.get("outcome") or topic.outcome).strip():
        raise CouncilError(_("Please write the outcome before marking the topic settled: residents read it."))
    with transaction.atomic():
        updated = Topic.objects.filter(pk=topic.pk, status__in=TOPIC_MOVES[to]).update(**fields)
        if updated != 1:
            raise CouncilError(
                _("A topic that is “%(status)s” cannot go to “%(target)s”.")
                % {"status": topic.get_status_display(), "target": T(to).label}
            )
        topic.refresh_from_db()
        record_change(topic, by=by)  # the UPDATE sent no signal: write the history record here
    return topic


def session_record(*, topic, by=None, **fields) -> Session:
    """Record a session; the first one starts the deliberation of a proposed topic."""
    if topic.status in (T.SETTLED, T.DROPPED):
        raise CouncilError(_("This topic is closed; open a new topic instead."))
    members = fields.pop("members", None)
    units = fields.pop("units", None)
    with transaction.atomic():
        session = Session.objects.create(topic=topic, **fields)
        if members is not None:
            session.members.set(members)
        if units is not None:
            session.units.set(units)
        if topic.status == T.PROPOSED:
            topic_move(topic=topic, to=T.DELIBERATING, on=max(session.held_on, topic.proposed_on), by=by)
    return session


def proxy_update(*, service: ProxyService, status: str, on=None, note: str | None = None) -> ProxyService:
    S = ProxyService.Status
    if status not in S.values:
        raise CouncilError(_("Unknown status."))
    done_on = (on or service.done_on or timezone.localdate()) if status == S.DONE else None
    if done_on and done_on < service.received_on:
        raise CouncilError(_("It cannot be done before it was received."))
    fields = {"status": status, "done_on": done_on}
    if note is not None:
        fields["note"] = note[:300]
    ProxyService.objects.filter(pk=service.pk).update(**fields)
    service.refresh_from_db()
    return service


# Personal data ---------------------------------------------------------------------

PROXY_PERSONAL_DATA = privacy.ResidentData(
    name="resident_name",
    phone="resident_phone",
    cleared={"building": None},  # kind, company, dates and status stay
    files=(),
    text=("description", "note"),
)


def proxies_anonymise(services, *, now=None, by=None) -> int:
    """The one place where proxy errands lose their resident's personal data
    (the residents' requests page calls it, for finished errands only): see
    `portal.privacy.anonymise`. Returns how many errands changed."""
    return privacy.anonymise(services.filter(status=ProxyService.Status.DONE), PROXY_PERSONAL_DATA, now=now, by=by)


def topic_from_appeal(*, appeal, by, title="", description="") -> Topic:
    """The topic an appeal that concerns many residents becomes (grid.handlers
    "appeal_to_topic"; grid.services_work.appeal_to_topic links the appeal)."""
    topic = Topic(
        # The topic goes on the public page of the hall: no resident's name, number or door.
        community_id=appeal.community_id, title=(title or privacy.scrub_text(appeal.title, [appeal.resident_name]))[:80],
        description=description or privacy.scrub_text(appeal.description or appeal.title, [appeal.resident_name]),
        source=Topic.Source.APPEAL, created_by=by,
    )
    set_history_user(topic, by)
    topic.save()
    if appeal.grid_cell_id:
        topic.grid_cells.add(appeal.grid_cell_id)
    return topic
