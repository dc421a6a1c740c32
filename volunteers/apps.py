from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "volunteers"
    verbose_name = _("Volunteer service")

    def ready(self):
        # The apps below hand work over through signals and handlers (README "Architecture").
        from grid import handlers
        from wishes.signals import wish_fulfilled

        from .models import SpecialGroup
        from .services import case_from_visit, points_on_fulfilled

        handlers.register("visit_to_case", case_from_visit)
        handlers.register("special_group_choices", lambda: SpecialGroup.choices)
        wish_fulfilled.connect(points_on_fulfilled, dispatch_uid="volunteers.points_on_fulfilled")
