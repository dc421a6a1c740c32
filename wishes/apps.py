from django.apps import AppConfig


class WishesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wishes"
