"""The foundation's own pages: the language switch, the health check and the error pages."""

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.outage import is_unreachable
from portal.views_helpers import is_local_url, safe_next

logger = logging.getLogger(__name__)

def set_language(request):
    """The language switcher (templates/base.html), as Django's set_language: POST
    `language` keeps the choice in a cookie (portal.middleware.ChosenLanguageMiddleware
    reads it). Back to `next`, else the page it was on, only if safe_next accepts it."""
    referer = request.META.get("HTTP_REFERER", "")
    response = redirect(safe_next(request, fallback=referer if is_local_url(request, referer) else "/"))
    language = request.POST.get("language")
    if language and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_GET
@never_cache
def healthz(request):
    """200 once the database answers a query; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_400(request, exception=None):
    """The 400 page, rendered without reading the request's form: that may be what
    could not be read (portal.middleware.UnreadableFormMiddleware). Django's own 400
    view checks the CSRF token, and so reads the form again."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def error_500(request):
    """The 500 page; or 503 ("try again in a moment") when what failed is a service the
    portal shares between its hosts being out of reach, Redis (sessions, caches, rate
    limits, with REDIS_URL): that is an outage to wait out, not a fault of the page
    (portal.outage). Rendered without a request context, like Django's own 500 view."""
    if is_unreachable(sys.exc_info()[1]):
        logger.error("A shared service (Redis) is out of reach: answered 503")
        return HttpResponse(loader.render_to_string("503.html"), status=503, headers={"Retry-After": "30"})
    return HttpResponseServerError(loader.render_to_string("500.html"))


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
