import datetime
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import scope_to_community
from portal.activity import (
    CountsWhileActive,
    active_dates_constraint,
    inactive_since_field,
)
from portal.dates import validate_day, validate_moment
from portal.uploads import private_upload_path

CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_checkin_code() -> str:
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(6))


class SpecialGroup(models.TextChoices):
    """特殊群体: who a livelihood case or an event serves."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    DISABLED = "disabled", _("Disabled person")
    WOMAN = "woman", _("Woman in difficulty")
    CHILD = "child", _("Child in difficulty")
    LOW_INCOME = "low_income", _("Low-income family")
    OTHER = "other", _("Other")


class CommunityScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        return scope_to_community(self, user)


class EventKindQuerySet(models.QuerySet):
    def for_community(self, community_id):
        """The built-in kinds plus the community's own."""
        return self.filter(Q(community__isnull=True) | Q(community_id=community_id), is_active=True)


# Labels of the built-in kinds: translated in code, not stored as data.
BUILTIN_KINDS = {
    "policy": (_("Policy promotion"), False),
    "mediation": (_("Dispute mediation"), False),
    "information": (_("Information collection"), False),
    "appeal": (_("Appeal feedback"), False),
    "emergency": (_("Emergency management"), False),
    "haircut": (_("Free haircuts"), True),
    "clinic": (_("Free clinic"), True),
    "performance": (_("Performance"), True),
    "meal": (_("Meal help"), False),
    "pairing": (_("Paired assistance"), False),
    "education": (_("Study and education"), False),
    "other": (_("Other"), False),
}


