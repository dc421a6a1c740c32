
from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope_to_community
from portal.dates import validate_moment
from portal.periods import DaysBefore
from portal.permissions import Reach, reach
from portal.privacy import resident_key
from portal.resident_requests import RequestStep, ResidentRequest
from portal.tracking import (  # noqa: F401
    CODE_ALPHABET,
    CODE_LENGTH,
    format_code,
    new_tracking_code,
    normalize_code,
)
from portal.uploads import private_upload_path
from portal.validators import mobile_validator


class MicroWishQuerySet(models.QuerySet):
    def for_user(self, user):
        """Staff see their community's wishes; grid workers those of their cells
        and the ones they entered; members and liaisons reach wishes through the
        claim pages, which use `claimable_for` and `held_by`."""
        qs = scope_to_community(self, user)
        if reach(user) is Reach.CELLS:
            from grid.models import GridCell

            cells = GridCell.objects.for_user(user).values("pk")
            qs = qs.filter(Q(grid_cell__in=cells) | Q(entered_by=user))
        return qs

    def public(self):
        """What the wish wall may show: published and later, never submitted or rejected."""
        return self.filter(status__in=MicroWish.PUBLIC_STATUSES)

    def held_by(self, user):
        """Wishes whose claim belongs to this member, or to this liaison's unit."""
        if reach(user) is Reach.OWN:
            return self.filter(claimed_by_member__user=user)
        if reach(user) is Reach.UNIT and user.unit_id:
            return self.filter(claimed_by_unit_id=user.unit_id)
        return self.none()

    def overdue(self, now=None):
        """Published and unclaimed, or claimed and undelivered, for longer than the
        community allows (its own N and M days). The status comes first on its own, so that
        the database reads only open and claimed wishes (by index) before it compares dates."""
        statuses = (MicroWish.Status.OPEN, MicroWish.Status.CLAIMED)
        return self.filter(status__in=statuses).filter(_overdue_condition(now or timezone.now()))

    def with_overdue_flag(self, now=None):
        """Annotate `is_overdue` (one expression in the same query, no subquery)."""
        condition = _overdue_condition(now or timezone.now())
        return self.annotate(is_overdue=ExpressionWrapper(condition, output_field=BooleanField()))


def _overdue_condition(now):
    return Q(status=MicroWish.Status.OPEN, published_at__lt=DaysBefore(now, "community__wish_claim_days")) | Q(
        status=MicroWish.Status.CLAIMED, claimed_at__lt=DaysBefore(now, "community__wish_delivery_days")
    )


