"""What the portal does while a service its app hosts share is out of reach: Redis,
with REDIS_URL (sessions, caches, rate limits, the figures' version).

Signed-in pages need their session: they answer 503, "try again in a moment"
(portal.views.error_500). What does not need Redis goes on without it: the figures
are computed instead of read from the cache, a change's new data version is not
recorded (the cached figures expire after FIGURES_CACHE_SECONDS), and the public
pages' rate limits let requests through rather than lose a resident's wish.
"""

import logging

logger = logging.getLogger("portal.outage")


def _errors() -> tuple:
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is in requirements.txt
        return ()
    return (RedisConnectionError, RedisTimeoutError)


# For `except UNREACHABLE:` (an empty tuple catches nothing).
UNREACHABLE = _errors()


def is_unreachable(error) -> bool:
    """Whether `error`, or what caused it, is a shared service out of reach."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNREACHABLE):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def warn(what: str, error) -> None:
    logger.warning("Redis out of reach (%s): %s", what, error)
