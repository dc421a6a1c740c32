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

        from django.db.models.signals import post_delete, post_save

        from . import tallies
        from .models import Participation, SpecialGroup
        from .services import case_from_visit, points_on_fulfilled

        handlers.register("visit_to_case", case_from_visit)
        handlers.register("special_group_choices", lambda: SpecialGroup.choices)
        wish_fulfilled.connect(points_on_fulfilled, dispatch_uid="volunteers.points_on_fulfilled")
        post_save.connect(tallies.on_participation_saved, sender=Participation, dispatch_uid="volunteers.tally_saved")
        post_delete.connect(tallies.on_participation_deleted, sender=Participation, dispatch_uid="volunteers.tally_deleted")
