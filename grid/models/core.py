import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.access import scope_to_community
from portal.activity import (
    CountsWhileActive,
    active_dates_constraint,
    active_on,
    inactive_since_field,
    not_yet_inactive,
)
from portal.dates import validate_day
from portal.models import Community
from portal.permissions import Reach, reach
from portal.validators import mobile_validator, phone_validator


def _grid_worker_cells(user):
    return GridCell.objects.filter(Q(leader=user) | Q(workers=user)).values("pk")


class GridCellQuerySet(models.QuerySet):
    def for_user(self, user):
        qs = scope_to_community(self, user)
        if reach(user) is Reach.CELLS:
            qs = qs.filter(pk__in=_grid_worker_cells(user))
        return qs


class GridCell(models.Model):
    """网格: a block of households with a grid leader and grid workers."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="grid_cells"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=50)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_grid_cells",
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("grid workers"), blank=True, related_name="grid_cells"
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)
    boundary = models.TextField(_("boundary"), blank=True)

    objects = GridCellQuerySet.as_manager()

    class Meta:
        verbose_name = _("grid cell")
        verbose_name_plural = _("grid cells")
        ordering = ["community", "number"]
        constraints = [
            models.UniqueConstraint(fields=["community", "number"], name="gridcell_unique_number"),
            models.UniqueConstraint(fields=["community", "name"], name="gridcell_unique_name"),
            models.CheckConstraint(condition=Q(number__gte=1), name="gridcell_number_positive"),
        ]

    def __str__(self):
        return _("Grid %(number)s · %(name)s") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        return reverse("grid:gridcell_detail", args=[self.pk])

    def clean(self):
        if self.leader_id and self.leader.community_id != self.community_id:
            raise ValidationError({"leader": _("The grid leader must belong to this community.")})


class BuildingQuerySet(models.QuerySet):
    def for_user(self, user):
        qs = scope_to_community(self, user, field="grid_cell__community")
        if reach(user) is Reach.CELLS:
            qs = qs.filter(grid_cell__in=_grid_worker_cells(user))
        return qs


class Building(models.Model):
    """楼院 / 楼栋: a courtyard or building inside a grid cell."""

    grid_cell = models.ForeignKey(
        GridCell, verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=50)
    households = models.PositiveIntegerField(_("households"), default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["grid_cell", "name"]
        constraints = [
            models.UniqueConstraint(fields=["grid_cell", "name"], name="building_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:building_detail", args=[self.pk])

    @property
    def community_id(self):
        # None before a grid cell is chosen (a form sent without one).
        return self.grid_cell.community_id if self.grid_cell_id else None


class Tag(models.Model):
    """A free label: a unit's resources (场地, 资金, 医疗) or a member's skills (维修, 法律)."""

    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CoBuildingUnitQuerySet(models.QuerySet):
    def for_user(self, user):
        qs = scope_to_community(self, user)
        if reach(user) is Reach.UNIT:
            qs = qs.filter(pk=user.unit_id)
        return qs

    def co_building_as_of(self, day: datetime.date):
        """Units co-building on `day`: agreement signed by then, not yet left (portal.activity)."""
        return active_on(self, day)

    def listed_on(self, day: datetime.date):
        """Units the lists by unit and the feedback sheets show for a period ending on
        `day`: not yet inactive then, and co-building by then or without an agreement
        date (an employer of members whose agreement is not recorded)."""
        signed = Q(agreement_signed_on__lte=day) | Q(agreement_signed_on__isnull=True)
        return self.filter(signed, not_yet_inactive(day))


class CoBuildingUnit(CountsWhileActive, models.Model):
    """共驻共建单位: an organisation that signed a co-building agreement."""

    active_from_field = "agreement_signed_on"

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Government agency")
        INSTITUTION = "institution", _("Public institution")
        SCHOOL = "school", _("School")
        HOSPITAL = "hospital", _("Hospital")
        STATE_FIRM = "state_firm", _("State-owned firm")
        PRIVATE_FIRM = "private_firm", _("Private firm")
        SOCIAL_ORG = "social_org", _("Social organisation")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    party_organization = models.CharField(_("party organisation"), max_length=100, blank=True)
    liaison_name = models.CharField(_("liaison"), max_length=50, blank=True)
    liaison_phone = models.CharField(
        _("liaison phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True, validators=[validate_day])
    resources = models.TextField(_("resources offered"), blank=True)
    resource_tags = models.ManyToManyField(
        Tag, verbose_name=_("resource tags"), blank=True, related_name="units"
    )
    reported_on = models.DateField(
        _("unit reported on"),
        null=True,
        blank=True,
        help_text=_("Date the unit's party organisation reported to the community (单位报到)."),
        validators=[validate_day],
    )
    commitments = models.TextField(_("service commitments"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    inactive_since = inactive_since_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CoBuildingUnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("co-building unit")
        verbose_name_plural = _("co-building units")
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="unit_unique_name"),
            active_dates_constraint("unit_inactive_since_when_inactive"),
        ]
        indexes = [
            models.Index(fields=["community", "kind"]),
            models.Index(fields=["community", "is_active", "agreement_signed_on"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:unit_detail", args=[self.pk])


class PartyMemberQuerySet(models.QuerySet):
    def for_user(self, user):
        qs = scope_to_community(self, user)
        if not user.is_authenticated:
            return qs
        if reach(user) is Reach.CELLS:
            qs = qs.filter(grid_cell__in=_grid_worker_cells(user))
        elif reach(user) is Reach.UNIT:
            qs = qs.filter(employer_unit_id=user.unit_id) if user.unit_id else qs.none()
        elif reach(user) is Reach.OWN:
            qs = qs.filter(user=user)
        return qs

    def registered_as_of(self, day: datetime.date):
        """Members registered by `day` and not yet inactive then (portal.activity)."""
        return active_on(self, day)

    def reporting_summary(self, day: datetime.date | None = None, *, group_by=None):
        """Registered and reported members, and the rate, as of `day` (today by default);
        with `group_by` ("community_id"), {group: summary} from one GROUP BY query.

        Counted by the database; the rate is never stored.
        """
        from portal.periods import aggregate

        day = day or timezone.localdate()
        result = aggregate(
            self.registered_as_of(day),
            group_by,
            registered=Count("pk"),
            reported=Count("pk", filter=Q(reported_on__lte=day)),
        )
        for counts in result.values() if group_by else [result]:
            registered, reported = counts["registered"], counts["reported"]
            counts["rate"] = reported / registered if registered else 0.0
        return result


class PartyMember(CountsWhileActive, models.Model):
    """在职党员: a party member employed elsewhere who lives in the community."""

    active_from_field = "registered_on"

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Source(models.TextChoices):
        STAFF = "staff", _("Entered by staff")
        SELF = "self", _("Registered online")
        IMPORT = "import", _("Imported from Excel")

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    phone = models.CharField(_("mobile phone"), max_length=11, validators=[mobile_validator])
    employer_unit = models.ForeignKey(
        CoBuildingUnit,
        verbose_name=_("employer (co-building unit)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    employer_name = models.CharField(
        _("employer (other)"),
        max_length=100,
        blank=True,
        help_text=_("When the employer is not a co-building unit."),
    )
    grid_cell = models.ForeignKey(
        GridCell,
        verbose_name=_("home grid cell"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("home building"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    skills = models.ManyToManyField(Tag, verbose_name=_("skills"), blank=True, related_name="members")
    joined_party_year = models.PositiveSmallIntegerField(
        _("joined the party in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1921), MaxValueValidator(2100)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    inactive_since = inactive_since_field()
    source = models.CharField(_("registered by"), max_length=10, choices=Source.choices, default=Source.STAFF)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate, validators=[validate_day])
    reported_on = models.DateField(
        _("reported on"), null=True, blank=True, help_text=_("Date the community confirmed the report (报到日期)."), validators=[validate_day]
    )
    reported_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("report confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="party_member",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PartyMemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("in-service party member")
        verbose_name_plural = _("in-service party members")
        ordering = ["community", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["community", "phone"], name="member_unique_phone"),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True) | Q(reported_on__gte=F("registered_on")),
                name="member_reported_after_registered",
            ),
            models.CheckConstraint(
                condition=Q(joined_party_year__isnull=True)
                | Q(joined_party_year__gte=1921, joined_party_year__lte=2100),
                name="member_joined_year_range",
            ),
            active_dates_constraint("member_inactive_since_when_inactive"),
        ]
        indexes = [
            models.Index(fields=["community", "reported_on"]),
            models.Index(fields=["community", "registered_on"]),
            models.Index(fields=["community", "grid_cell"]),
            models.Index(fields=["community", "employer_unit"]),
            models.Index(fields=["community", "name"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:member_detail", args=[self.pk])

    @property
    def is_reported(self):
        return self.reported_on is not None

    @property
    def employer_display(self):
        return self.employer_unit.name if self.employer_unit_id else self.employer_name

    def clean(self):
        super().clean()
        errors = {}
        community_id = self.community_id
        if self.employer_unit_id and self.employer_unit.community_id != community_id:
            errors["employer_unit"] = _("This unit belongs to another community.")
        if self.grid_cell_id and self.grid_cell.community_id != community_id:
            errors["grid_cell"] = _("This grid cell belongs to another community.")
        if self.building_id:
            if self.grid_cell_id and self.building.grid_cell_id != self.grid_cell_id:
                errors["building"] = _("This building is not in the chosen grid cell.")
            elif self.building.grid_cell.community_id != community_id:
                errors["building"] = _("This building belongs to another community.")
        if self.reported_on and self.registered_on and self.reported_on < self.registered_on:
            errors["reported_on"] = _("The report cannot be confirmed before the registration date.")
        if errors:
            raise ValidationError(errors)
