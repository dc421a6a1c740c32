"""WSGI entry point (gunicorn portal.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

from portal.settings import check_production_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
check_production_secret_key()  # the server does not start with DEBUG off and no real key
application = get_wsgi_application()
