"""Grid work: door-knocking visit logs (走访 / 民情日志) and residents' appeals (诉求)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope_to_community
from portal.dates import validate_day, validate_moment
from portal.periods import DaysBefore
from portal.permissions import Reach, reach
from portal.resident_requests import RequestStep, ResidentRequest
from portal.tracking import CODE_ALPHABET, new_tracking_code  # noqa: F401
from portal.uploads import private_upload_path
from portal.validators import mobile_validator

from .core import _grid_worker_cells

# The default of Appeal.code (migrations refer to it by this name).
new_appeal_code = new_tracking_code


class GridScopedQuerySet(models.QuerySet):
    """Staff see the community; grid workers their cells (and what they recorded)."""

    own_fields: tuple = ()  # user fields that also make a record a grid worker's own

    def for_user(self, user):
        qs = scope_to_community(self, user)
        if reach(user) is Reach.CELLS:
            condition = Q(grid_cell__in=_grid_worker_cells(user))
            for field in self.own_fields:
                condition |= Q(**{field: user})
            qs = qs.filter(condition)
        return qs


class VisitLogQuerySet(GridScopedQuerySet):
    own_fields = ("visitor",)

    def for_user(self, user):
        # Members log their own visits and see only those.
        if reach(user) is Reach.OWN:
            return scope_to_community(self, user).filter(visitor=user)
        return super().for_user(user)


class VisitLog(models.Model):
    """敲门 / 走访: a visit to a household and what came of it."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Policy promotion")
        MEDIATION = "mediation", _("Dispute mediation")
        INFORMATION = "information", _("Information collection")
        APPEAL = "appeal", _("Appeal feedback")
        EMERGENCY = "emergency", _("Emergency")
        CARE = "care", _("Care visit")
        OTHER = "other", _("Other")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="visits")
    grid_cell = models.ForeignKey("grid.GridCell", verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="visits")
    building = models.ForeignKey(
        "grid.Building", verbose_name=_("building"), on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    household = models.CharField(_("household"), max_length=100, help_text=_("e.g. unit 2, room 301, Mr Wang"))
    visited_on = models.DateField(_("visited on"), default=timezone.localdate, validators=[validate_day])
    kind = models.CharField(_("kind of visit"), max_length=12, choices=Kind.choices)
    findings = models.TextField(_("what was found"), max_length=2000)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    follow_up_done_on = models.DateField(_("follow-up done on"), null=True, blank=True, validators=[validate_day])
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="visits"
    )
    appeal = models.OneToOneField(
        "grid.Appeal", verbose_name=_("appeal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="from_visit"
    )
    special_case = models.OneToOneField(
        "volunteers.SpecialGroupCase", verbose_name=_("special-group case"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="from_visit",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VisitLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit log")
        verbose_name_plural = _("visit logs")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_done_on__isnull=True) | Q(follow_up_needed=True), name="visit_follow_up_done_needs_follow_up"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "visited_on"]),
            models.Index(fields=["community", "kind", "visited_on"]),
            models.Index(fields=["grid_cell", "visited_on"]),
            models.Index(fields=["visitor", "visited_on"]),
            models.Index(fields=["community", "follow_up_needed", "follow_up_done_on"]),
            # An area admin's list of every community's visits, newest first (-visited_on, -pk).
            models.Index(fields=["visited_on", "id"]),
        ]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.household}"

    def get_absolute_url(self):
        return reverse("grid:visit_detail", args=[self.pk])

    @property
    def follow_up_open(self):
        return self.follow_up_needed and self.follow_up_done_on is None


