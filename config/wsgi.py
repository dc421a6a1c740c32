"""WSGI entry point (gunicorn config.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

from config.settings import check_production_secret_key
from portal.middleware import LazyQueryRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
check_production_secret_key()  # the server does not start with DEBUG off and no real key
application = get_wsgi_application()
# A query string read in the charset the request names when middleware first asks, not while
# Django builds the request: 400 rather than a 500 when it cannot be (the test client's handler
# builds its requests with Django's class).
application.request_class = LazyQueryRequest