class EventKind(models.Model):
    """A kind of volunteer event. Built-in kinds have no community; staff add their own."""

    community = models.ForeignKey(
        "portal.Community", verbose_name=_("community"), on_delete=models.CASCADE, null=True, blank=True, related_name="event_kinds"
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=30)
    is_special_service = models.BooleanField(
        _("special service"), default=False, help_text=_("Counted with haircuts, free clinics and performances.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = EventKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("event kind")
        verbose_name_plural = _("event kinds")
        ordering = ["community_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="eventkind_unique_code"),
            models.UniqueConstraint(fields=["code"], condition=Q(community__isnull=True), name="eventkind_unique_builtin_code"),
        ]

    def __str__(self):
        if self.community_id is None and self.code in BUILTIN_KINDS:
            return str(BUILTIN_KINDS[self.code][0])
        return self.name


class VolunteerTeam(CountsWhileActive, models.Model):
    """志愿服务队, e.g. the four "小红兴" teams of the business-district party branch."""

    active_from_field = "active_since"
    unknown_start_counts = True  # teams and places entered before the portal kept the day

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=60)
    sponsor_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("sponsoring unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="teams"
    )
    sponsor_branch = models.CharField(_("sponsoring party branch"), max_length=100, blank=True)
    leader = models.ForeignKey(
        "grid.PartyMember", verbose_name=_("team leader"), on_delete=models.SET_NULL, null=True, blank=True, related_name="led_teams"
    )
    members = models.ManyToManyField("grid.PartyMember", verbose_name=_("party members"), blank=True, related_name="teams")
    resident_volunteers = models.TextField(
        _("resident volunteers"), blank=True, help_text=_("Residents who volunteer with the team, one per line.")
    )
    active_since = models.DateField(
        _("founded on"), null=True, blank=True, default=timezone.localdate,
        help_text=_("The team counts in reports from this day; blank: in every period until it became inactive."),
        validators=[validate_day],
    )
    is_active = models.BooleanField(_("active"), default=True)
    inactive_since = inactive_since_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="team_unique_name"),
            active_dates_constraint("team_inactive_since_when_inactive"),
        ]
        indexes = [models.Index(fields=["community", "is_active"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:team_detail", args=[self.pk])


class ServiceProject(models.Model):
    """服务项目: a named, ongoing programme such as "爱心助餐·聚爱成河"."""

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    lead_team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("lead team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    lead_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("lead unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    start_date = models.DateField(_("start date"), validators=[validate_day])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_day])

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["community", "-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="project_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="project_end_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("volunteers:project_detail", args=[self.pk])


class VolunteerEventQuerySet(CommunityScopedQuerySet):
    def held(self):
        return self.filter(status=VolunteerEvent.Status.DONE)

    def public(self):
        return self.exclude(status=VolunteerEvent.Status.CANCELLED)


class VolunteerEvent(models.Model):
    """志愿服务活动: one volunteer activity at a time and place."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("title"), max_length=80)
    kind = models.ForeignKey(EventKind, verbose_name=pgettext_lazy("event", "kind"), on_delete=models.PROTECT, related_name="events")
    project = models.ForeignKey(
        ServiceProject, verbose_name=_("service project"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("organising team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("organising unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    starts_at = models.DateTimeField(_("starts at"), validators=[validate_moment])
    ends_at = models.DateTimeField(_("ends at"), validators=[validate_moment])
    place = models.CharField(_("place"), max_length=100)
    grid_cell = models.ForeignKey(
        "grid.GridCell", verbose_name=_("grid cell"), on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Most volunteers who can sign up; empty for no limit.")
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    residents_served = models.PositiveIntegerField(_("residents served"), default=0)
    special_groups = models.JSONField(_("special groups served"), default=list, blank=True)
    photo = models.FileField(_("photo"), upload_to=private_upload_path("events"), blank=True, max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    checkin_code = models.CharField(_("check-in code"), max_length=8, unique=True, default=new_checkin_code, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = VolunteerEventQuerySet.as_manager()
    # The check-in code is a shared secret shown at the venue: not copied into the history.
    history = HistoricalRecords(excluded_fields=["checkin_code"])

    class Meta:
        verbose_name = _("volunteer event")
        verbose_name_plural = _("volunteer events")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=["planned", "done", "cancelled"]), name="event_status_valid"),
        ]
        indexes = [
            models.Index(fields=["community", "starts_at"]),
            models.Index(fields=["community", "status", "starts_at"]),
            models.Index(fields=["community", "kind", "starts_at"]),
            models.Index(fields=["project", "starts_at"]),
            models.Index(fields=["team", "starts_at"]),
            models.Index(fields=["grid_cell", "starts_at"]),
            # An area admin's list of every community's events, newest first (-starts_at, -pk).
            models.Index(fields=["starts_at", "id"]),
            # The calendar: events ending from a month ago on (without it the whole table
            # was walked in start order to find them: 63 -> 25 ms at county scale).
            models.Index(fields=["ends_at"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("volunteers:event_detail", args=[self.pk])

    @property
    def duration_hours(self):
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)

    def checkin_window(self):
        """Members may check in from 2 hours before the start to 2 hours after the end."""
        margin = datetime.timedelta(hours=2)
        return self.starts_at - margin, self.ends_at + margin


class ParticipationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def attended(self):
        return self.filter(checked_in_at__isnull=False)

    def approved(self):
        return self.filter(hours_approved_at__isnull=False)


class Participation(models.Model):
    """One person at one event: sign-up, attendance and hours."""

    class CheckInBy(models.TextChoices):
        SELF = "self", _("Checked in with the code")
        STAFF = "staff", _("Ticked by staff")

    event = models.ForeignKey(VolunteerEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey("grid.PartyMember", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="participations")
    signed_up_at = models.DateTimeField(_("signed up at"), null=True, blank=True, validators=[validate_moment])
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, validators=[validate_moment])
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, validators=[validate_moment])
    checked_in_by = models.CharField(_("checked in"), max_length=8, choices=CheckInBy.choices, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    hours_approved_at = models.DateTimeField(_("hours approved at"), null=True, blank=True, validators=[validate_moment])
    hours_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("hours approved by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["event", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="participation_once_per_event"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0, hours__lte=24), name="participation_hours_range"),
            models.CheckConstraint(
                condition=Q(hours_approved_at__isnull=True) | Q(hours__isnull=False, checked_in_at__isnull=False),
                name="participation_approved_needs_hours",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "checked_in_at"]),
            models.Index(fields=["event", "withdrawn_at"]),
            models.Index(fields=["hours_approved_at"]),
            # The to-do "hours awaiting approval": attended, not approved yet (few rows in
            # practice; read without the table: 364 -> 133 ms over a city's 243,000 in the
            # city data set on PostgreSQL).
            models.Index(
                fields=["event"],
                condition=Q(checked_in_at__isnull=False, hours_approved_at__isnull=True),
                name="participation_awaiting_hours",
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.event}"

    @classmethod
    def from_db(cls, db, field_names, values):
        # The event it was loaded with: moved to another event (admin), both are recounted (tallies).
        participation = super().from_db(db, field_names, values)
        participation.loaded_event_id = participation.__dict__.get("event_id")
        return participation


class EventTally(models.Model):
    """An event's attendances and approved hours, kept by volunteers.tallies whenever one of
    its participations changes, so that a period's figures sum one row per event instead of
    reading every participation (a city's year: 560,000 rows, 250 ms, the slowest part of
    the city dashboard). Not the event's own columns: saving an event form must never write
    back counts read before a check-in. An event without participations may have no row."""

    event = models.OneToOneField(
        VolunteerEvent, verbose_name=_("event"), on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    attendances = models.PositiveIntegerField(_("attendances"), default=0)
    approved_hours = models.DecimalField(_("approved hours"), max_digits=9, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("event tally")
        verbose_name_plural = _("event tallies")
        constraints = [models.CheckConstraint(condition=Q(approved_hours__gte=0), name="tally_hours_not_negative")]

    def __str__(self):
        return str(self.event)


class PointsRule(models.Model):
    """How many points a community gives per approved hour and per fulfilled wish."""

    community = models.OneToOneField("portal.Community", verbose_name=_("community"), on_delete=models.CASCADE, related_name="points_rule")
    points_per_hour = models.DecimalField(_("points per hour"), max_digits=6, decimal_places=1, default=10, validators=[MinValueValidator(0)])
    points_per_wish = models.DecimalField(_("points per fulfilled wish"), max_digits=6, decimal_places=1, default=20, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")

    def __str__(self):
        return str(self.community)


class PointsEntry(models.Model):
    """One line of a member's points ledger; the balance is their sum."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Volunteer hours")
        WISH = "wish", _("Fulfilled wish")
        ADJUSTMENT = "adjustment", _("Adjustment")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="points_entries")
    member = models.ForeignKey("grid.PartyMember", verbose_name=_("party member"), on_delete=models.PROTECT, related_name="points_entries")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    participation = models.OneToOneField(
        Participation, verbose_name=_("participation"), on_delete=models.PROTECT, null=True, blank=True, related_name="points_entry"
    )
    wish = models.ForeignKey(
        "wishes.MicroWish", verbose_name=_("micro-wish"), on_delete=models.PROTECT, null=True, blank=True, related_name="points_entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now, validators=[validate_moment])

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["wish", "member"], condition=Q(wish__isnull=False), name="points_once_per_wish"),
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""), name="points_adjustment_has_reason"
            ),
            models.CheckConstraint(condition=~Q(kind="event") | Q(participation__isnull=False), name="points_event_has_participation"),
            models.CheckConstraint(condition=~Q(kind="wish") | Q(wish__isnull=False), name="points_wish_has_wish"),
        ]
        indexes = [models.Index(fields=["member", "created_at"]), models.Index(fields=["community", "created_at"])]

    def __str__(self):
        return f"{self.member}: {self.points}"


