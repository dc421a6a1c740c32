from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    """What reads every app: the dashboard, reports, the work summary, the units'
    feedback sheets, exports, the resident's data requests, backups."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "office"
    verbose_name = _("Community office")
