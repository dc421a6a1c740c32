from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_moment
from portal.validators import phone_validator


class CommunityQuerySet(models.QuerySet):
    def for_user(self, user):
        from portal.access import scope_to_community

        return scope_to_community(self, user, field="pk")


class Community(models.Model):
    """社区: the unit of administration. Every other record belongs to one."""

    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("Short Latin code, e.g. shahejie.")
    )
    town = models.CharField(_("town / street"), max_length=50)
    county = models.CharField(_("county"), max_length=50)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=20, blank=True, validators=[phone_validator])
    wish_claim_days = models.PositiveSmallIntegerField(
        _("days for a wish to be claimed"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("A published wish nobody claimed for longer is overdue."),
    )
    wish_delivery_days = models.PositiveSmallIntegerField(
        _("days for a claimed wish to be delivered"),
        default=14,
        validators=[MinValueValidator(1)],
        help_text=_("A claimed wish not delivered for longer is overdue."),
    )
    appeal_answer_days = models.PositiveSmallIntegerField(
        _("days to answer an appeal"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("An appeal without an answer for longer is overdue."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when communities lived in the grid app.
        db_table = "grid_community"
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["county", "town", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "town", "name"], name="community_unique_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:community_detail", args=[self.pk])


class PortalUserManager(UserManager):
    def _create_user_object(self, username, email, password, **extra_fields):
        # A user created with a password: its age starts now (see set_password).
        if password is not None:
            extra_fields.setdefault("password_changed_at", timezone.now())
        return super()._create_user_object(username, email, password, **extra_fields)

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is the area admin: they belong to no single community.
        extra_fields.setdefault("role", User.Role.AREA_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account of the portal. Residents have none; everyone else has one.

    Every user but an area admin belongs to exactly one community.
    """

    class Role(models.TextChoices):
        AREA_ADMIN = "area_admin", _("Area admin")
        STAFF = "staff", _("Community staff")
        GRID_WORKER = "grid_worker", _("Grid worker")
        MEMBER = "member", _("Party member")
        LIAISON = "liaison", _("Unit liaison")
        # Separation of duties (等保 security audit): reads the security log, nothing else.
        AUDITOR = "auditor", _("Security auditor")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    unit = models.ForeignKey(
        "grid.CoBuildingUnit",
        verbose_name=_("co-building unit"),
        help_text=_("For unit liaisons: the unit they speak for."),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_users",
    )
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True, validators=[validate_moment])
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for an initial password given by an administrator: the user must choose their own at the next login."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["area_admin", "auditor"]) | Q(community__isnull=False),
                name="user_community_required_unless_area_admin",
            ),
            models.CheckConstraint(
                condition=Q(role="liaison") | Q(unit__isnull=True),
                name="user_unit_only_for_liaison",
            ),
        ]
        indexes = [models.Index(fields=["community", "role"])]

    def __str__(self):
        return self.full_name or self.username

    def set_password(self, raw_password):
        # Whoever sets it (the user, an administrator, a command), the password's
        # age starts now (portal/identity.py: PASSWORD_MAX_AGE_DAYS).
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    @property
    def display_name(self):
        return self.full_name or self.username

    def can(self, action, target=None):
        """May this user do `action` (on `target`)? The table: portal/permissions.py."""
        from portal.permissions import can

        return can(self, action, target)

    @property
    def is_area_admin(self):
        """Reaches every community (templates show the community column)."""
        return self.role == self.Role.AREA_ADMIN

    @property
    def is_auditor(self):
        return self.role == self.Role.AUDITOR

