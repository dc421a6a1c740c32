"""The life of a micro-wish. Every status change goes through `_move`
(portal.resident_requests.move, shared with appeals).

    submitted ──approve──▶ open ──claim──▶ claimed ──deliver──▶ delivered ──confirm──▶ fulfilled
        └──reject(reason)          ▲──cancel claim──┘

Each change is one conditional UPDATE (`WHERE status IN (allowed sources)`)
inside a transaction, so two people pressing a button at once leave one
winner; the loser gets a `WishError` with a message to show.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.models import CoBuildingUnit, PartyMember
from notices.services import forget_recipients
from portal import privacy, resident_requests
from portal.history import record_change
from portal.permissions import Reach, reach

from . import notifications, signals
from .models import MicroWish, WishEvent

S = MicroWish.Status


class WishError(ValidationError):
    """A refused step; its message is meant for the person who pressed the button."""


def _move(wish, *, tell=None, **kwargs):
    """The step, and (`tell`: the step's name) the resident's SMS about it, in one transaction."""
    with transaction.atomic():
        wish = resident_requests.move(wish, steps=WishEvent, error=WishError, **kwargs)
        if tell:
            notifications.tell_resident(wish, tell)
    return wish


def wish_submit(*, wish: MicroWish, entered_by=None) -> MicroWish:
    """Save a new wish, from the public form or entered by staff for a resident
    (代办). Either way the resident's consent was given: on the form, or to the
    staff member who ticked the box for them."""
    now = timezone.now()
    wish.submitted_at = now
    wish.respond_by = now + datetime.timedelta(days=wish.community.wish_review_days)
    wish.set_wisher_key()
    return resident_requests.submit(wish, steps=WishEvent, status=S.SUBMITTED, entered_by=entered_by, now=now)


def wish_approve(*, wish, by, category=None, grid_cell=None, building=None) -> MicroWish:
    """Publish a wish, correcting its category or place if the reviewer says so."""
    fields = {"published_at": timezone.now()}
    if category:
        fields["category"] = category
    if grid_cell is not None:
        fields["grid_cell"] = grid_cell
        fields["building"] = building
    return _move(
        wish, tell="published", sources=[S.SUBMITTED], target=S.OPEN, actor=by,
        refused=_("Only a wish awaiting review can be published."), **fields,
    )


def wish_reject(*, wish, by, reason: str) -> MicroWish:
    reason = (reason or "").strip()
    if not reason:
        raise WishError(_("Please give the reason; the resident will see it."))
    return _move(
        wish, tell="rejected", sources=[S.SUBMITTED], target=S.REJECTED, actor=by, note=reason,
        refused=_("Only a wish awaiting review can be turned down."), rejected_at=timezone.now(), reject_reason=reason[:200],
    )


def wish_correct(*, wish, by, **fields) -> bool:
    """Staff correct a wish awaiting review or open for claiming. A conditional
    UPDATE, not `save()`: a claim made while the form was open must not be
    overwritten with the old status. False when the wish moved on meanwhile."""
    with transaction.atomic():
        if not MicroWish.objects.filter(pk=wish.pk, status__in=[S.SUBMITTED, S.OPEN]).update(**fields):
            return False
        wish.refresh_from_db()
        record_change(wish, by=by)
    return True


def _claimant(user):
    """The member or unit a user claims for: a member for themself, a liaison for the unit."""
    if reach(user) is Reach.OWN:
        member = PartyMember.objects.filter(user=user, is_active=True).first()
        if member is None:
            raise WishError(_("Your account is not linked to a party member record."))
        return {"claimed_by_member": member}
    if reach(user) is Reach.UNIT and user.unit_id:
        return {"claimed_by_unit": CoBuildingUnit.objects.get(pk=user.unit_id)}
    raise WishError(_("Only party members and unit liaisons can claim wishes."))


def wish_claim(*, wish, by) -> MicroWish:
    holder = _claimant(by)
    holder_community = next(iter(holder.values())).community_id
    if holder_community != wish.community_id:
        raise WishError(_("This wish belongs to another community."))
    return _move(
        wish, tell="claimed", sources=[S.OPEN], target=S.CLAIMED, actor=by,
        refused=_("Someone else has just claimed this wish, or it is no longer open."),
        claimed_at=timezone.now(), **holder,
    )


def is_holder(wish, user) -> bool:
    if reach(user) is Reach.OWN:
        return wish.claimed_by_member_id is not None and wish.claimed_by_member.user_id == user.pk
    if reach(user) is Reach.UNIT:
        return wish.claimed_by_unit_id is not None and wish.claimed_by_unit_id == user.unit_id
    return False


def _check_holder_or_office(wish, user):
    if user.can("wishes.review", wish):
        return
    if not is_holder(wish, user):
        raise WishError(_("Only the one who claimed this wish, or community staff, can do this."))


def wish_cancel_claim(*, wish, by, reason: str) -> MicroWish:
    reason = (reason or "").strip()
    if not reason:
        raise WishError(_("Please say why the claim is cancelled."))
    _check_holder_or_office(wish, by)
    return _move(
        wish, sources=[S.CLAIMED], target=S.OPEN, actor=by, note=reason,
        refused=_("Only a claimed wish that has not been delivered can be given back."),
        claimed_at=None, claimed_by_member=None, claimed_by_unit=None,
    )


def wish_deliver(*, wish, by, note: str = "", photo=None) -> MicroWish:
    _check_holder_or_office(wish, by)
    fields = {"delivered_at": timezone.now(), "delivery_note": (note or "").strip()[:500]}
    field = MicroWish._meta.get_field("delivery_photo")
    if photo:
        # Store the file first (under a random name); the status update then refers to it.
        fields["delivery_photo"] = field.storage.save(field.generate_filename(wish, photo.name), photo)
    try:
        return _move(
            wish, tell="delivered", sources=[S.CLAIMED], target=S.DELIVERED, actor=by, note=fields["delivery_note"],
            refused=_("Only a claimed wish can be marked as delivered."), **fields,
        )
    except WishError:
        if photo:  # refused (someone was faster): leave no orphan file behind
            field.storage.delete(fields["delivery_photo"])
        raise


def wish_confirm(*, wish, by=None, thank_you: str = "") -> MicroWish:
    """The resident (by=None, through the tracking page) or staff on their behalf confirm."""
    if by is not None and not by.can("wishes.review", wish):
        raise WishError(_("Only the resident or community staff can confirm a wish came true."))
    thank_you = (thank_you or "").strip()[:200]
    with transaction.atomic():
        wish = _move(
            wish, sources=[S.DELIVERED], target=S.FULFILLED, actor=by, by_resident=by is None, note=thank_you,
            refused=_("Only a delivered wish can be confirmed."), fulfilled_at=timezone.now(), thank_you_note=thank_you,
        )
        # The member who made it come true earns the community's points (volunteers listens).
        signals.wish_fulfilled.send(sender=MicroWish, wish=wish)
        notifications.tell_holder_fulfilled(wish)
    return wish


def wish_rate(*, wish, rating: str, comment: str = "", by=None) -> MicroWish:
    """The resident rates how their wish came true (tracking page: by=None), or staff record
    the rating the resident gave on a call back (by)."""
    if by is not None and not by.can("wishes.review", wish):
        raise WishError(_("Only the resident or community staff can rate a wish."))
    try:
        return resident_requests.rate(wish, rating=rating, comment=comment, by=by)
    except ValidationError as error:
        raise WishError(error.messages[0]) from None


# Personal data ---------------------------------------------------------------------

FINISHED_STATUSES = (S.FULFILLED, S.REJECTED)
PERSONAL_DATA = privacy.ResidentData(
    name=MicroWish.name_field,
    phone=MicroWish.phone_field,
    cleared={"building": None, "address_detail": ""},  # the grid cell stays: reports count by cell
    files=("photo", "delivery_photo"),
    text=("description", "delivery_note", "thank_you_note", "reject_reason", "rating_comment"),
    steps=WishEvent,
    step_fk="wish",
)


def wish_anonymise_refusal(wish) -> str:
    """Why the resident data of `wish` cannot be removed now ("" if they can)."""
    if wish.status in FINISHED_STATUSES or wish.anonymised_at is not None:
        return ""
    return _(
        "This wish is not finished yet: a member may still need to call the resident. "
        "Remove the data once the wish is fulfilled or not accepted (a wish awaiting review can be turned down first)."
    )


def wishes_of_same_resident(wish):
    """The finished wishes of the same resident (community and phone) still holding their data, `wish` included."""
    return MicroWish.objects.filter(
        community_id=wish.community_id,
        wisher_phone=wish.wisher_phone,
        status__in=FINISHED_STATUSES,
        anonymised_at__isnull=True,
    )


def wish_anonymise(wish, by=None, *, now=None) -> int:
    """A resident asked to have their data removed: anonymise this finished wish
    and the resident's other finished wishes in the community (same phone), so
    that none keeps their data and the figures still count them once.

    Unfinished wishes are refused (`wish_anonymise_refusal`): a member who claims
    or holds the wish must be able to call the resident. Any age is fine.
    Returns how many wishes changed (0 if already done)."""
    if by is not None and not by.can("wishes.review", wish):
        raise WishError(_("Only community staff can remove a resident's personal data."))
    if wish.anonymised_at is not None:
        return 0
    if refusal := wish_anonymise_refusal(wish):
        raise WishError(refusal)
    changed = wishes_anonymise(wishes_of_same_resident(wish), now=now, by=by)
    wish.refresh_from_db()
    return changed


def wishes_anonymise(wishes, *, now=None, by=None) -> int:
    """The one place where micro-wishes lose their resident's personal data (the
    retention command and `wish_anonymise` call it): see `portal.privacy.anonymise`.
    Status, dates, category, title, grid cell and holder stay, so every report
    figure is unchanged. Returns how many wishes changed."""
    pks = list(wishes.values_list("pk", flat=True))
    changed = privacy.anonymise(wishes, PERSONAL_DATA, now=now, by=by)
    forget_recipients([f"wish:{pk}" for pk in pks])  # the SMS sent about them: the phone goes too
    return changed
