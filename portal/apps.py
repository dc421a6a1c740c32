from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal and accounts")

    def ready(self):
        from django.db.backends.signals import connection_created

        from portal import (
            figures_cache,
            ids,  # noqa: F401 (registers the `in` lookup of integer columns)
        )

        # Every database connection renews the figures' data version after a change
        # to a table that feeds them, whoever makes it (portal/figures_cache.py).
        connection_created.connect(figures_cache.install_on, dispatch_uid="figures_cache_watch_writes")
