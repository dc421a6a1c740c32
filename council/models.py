"""The red deliberation hall (红色议事厅), red property management (红色物业)
and the proxy service window (代办窗口)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.access import scope_to_community
from portal.dates import validate_day
from portal.validators import phone_validator


class CommunityScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        return scope_to_community(self, user)


class TopicQuerySet(CommunityScopedQuerySet):
    def public(self):
        """What the public page shows: everything but proposals not yet taken up."""
        return self.exclude(status=Topic.Status.PROPOSED)


class Topic(models.Model):
    """A matter residents raise (parking, merging small compounds, ...) that is
    deliberated in open sessions until it is settled or dropped.

    proposed → deliberating → agreed → being carried out → settled
          (any step before settled may be dropped)
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DELIBERATING = "deliberating", _("Deliberating")
        AGREED = "agreed", _("Agreed")
        IMPLEMENTING = "implementing", _("Being carried out")
        SETTLED = "settled", _("Settled")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        APPEAL = "appeal", _("A resident's appeal")
        VISIT = "visit", _("A door-knocking visit")
        BENCH = "bench", _("Bench talk")
        COURTYARD = "courtyard", _("Courtyard evening")
        PROPERTY = "property", _("Property company")
        STAFF = "staff", _("Community staff")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("topic"), max_length=80)
    description = models.TextField(_("description"), max_length=3000, help_text=_("Shown on the public page: no personal data."))
    source = models.CharField(_("raised through"), max_length=10, choices=Source.choices)
    grid_cells = models.ManyToManyField("grid.GridCell", verbose_name=_("grid cells concerned"), blank=True, related_name="topics")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField(_("proposed on"), default=timezone.localdate, validators=[validate_day])
    deliberating_on = models.DateField(_("deliberation began on"), null=True, blank=True, validators=[validate_day])
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True, validators=[validate_day])
    implementing_on = models.DateField(_("carrying out began on"), null=True, blank=True, validators=[validate_day])
    settled_on = models.DateField(_("settled on"), null=True, blank=True, validators=[validate_day])
    dropped_on = models.DateField(_("dropped on"), null=True, blank=True, validators=[validate_day])
    outcome = models.TextField(
        _("outcome"), max_length=3000, blank=True, help_text=_("What was decided and done; shown on the public page.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliberation topic")
        verbose_name_plural = _("deliberation topics")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="settled") | Q(settled_on__isnull=False), name="topic_settled_has_date"),
            models.CheckConstraint(condition=~Q(status="dropped") | Q(dropped_on__isnull=False), name="topic_dropped_has_date"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "deliberating", "agreed", "implementing", "settled", "dropped"]),
                name="topic_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "proposed_on"]),
            models.Index(fields=["community", "settled_on"]),
            models.Index(fields=["community", "source"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("council:topic_detail", args=[self.pk])


class Session(models.Model):
    """One open deliberation: a bench talk, a courtyard evening, a hall meeting."""

    class Form(models.TextChoices):
        BENCH = "bench", _("Bench talk (民声板凳)")
        COURTYARD = "courtyard", _("Courtyard evening (楼院夜话)")
        HALL = "hall", _("Hall meeting")
        OTHER = "other", _("Other")

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"), validators=[validate_day])
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    place = models.CharField(_("place"), max_length=100)
    residents_count = models.PositiveIntegerField(_("residents taking part"), default=0)
    representatives = models.TextField(
        _("residents' representatives"), max_length=1000, blank=True, help_text=_("Names; staff only, never public.")
    )
    members = models.ManyToManyField("grid.PartyMember", verbose_name=_("party members"), blank=True, related_name="sessions")
    units = models.ManyToManyField("grid.CoBuildingUnit", verbose_name=_("units"), blank=True, related_name="sessions")
    property_company = models.ForeignKey(
        "council.PropertyCompany", verbose_name=_("property company"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="sessions",
    )
    minutes = models.TextField(_("minutes"), max_length=5000, blank=True, help_text=_("Staff only."))
    decision = models.TextField(_("decision"), max_length=2000, blank=True, help_text=_("Shown on the public page."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deliberation session")
        verbose_name_plural = _("deliberation sessions")
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["topic", "held_on"]), models.Index(fields=["held_on", "form"])]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.get_form_display()}"


class PropertyCompany(models.Model):
    """A property company serving the community under the party organisation's lead (红色物业)."""

    community = models.ForeignKey(
        "portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="property_companies"
    )
    name = models.CharField(_("name"), max_length=100)
    party_unit = models.ForeignKey(
        "grid.CoBuildingUnit", verbose_name=_("linked co-building unit"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="property_companies",
    )
    party_organization = models.CharField(_("party organisation"), max_length=100, blank=True)
    compounds = models.ManyToManyField("grid.Building", verbose_name=_("compounds managed"), blank=True, related_name="property_companies")
    window_place = models.CharField(_("proxy window"), max_length=100, blank=True, help_text=_("Where residents find the proxy window."))
    window_hours = models.CharField(_("window opening hours"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=30, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("property company")
        verbose_name_plural = _("property companies")
        ordering = ["community", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="property_company_unique_name")]
        indexes = [models.Index(fields=["community", "is_active"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("council:company_detail", args=[self.pk])


class ProxyService(models.Model):
    """代办: a resident's errand handled at a property company's window or by staff."""

    class Kind(models.TextChoices):
        PAPERWORK = "paperwork", _("Certificates and paperwork")
        PAYMENT = "payment", _("Bills and payments")
        SOCIAL = "social", _("Social security and pensions")
        SUBSIDY = "subsidy", _("Subsidies for the elderly or disabled")
        REPAIR = "repair", _("Repair requests")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("Being handled")
        DONE = "done", _("Done")

    community = models.ForeignKey("portal.Community", verbose_name=_("community"), on_delete=models.PROTECT, related_name="proxy_services")
    company = models.ForeignKey(
        PropertyCompany, verbose_name=_("at the window of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="proxy_services", help_text=_("Empty when community staff handled it."),
    )
    kind = models.CharField(_("errand"), max_length=10, choices=Kind.choices)
    description = models.CharField(_("details"), max_length=300, blank=True)
    resident_name = models.CharField(_("resident's name"), max_length=30)
    resident_phone = models.CharField(_("resident's phone"), max_length=20, blank=True, validators=[phone_validator])
    building = models.ForeignKey(
        "grid.Building", verbose_name=_("building"), on_delete=models.SET_NULL, null=True, blank=True, related_name="proxy_services"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handled by (account)"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    handled_by_name = models.CharField(_("handled by"), max_length=30, blank=True, help_text=_("e.g. the window clerk's name"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    received_on = models.DateField(_("received on"), default=timezone.localdate, validators=[validate_day])
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=[validate_day])
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    anonymised_at = models.DateTimeField(
        _("personal data removed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The resident's name, phone and building were removed (services.proxies_anonymise)."),
    )

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proxy service")
        verbose_name_plural = _("proxy services")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False), name="proxy_done_has_date"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=models.F("received_on")), name="proxy_done_after_received"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "received_on"]),
            models.Index(fields=["community", "status"]),
            models.Index(fields=["company", "received_on"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.resident_name}"

    def get_absolute_url(self):
        return reverse("council:proxy_detail", args=[self.pk])
