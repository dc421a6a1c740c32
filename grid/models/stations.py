"""Red vanguard stations (红色先锋驿站) and stairwell micro party schools (微党校)."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.access import scope_to_community
from portal.activity import (
    CountsWhileActive,
    active_dates_constraint,
    inactive_since_field,
)
from portal.dates import validate_day
from portal.permissions import Reach, reach
from portal.uploads import private_upload_path
from portal.validators import phone_validator


class StationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The community's places; a grid worker's own cells only."""
        from .core import _grid_worker_cells

        qs = scope_to_community(self, user)
        if reach(user) is Reach.CELLS:
            qs = qs.filter(grid_cell__in=_grid_worker_cells(user))
        return qs

    def with_last_update(self):
        """Annotate `last_updated_on` (the latest content update's date)."""
        return self.annotate(last_updated_on=models.Max("updates__updated_on"))


class Station(CountsWhileActive, models.Model):
    """A place with study material that staff update; also where residents meet."""

    active_from_field = "active_since"
    unknown_start_counts = True  # teams and places entered before the portal kept the day

    class Kind(models.TextChoices):
        STATION = "station", _("Red vanguard station")
        SCHOOL = "school", _("Micro party school")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="stations")
    kind = models.CharField(_("kind of place"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60)
    grid_cell = models.ForeignKey("grid.GridCell", verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="stations")
    building = models.ForeignKey(
        "grid.Building", verbose_name=_("building"), on_delete=models.SET_NULL, null=True, blank=True, related_name="stations"
    )
    location = models.CharField(_("where exactly"), max_length=100, blank=True, help_text=_("e.g. stairwell of unit 2, ground floor"))
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    update_every_days = models.PositiveSmallIntegerField(
        _("update the content every (days)"), default=30, validators=[MinValueValidator(1)],
        help_text=_("Older content shows as a to-do."),
    )
    active_since = models.DateField(
        _("open since"), null=True, blank=True, default=timezone.localdate,
        help_text=_("The place counts in reports from this day; blank: in every period until it became inactive."),
        validators=[validate_day],
    )
    is_active = models.BooleanField(_("active"), default=True)
    inactive_since = inactive_since_field()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station or micro party school")
        verbose_name_plural = _("stations and micro party schools")
        ordering = ["community", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="station_unique_name"),
            active_dates_constraint("station_inactive_since_when_inactive"),
        ]
        indexes = [models.Index(fields=["community", "kind", "is_active"]), models.Index(fields=["grid_cell"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grid:station_detail", args=[self.pk])

    def days_since(self, last_updated_on, today=None):
        if last_updated_on is None:
            return None
        return ((today or timezone.localdate()) - last_updated_on).days

    def is_stale(self, last_updated_on, today=None):
        """No content yet, or content older than `update_every_days`."""
        days = self.days_since(last_updated_on, today)
        return days is None or days > self.update_every_days


class StationUpdate(models.Model):
    """New content put up at a station or school."""

    class Kind(models.TextChoices):
        SLOGANS = "slogans", _("Slogans")
        HANDICRAFT = "handicraft", _("Handicraft")
        PAPER = "paper", _("Hand-written paper")
        COMICS = "comics", _("Comics")
        CASE = "case", _("Case study")
        POLICY = "policy", _("Policy text")
        OTHER = "other", _("Other")

    station = models.ForeignKey(Station, verbose_name=_("station or school"), on_delete=models.CASCADE, related_name="updates")
    updated_on = models.DateField(_("updated on"), default=timezone.localdate, validators=[validate_day])
    title = models.CharField(_("title"), max_length=80)
    kind = models.CharField(_("kind of content"), max_length=12, choices=Kind.choices)
    photo = models.FileField(_("photo"), upload_to=private_upload_path("stations"), blank=True, max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("content update")
        verbose_name_plural = _("content updates")
        ordering = ["-updated_on", "-pk"]
        indexes = [models.Index(fields=["station", "updated_on"])]

    def __str__(self):
        return self.title


def stale_before(days: int, today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - datetime.timedelta(days=days)
