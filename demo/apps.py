from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo community of the story (seed_demo) and the synthetic scale data."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demo data"
