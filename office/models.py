"""Exports prepared in the background: an office user asks for a large file (the
figures of a long period, every unit's feedback sheet), a worker writes it to the
media storage (shared by every host), and the user downloads it from the export
list on any host. Files are kept settings.EXPORT_KEEP_DAYS days."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.dates import validate_day, validate_moment
from portal.models import Area, Community
from portal.uploads import private_upload_path


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        FIGURES = "figures", _("Dashboard figures (Excel)")
        FEEDBACK = "feedback", _("Feedback sheets of every unit (Word)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("export"), max_length=20, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    # None: every community in the requester's reach (an area admin's roll-up).
    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # A district or street opened within an area admin's area (empty: their whole reach).
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    start = models.DateField(_("from"), validators=[validate_day])
    end = models.DateField(_("to"), validators=[validate_day])
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to=private_upload_path("exports"), blank=True, max_length=200)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, validators=[validate_moment])
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, validators=[validate_moment])

    class Meta:
        verbose_name = _("prepared export")
        verbose_name_plural = _("prepared exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="exportjob_period_in_order"),
            # A ready export has its file; nothing else has one.
            models.CheckConstraint(
                condition=Q(status="done", file__gt="") | (~Q(status="done") & Q(file="")),
                name="exportjob_file_exactly_when_done",
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_user_recent"),
            models.Index(fields=["status", "created_at"], name="exportjob_status"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("office:export_list")

    def get_download_url(self):
        return reverse("office:export_download", args=[self.pk])