class VisitComment(models.Model):
    """The grid leader's or staff's remark on a visit."""

    visit = models.ForeignKey(VisitLog, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("comment"), max_length=500)
    created_at = models.DateTimeField(_("at"), default=timezone.now, validators=[validate_moment])

    class Meta:
        verbose_name = _("visit comment")
        verbose_name_plural = _("visit comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["visit", "created_at"])]

    def __str__(self):
        return self.text[:40]


def _answer_deadline_passed(now):
    """Waiting longer than the community allows: its days for a complex appeal, or for any other."""
    ordinary = ~Q(urgency=Appeal.Urgency.COMPLEX) & Q(waiting_since__lt=DaysBefore(now, "community__appeal_answer_days"))
    complex_ = Q(urgency=Appeal.Urgency.COMPLEX, waiting_since__lt=DaysBefore(now, "community__complex_answer_days"))
    return Q(status__in=Appeal.WAITING_STATUSES) & (ordinary | complex_)


class AppealQuerySet(GridScopedQuerySet):
    # A grid worker sees the appeals they recorded and those assigned to them,
    # even outside their cells, so that they can answer them.
    own_fields = ("entered_by", "assigned_to_user")

    def overdue(self, now=None):
        """Waiting for an answer longer than the community allows."""
        return self.filter(_answer_deadline_passed(now or timezone.now()))

    def with_overdue_flag(self, now=None):
        condition = _answer_deadline_passed(now or timezone.now())
        return self.annotate(is_overdue=ExpressionWrapper(condition, output_field=BooleanField()))


class Appeal(ResidentRequest):
    """诉求: a resident's request or complaint, tracked to an answer.

    received ──assign──▶ assigned ──answer──▶ answered ──close──▶ closed
        └─────────answer─────────────▲            │  (resident, within 14 days)
                                      reopened ◀──┘──reopen
    """

    REOPEN_DAYS = 14
    name_field = "resident_name"
    phone_field = "resident_phone"
    sent_field = "received_at"
    outcome_field = "answered_at"

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        ANSWERED = "answered", _("Answered")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        ENVIRONMENT = "environment", _("Environment and sanitation")
        PROPERTY = "property", _("Property management and parking")
        FACILITIES = "facilities", _("Public facilities")
        NEIGHBOURS = "neighbours", _("Neighbour disputes")
        SAFETY = "safety", _("Safety")
        ASSISTANCE = "assistance", _("Social assistance")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        ONLINE = "online", _("Submitted online")
        STAFF = "staff", _("Recorded by staff")
        VISIT = "visit", _("From a visit")

    class Urgency(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary")
        URGENT = "urgent", _("Urgent")
        COMPLEX = "complex", _("Complex")

    WAITING_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.REOPENED)
    # Solved for the resolution rate (解决率): answered or closed; a reopened appeal is not, until answered again.
    RESOLVED_STATUSES = (Status.ANSWERED, Status.CLOSED)
    rateable_statuses = RESOLVED_STATUSES

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="appeals")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ONLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.ORDINARY,
        help_text=_("Urgent: respond within the community's urgent hours; complex: more days to answer."),
    )
    title = models.CharField(_("appeal"), max_length=60)
    description = models.TextField(_("details"), max_length=1000, blank=True)
    photo = models.FileField(_("photo"), upload_to=private_upload_path("appeals"), blank=True, max_length=200)
    resident_name = models.CharField(_("resident's name"), max_length=30)
    resident_phone = models.CharField(_("resident's phone"), max_length=11, validators=[mobile_validator])
    grid_cell = models.ForeignKey(
        "grid.GridCell", verbose_name=_("grid cell"), on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals"
    )
    building = models.ForeignKey(
        "grid.Building", verbose_name=_("building"), on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to (person)"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_appeals",
    )
    assigned_to_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("assigned to (unit)"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_appeals",
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, validators=[validate_moment])
    waiting_since = models.DateTimeField(
        _("waiting since"), default=timezone.now, help_text=_("Received or reopened at: the answer deadline counts from here."), validators=[validate_moment]
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, validators=[validate_moment])
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, validators=[validate_moment])
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    topic = models.ForeignKey(
        "council.Topic", verbose_name=_("deliberation topic"), on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals"
    )
    objects = AppealQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(answered_at__isnull=False),
                name="appeal_answered_has_date",
            ),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False), name="appeal_closed_has_date"),
            models.CheckConstraint(
                condition=Q(status__in=["received", "assigned", "answered", "reopened", "closed"]), name="appeal_status_valid"
            ),
            models.CheckConstraint(condition=Q(urgency__in=["ordinary", "urgent", "complex"]), name="appeal_urgency_valid"),
            *ResidentRequest.rating_constraints("appeal"),
        ]
        indexes = [
            models.Index(fields=["community", "status", "waiting_since"]),
            models.Index(fields=["community", "category"]),
            models.Index(fields=["community", "grid_cell"]),
            models.Index(fields=["community", "received_at"]),
            models.Index(fields=["community", "answered_at"]),
            # An area admin's list of every community's appeals, newest first (-received_at, -pk).
            models.Index(fields=["received_at", "id"]),
            # Answered appeals still to be asked again for a rating (the hourly job).
            models.Index(
                fields=["answered_at"], name="appeal_rating_to_ask",
                condition=Q(rating="", rating_asked_at__isnull=True, sms_consent=True),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grid:appeal_detail", args=[self.pk])

    def can_reopen(self, now=None):
        """The resident may reopen within 14 days of the (last) answer."""
        now = now or timezone.now()
        return (
            self.status in (self.Status.ANSWERED, self.Status.CLOSED)
            and self.answered_at is not None
            and now <= self.answered_at + datetime.timedelta(days=self.REOPEN_DAYS)
        )


class AppealEvent(RequestStep):
    """One step in an appeal's life: who, when, from which status to which, and the note."""

    request_field = "appeal"

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("from"), max_length=10, choices=Appeal.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Appeal.Status.choices)
    note = models.CharField(_("note"), max_length=2000, blank=True)
    is_contact = models.BooleanField(
        _("contact with the resident"), default=False,
        help_text=_("Staff called or met the resident about the appeal (the status stays): a response."),
    )

    class Meta(RequestStep.Meta):
        verbose_name = _("appeal step")
        verbose_name_plural = _("appeal steps")
        indexes = [models.Index(fields=["appeal", "created_at"])]