class SpecialGroupCaseQuerySet(CommunityScopedQuerySet):
    def for_user(self, user):
        """Sensitive personal information (敏感个人信息: disability, illness, minors,
        low income): the office of the case's community sees its cases; anyone
        else only the cases assigned to them (`assigned_to`); liaisons, auditors
        and residents none."""
        qs = super().for_user(user)
        if not user.is_authenticated or user.can("volunteers.see_all_cases"):
            return qs
        if user.can("volunteers.look_after_cases"):
            return qs.filter(assigned_to=user)
        return qs.none()

    def in_community_of(self, user):
        """The cases of the user's community, whoever they are assigned to: the
        lookup that tells "not yours" (403) from "not in your community" (404)."""
        return super().for_user(user)




class SpecialGroupCase(models.Model):
    """民生实事: a concrete problem of a resident in a special group, taken on and solved.

    The records hold sensitive personal information: see `SpecialGroupCaseQuerySet.for_user`."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("case", "In progress")
        SOLVED = "solved", _("Solved")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="special_cases")
    group = models.CharField(_("special group"), max_length=16, choices=SpecialGroup.choices)
    resident_name = models.CharField(_("resident's name"), max_length=30)
    resident_phone = models.CharField(_("resident's phone"), max_length=20, blank=True)
    grid_cell = models.ForeignKey(
        "grid.GridCell", verbose_name=_("grid cell"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    address_detail = models.CharField(_("address detail"), max_length=100, blank=True)
    problem = models.CharField(_("problem"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    taken_by_member = models.ForeignKey(
        "grid.PartyMember", verbose_name=_("taken on by member"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    taken_by_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("taken on by unit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    taken_by_team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("taken on by team"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, validators=[validate_day])
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[validate_day])
    solved_on = models.DateField(_("solved on"), null=True, blank=True, validators=[validate_day])
    action_taken = models.TextField(_("what was done"), max_length=2000, blank=True)
    event = models.ForeignKey(
        VolunteerEvent, verbose_name=_("related event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    wish = models.ForeignKey(
        "wishes.MicroWish", verbose_name=_("related wish"), on_delete=models.SET_NULL, null=True, blank=True, related_name="special_cases"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        help_text=_("The grid worker or party member who looks after the case. Only they and the community office see it."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    anonymised_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The resident's name, phone and address were removed (services.cases_anonymise)."),
    )

    objects = SpecialGroupCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("special-group case")
        verbose_name_plural = _("special-group cases")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="solved") | Q(solved_on__isnull=False), name="case_solved_has_date"
            ),
            models.CheckConstraint(
                condition=Q(solved_on__isnull=True) | Q(solved_on__gte=F("opened_on")), name="case_solved_after_opened"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "solved"]), name="case_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "opened_on"]),
            models.Index(fields=["community", "group"]),
            models.Index(fields=["community", "solved_on"]),
        ]

    def __str__(self):
        return self.problem

    def get_absolute_url(self):
        return reverse("volunteers:case_detail", args=[self.pk])
