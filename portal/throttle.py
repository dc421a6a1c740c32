"""A small rate limit for the public pages, kept in Django's cache.

    if not throttle.hit(request, "wish-submit", limit=5, window_seconds=600):
        ...  # answer 429 with throttle.too_many_submissions(600)

Counts are kept per scope and client address (`hit`), or per any other name
such as a tracking code (`hit_name`), in a sliding window: the count of the
current fixed window (`time // window_seconds`) plus the previous window's
count, weighted by the part of it that lies within the last `window_seconds`.
A client gets about `limit` attempts in any `window_seconds`, also across a
window boundary (fixed windows alone allow twice the limit there). It is meant
for slowing down floods and code guessing, not to be exact: two requests at
the same moment may both pass the last free attempt.

Three things keep the counts right on the file cache the portal runs with:
they have a cache of their own ("throttle" in settings.CACHES: the figures
cache is culled when full, which would drop them on a busy portal); a count's
expiry is written again after each `incr` (the file cache's `incr` rewrites
the entry with the cache's default timeout, 300 s, which would forget a count
in the middle of a 10-minute window); and keys name their window, so a count
never outlives it by more than the next window.

The address is the one django-axes counts (portal.middleware.client_address):
REMOTE_ADDR, or the X-Forwarded-For entry added by a proxy listed in
DJANGO_TRUSTED_PROXIES. X-Forwarded-For from anyone else is ignored: trusting
it would let a client pick a fresh address for every request.
"""

import hashlib
import time

from django.core.cache import caches
from django.utils.translation import ngettext

from portal.middleware import client_address as _proxied_address
from portal.outage import UNREACHABLE, warn

CACHE_ALIAS = "throttle"


def client_address(request) -> str:
    return _proxied_address(request) or "unknown"


def _key(scope: str, name: str, window: int) -> str:
    # Hashed: keys stay short and safe for memcached, and no address or code is stored in clear.
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}:{window}"


def _count(scope: str, name: str, window_seconds: int, add: bool) -> float:
    """The attempts in the last `window_seconds`, with this one when `add`; none while
    the counts' cache is out of reach (portal.outage: a resident's wish is not refused
    for a Redis outage)."""
    try:
        return _counted(scope, name, window_seconds, add)
    except UNREACHABLE as error:
        warn(f"rate limit {scope}", error)
        return 0


def _counted(scope: str, name: str, window_seconds: int, add: bool) -> float:
    store = caches[CACHE_ALIAS]
    window, into = divmod(time.time(), window_seconds)
    window = int(window)
    key = _key(scope, name, window)
    # A count is read during its window and the next one.
    timeout = 2 * window_seconds + 5
    if add:
        # add() is a no-op when the key exists; incr() is atomic on memcached/Redis.
        store.add(key, 0, timeout=timeout)
        try:
            current = store.incr(key)
        except ValueError:  # expired between add() and incr()
            store.set(key, 1, timeout=timeout)
            current = 1
        else:
            store.touch(key, timeout)
    else:
        current = store.get(key, 0)
    previous = store.get(_key(scope, name, window - 1), 0)
    return current + previous * (1 - into / window_seconds)


def hit(request, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for this address in `scope`; True while within `limit`."""
    return hit_name(scope, client_address(request), limit, window_seconds)


def hit_name(scope: str, name: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `name` (e.g. a tracking code) in `scope`; True while within `limit`."""
    return _count(scope, name, window_seconds, add=True) <= limit


def allows(scope: str, name: str, limit: int, window_seconds: int) -> bool:
    """Whether one more attempt for `name` would be within `limit`, counting nothing."""
    return _count(scope, name, window_seconds, add=False) + 1 <= limit


# What a refused client reads (answered with status 429). The words are here, in
# literal ngettext calls, so that makemessages finds them.


def _minutes(window_seconds: int) -> int:
    return max(1, round(window_seconds / 60))


def _hours(window_seconds: int) -> int:
    return max(1, round(window_seconds / 3600))


def too_many_submissions(window_seconds: int) -> str:
    minutes = _minutes(window_seconds)
    return ngettext(
        "Too many submissions from this network. Please wait %(minutes)d minute or call the community office.",
        "Too many submissions from this network. Please wait %(minutes)d minutes or call the community office.",
        minutes,
    ) % {"minutes": minutes}


def too_many_lookups(window_seconds: int) -> str:
    minutes = _minutes(window_seconds)
    return ngettext(
        "Too many lookups from this network. Please wait %(minutes)d minute or call the community office.",
        "Too many lookups from this network. Please wait %(minutes)d minutes or call the community office.",
        minutes,
    ) % {"minutes": minutes}


def too_many_for_code(window_seconds: int) -> str:
    hours = _hours(window_seconds)
    return ngettext(
        "This code was tried with wrong phone digits too many times. Please wait %(hours)d hour or call the community office.",
        "This code was tried with wrong phone digits too many times. Please wait %(hours)d hours or call the community office.",
        hours,
    ) % {"hours": hours}
