# Load the Celery application with Django, so that @shared_task binds to it
# (and to its settings: eager without a broker).
from .celery import app as celery_app

__all__ = ("celery_app",)
