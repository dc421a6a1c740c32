"""A small per-address rate limit for the public pages, kept in Django's cache.

    if not throttle.hit(request, "wish-submit", limit=5, window_seconds=600):
        ...  # answer 429

Counts are kept per client address and scope in fixed windows: a key names
the current window (`time // window_seconds`), so it is right on every cache
backend, even those whose `incr` resets the expiry. Across a window boundary
a client may get up to twice the limit, which is fine for slowing down floods
and code guessing; it is not meant to be exact.

The address is the one django-axes counts (portal.middleware.client_address):
REMOTE_ADDR, or the X-Forwarded-For entry added by a proxy listed in
DJANGO_TRUSTED_PROXIES. X-Forwarded-For from anyone else is ignored: trusting
it would let a client pick a fresh address for every request.
"""

import hashlib
import time

from django.core.cache import cache

from portal.middleware import client_address as _proxied_address


def client_address(request) -> str:
    return _proxied_address(request) or "unknown"


def _key(request, scope: str, window_seconds: int, now: float) -> str:
    # Hashed: keys stay short and safe for memcached, and no address is stored in clear.
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    window = int(now // window_seconds)
    return f"throttle:{scope}:{address}:{window}"


def hit(request, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt for this address in `scope`; True while within `limit`."""
    key = _key(request, scope, window_seconds, time.time())
    # add() is a no-op when the key exists; incr() is atomic on memcached/Redis.
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
