from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal and accounts")

    def ready(self):
        from portal import ids  # noqa: F401 (registers the `in` lookup of integer columns)
