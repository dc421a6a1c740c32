"""Brief caching of report figures, never stale after a change.

Report pages ask for the same aggregates again and again (every visit of the
dashboard); they change only when someone changes a record. Every cached value
is keyed by a data version that `bump()` renews; `FiguresVersionMiddleware`
bumps it after every request that may change data (POST, PUT, PATCH, DELETE),
so whoever saves a record sees the new figures on their next page. Changes
made outside a request (management commands, cron) show within
FIGURES_CACHE_SECONDS. The cache must be shared by the server's worker
processes for the version to reach all of them: the default file-based cache
is (see settings.CACHES).
"""

import functools
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import get_language

VERSION_KEY = "figures:version"


def bump() -> str:
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def data_version() -> str:
    return cache.get(VERSION_KEY) or bump()


def cached(name: str, compute, *key_parts):
    """`compute()`'s value, from the cache while the data version holds."""
    if settings.FIGURES_CACHE_SECONDS <= 0:
        return compute()
    # The parts hashed: they may hold a visitor's text (a period's message, a community
    # code), which must neither lengthen the key nor put spaces in it (memcached, Redis).
    parts = hashlib.sha256("\x1f".join(str(part) for part in key_parts).encode()).hexdigest()[:32]
    key = ":".join(["figures", data_version(), name, parts])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.FIGURES_CACHE_SECONDS)
    return value


def cached_html(name: str, template_name: str, context, request, *key_parts) -> str:
    """`template_name` rendered with `context()`, from the cache while the data
    version, the language and `key_parts` hold. Neither the context nor the
    markup is built on a hit: for fragments that are the same for many
    requests and hold no CSRF token (the dashboard's cards, the wish wall)."""
    return cached(name, lambda: render_to_string(template_name, context(), request), get_language(), *key_parts)


def reads_only(view):
    """Marks a view whose POSTs change no record (a preview, a download), so that
    they leave the cached figures alone."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.reads_only = True
        return view(request, *args, **kwargs)

    return wrapped


class FiguresVersionMiddleware:
    """Renews the data version after any request that may have changed records."""

    UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and not getattr(request, "reads_only", False):
            bump()
        return response
