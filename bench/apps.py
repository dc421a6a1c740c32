from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark (`manage.py bench`): every page in-process, then a load run."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bench"
    verbose_name = "Benchmark"
