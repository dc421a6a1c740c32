from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "council"
    verbose_name = _("Deliberation hall and red property management")