class MicroWish(ResidentRequest):
    """微心愿: a small, concrete wish of a resident in need."""

    name_field = "wisher_name"
    phone_field = "wisher_phone"
    sent_field = "submitted_at"
    outcome_field = "fulfilled_at"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        OPEN = "open", _("Open for claiming")
        CLAIMED = "claimed", _("Claimed")
        DELIVERED = "delivered", _("Delivered")
        FULFILLED = "fulfilled", _("Fulfilled")
        REJECTED = "rejected", _("Not accepted")

    class Category(models.TextChoices):
        STUDY = "study", _("Study supplies")
        DAILY = "daily", _("Daily necessities")
        REPAIR = "repair", _("Repairs")
        COMPANY = "company", _("Companionship / visit")
        HEALTH = "health", _("Health")
        OTHER = "other", _("Other")

    PUBLIC_STATUSES = (Status.OPEN, Status.CLAIMED, Status.DELIVERED, Status.FULFILLED)
    HELD_STATUSES = (Status.CLAIMED, Status.DELIVERED, Status.FULFILLED)
    # Solved for the resolution rate (解决率): the resident confirmed it came true.
    RESOLVED_STATUSES = (Status.FULFILLED,)
    rateable_statuses = RESOLVED_STATUSES

    community = models.ForeignKey(
        "portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="wishes"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("wish"), max_length=60)
    description = models.TextField(_("details"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to=private_upload_path("wishes"), blank=True, max_length=200)

    wisher_name = models.CharField(_("resident's name"), max_length=30)
    wisher_phone = models.CharField(_("resident's phone"), max_length=11, validators=[mobile_validator])
    wisher_key = models.CharField(
        _("resident key"),
        max_length=20,
        editable=False,
        help_text=_("A keyed hash of the resident's phone (portal.privacy.resident_key): reports count each "
                    "resident once, in every community and after their personal data are removed."),
    )
    grid_cell = models.ForeignKey(
        "grid.GridCell", verbose_name=_("grid cell"), on_delete=models.SET_NULL, null=True, blank=True, related_name="wishes"
    )
    building = models.ForeignKey(
        "grid.Building", verbose_name=_("building"), on_delete=models.SET_NULL, null=True, blank=True, related_name="wishes"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered on behalf by"),
        help_text=_("Set when staff or a grid worker entered the wish for the resident (代办)."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, validators=[validate_moment])
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, validators=[validate_moment])
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, validators=[validate_moment])
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True, validators=[validate_moment])
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True, validators=[validate_moment])
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True, validators=[validate_moment])
    reject_reason = models.CharField(_("reason for not accepting"), max_length=200, blank=True)

    claimed_by_member = models.ForeignKey(
        "grid.PartyMember", verbose_name=_("claimed by member"), on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_wishes"
    )
    claimed_by_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("claimed by unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_wishes"
    )
    delivery_note = models.TextField(_("delivery note"), max_length=500, blank=True)
    delivery_photo = models.FileField(_("delivery photo"), upload_to=private_upload_path("deliveries"), blank=True, max_length=200)
    thank_you_note = models.CharField(_("thank-you note"), max_length=200, blank=True)
    objects = MicroWishQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            # A claim has exactly one holder: a member or a unit, never both.
            models.CheckConstraint(
                condition=~Q(claimed_by_member__isnull=False, claimed_by_unit__isnull=False),
                name="wish_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "delivered", "fulfilled"], claimed_at__isnull=False)
                & (Q(claimed_by_member__isnull=False) | Q(claimed_by_unit__isnull=False))
                | Q(status__in=["submitted", "open", "rejected"], claimed_by_member__isnull=True, claimed_by_unit__isnull=True),
                name="wish_holder_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status="fulfilled") | Q(fulfilled_at__isnull=False), name="wish_fulfilled_has_date"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["submitted", "open", "claimed", "delivered", "fulfilled", "rejected"]),
                name="wish_status_valid",
            ),
            models.CheckConstraint(condition=~Q(wisher_key=""), name="wish_has_wisher_key"),
            *ResidentRequest.rating_constraints("wish"),
        ]
        indexes = [
            models.Index(fields=["community", "status", "submitted_at"]),
            models.Index(fields=["community", "category"]),
            models.Index(fields=["community", "grid_cell"]),
            models.Index(fields=["community", "fulfilled_at"]),
            models.Index(fields=["community", "wisher_phone"]),
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["status", "claimed_at"]),
            # An area admin's list of every community's wishes, newest first (-submitted_at, -pk).
            models.Index(fields=["submitted_at", "id"]),
            # The wishers helped in a period (wishes.selectors.wish_figures), read from the
            # index alone on PostgreSQL (INCLUDE; other databases ignore it).
            models.Index(
                fields=["fulfilled_at"],
                include=["community", "wisher_key"],
                condition=Q(status="fulfilled"),
                name="wish_fulfilled_wishers",
            ),
            # The overdue wishes of the to-do cards (MicroWishQuerySet.overdue), by index alone:
            # 40 ms for a city's 80,000 open and claimed wishes instead of 220 ms from the table.
            models.Index(
                fields=["community"],
                include=["status", "published_at", "claimed_at"],
                condition=Q(status__in=["open", "claimed"]),
                name="wish_open_or_claimed",
            ),
            # Fulfilled wishes still to be asked again for a rating (the hourly job).
            models.Index(
                fields=["fulfilled_at"], name="wish_rating_to_ask",
                condition=Q(rating="", rating_asked_at__isnull=True, sms_consent=True),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("wishes:detail", args=[self.pk])

    def set_wisher_key(self):
        """The resident's key from the phone (before the wish is saved, or when the phone changes)."""
        self.wisher_key = resident_key(self.wisher_phone)

    @property
    def holder(self):
        return self.claimed_by_member or self.claimed_by_unit

    @property
    def is_proxy(self):
        return self.entered_by_id is not None



class WishEvent(RequestStep):
    """One step in a wish's life: who moved it, when, from which status to which."""

    request_field = "wish"

    wish = models.ForeignKey(MicroWish, verbose_name=_("micro-wish"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=12, choices=MicroWish.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=MicroWish.Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta(RequestStep.Meta):
        verbose_name = _("wish step")
        verbose_name_plural = _("wish steps")
        indexes = [models.Index(fields=["wish", "created_at"])]

