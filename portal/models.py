from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_moment
from portal.validators import phone_validator


class AreaQuerySet(models.QuerySet):
    def within(self, area):
        """`area` and the areas below it (None: all)."""
        return self if area is None else self.filter(path__startswith=area.path)


class Area(models.Model):
    """An area above communities: city (市) > district (区/县) > street (街道/镇).

    Communities sit in a street; an area admin may be given an area and then sees
    the communities of its subtree only. `path` ("<root code>/<child code>/.../")
    is kept by save() so that a subtree is one indexed prefix lookup
    (`path__startswith`; `Community.objects.in_area(area)`).
    """

    class Level(models.TextChoices):
        CITY = "city", _("City")
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")

    LEVEL_ORDER = {Level.CITY: 0, Level.DISTRICT: 1, Level.STREET: 2}

    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(_("code"), max_length=30, unique=True, help_text=_("Short Latin code, e.g. linze."))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="area_unique_name_in_parent"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="area_not_own_parent"),
        ]
        indexes = [models.Index(fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.name

    def contains(self, other) -> bool:
        """Whether `other` (an area) is this area or lies below it."""
        return other.path.startswith(self.path)

    def clean(self):
        if self.parent_id is None:
            return
        parent = self.parent
        if self.LEVEL_ORDER.get(parent.level, 0) >= self.LEVEL_ORDER.get(self.level, 0):
            raise ValidationError({"parent": _("A %(level)s lies in an area of a higher level.") % {"level": self.get_level_display()}})
        if self.pk and parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("An area cannot lie inside itself.")})

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved or renamed: the subtree's paths follow.
            from django.db.models.functions import Concat, Substr

            Area.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(models.Value(self.path), Substr("path", len(old_path) + 1))
            )


class CommunityQuerySet(models.QuerySet):
    def for_user(self, user):
        from portal.access import scope_to_community

        return scope_to_community(self, user, field="pk")

    def in_area(self, area):
        """The communities of `area`'s subtree (None: all)."""
        return self if area is None else self.filter(area__path__startswith=area.path)

    def ids(self) -> list[int]:
        """The ids, in order: a report scope's `community_ids`."""
        return list(self.order_by("pk").values_list("pk", flat=True))


class Community(models.Model):
    """社区: the unit of administration. Every other record belongs to one."""

    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(
        _("code"), max_length=30, unique=True, help_text=_("Short Latin code, e.g. shahejie.")
    )
    area = models.ForeignKey(
        Area,
        verbose_name=_("street"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
        help_text=_("The street (街道) the community belongs to; area admins of it and of the areas above it see the community."),
    )
    town = models.CharField(_("town / street"), max_length=50)
    county = models.CharField(_("county"), max_length=50)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=20, blank=True, validators=[phone_validator])
    wish_review_days = models.PositiveSmallIntegerField(
        _("days to review a wish"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A wish is responded to in time if published or turned down within this many days of its submission."),
    )
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
    complex_answer_days = models.PositiveSmallIntegerField(
        _("days to answer a complex appeal"),
        default=15,
        validators=[MinValueValidator(1)],
        help_text=_("An appeal marked complex may take this long (Beijing 12345 practice: 15 days)."),
    )
    respond_hours = models.PositiveSmallIntegerField(
        _("hours to respond to an appeal"),
        default=24,
        validators=[MinValueValidator(1)],
        help_text=_("An appeal is responded to in time if assigned or answered within this many hours of its receipt."),
    )
    urgent_respond_hours = models.PositiveSmallIntegerField(
        _("hours to respond to an urgent appeal"),
        default=2,
        validators=[MinValueValidator(1)],
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


def role_constraints(prefix: str) -> list:
    """What a role needs, for the account's current role and for each role it holds
    (RoleGrant) alike: a community, except area admins and auditors; a unit only
    for liaisons; an area only for area admins."""
    return [
        models.CheckConstraint(
            condition=Q(role__in=["area_admin", "auditor"]) | Q(community__isnull=False),
            name=f"{prefix}_community_required_unless_area_admin",
        ),
        models.CheckConstraint(condition=Q(role="liaison") | Q(unit__isnull=True), name=f"{prefix}_unit_only_for_liaison"),
        models.CheckConstraint(condition=Q(role="area_admin") | Q(area__isnull=True), name=f"{prefix}_area_only_for_area_admin"),
    ]


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
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="admins",
        help_text=_("For area admins: the city, district or street they administer (empty: every community)."),
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
            *role_constraints("user"),
            # Django admin shows every community: not for an admin limited to an area.
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(is_staff=False, is_superuser=False),
                name="user_area_admin_without_django_admin",
            ),
        ]
        indexes = [models.Index(fields=["community", "role"])]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.area_id and (self.is_staff or self.is_superuser):
            raise ValidationError(
                {"area": _("Django admin shows every community: an area admin limited to an area cannot have it (untick staff status and superuser).")}
            )

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is None or {"role", "community", "unit", "area"} & set(fields):
            RoleGrant.current_of(self)  # the role acted in is always one of the person's roles

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


class RoleGrant(models.Model):
    """A role a person holds, besides or instead of the one they act in now.

    One account, several roles: staff of one community and a party member of
    another, or a grid worker who is also a member. The user's own role,
    community, unit and area are the role they act in now; they switch to another
    of their grants on "My roles" (/accounts/roles/), which copies the grant onto
    the account (portal.identity.switch_role), so that every permission check
    reads one role, as before. Saving a user keeps a grant of their current role.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=User.Role.choices)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("co-building unit"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    FIELDS = ("role", "community_id", "unit_id", "area_id")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["user", "pk"]
        constraints = [
            *role_constraints("rolegrant"),
            models.UniqueConstraint(fields=["user", "role", "community", "unit", "area"], name="rolegrant_unique"),
        ]
        indexes = [models.Index(fields=["community", "role"], name="rolegrant_community_role")]

    def __str__(self):
        where = self.area or self.community
        return f"{self.get_role_display()} · {where}" if where else self.get_role_display()

    def matches(self, user) -> bool:
        return all(getattr(self, name) == getattr(user, name) for name in self.FIELDS)

    @classmethod
    def current_of(cls, user):
        """The grant of the role the user acts in now (created if missing)."""
        values = {name: getattr(user, name) for name in cls.FIELDS}
        grant = cls.objects.filter(user=user, **values).first()
        return grant or cls.objects.create(user=user, **values)
