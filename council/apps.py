from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "council"
    verbose_name = _("Deliberation hall and red property management")

    def ready(self):
        # An appeal that concerns many residents becomes a topic (grid.handlers).
        from grid import handlers

        from .services import topic_from_appeal

        handlers.register("appeal_to_topic", topic_from_appeal)
