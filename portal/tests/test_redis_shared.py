"""With REDIS_URL set, what one app host keeps in Django's caches (sessions, the
public pages' rate-limit counts, the figures' version) is what another host reads.

Each "host" here is a separate Python process with its own Django, as two app
servers would be. Needs a Redis server (127.0.0.1:6379 on the CI machine; `.ci/run`
starts it and sets PORTAL_REQUIRE_REDIS=1, so that there these tests fail instead of
skipping). They use Redis database 15 and empty it.
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False


if not _redis_up():
    if os.environ.get("PORTAL_REQUIRE_REDIS") == "1":
        raise RuntimeError(f"PORTAL_REQUIRE_REDIS=1 but no Redis answers at {REDIS_URL}")
    pytest.skip(f"no Redis at {REDIS_URL}", allow_module_level=True)


def host(code: str, redis_url: str | None = REDIS_URL):
    """Run `code` in a new process with the portal's settings; it sets `result`, returned here."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "DJANGO_CACHE_DIR": "memory",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    script = "import django, json\ndjango.setup()\nresult = None\n" + textwrap.dedent(code) + "\nprint(json.dumps(result))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(autouse=True)
def empty_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    yield
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_with_redis_url_every_cache_is_redis_and_without_it_none_is():
    code = """
        from django.conf import settings
        result = sorted({alias: c["BACKEND"].rsplit(".", 1)[-1] for alias, c in settings.CACHES.items()}.items())
    """
    assert host(code) == [["default", "RedisCache"], ["sessions", "RedisCache"], ["throttle", "RedisCache"]]
    assert all(backend != "RedisCache" for _alias, backend in host(code, redis_url=None))


def test_the_figures_version_renewed_on_one_host_is_read_on_the_other():
    first = host("from portal import figures_cache\nresult = figures_cache.data_version()")
    assert host("from portal import figures_cache\nresult = figures_cache.data_version()") == first
    renewed = host("from portal import figures_cache\nresult = figures_cache.bump()")
    assert renewed != first
    assert host("from portal import figures_cache\nresult = figures_cache.data_version()") == renewed


def test_rate_limit_counts_add_up_across_hosts():
    hit = "from portal import throttle\nresult = throttle.hit_name('track', '203.0.113.9', 3, 600)"
    assert host(hit) is True
    assert host(hit) is True
    assert host(hit) is True  # the third of three, on a third host
    assert host(hit) is False  # one too many, wherever it lands
    assert host("from portal import throttle\nresult = throttle.allows('track', '203.0.113.10', 3, 600)") is True


def test_a_session_kept_by_one_host_is_read_by_the_other():
    host("from django.core.cache import caches\ncaches['sessions'].set('portal-test-session', {'user': 7}, 60)")
    assert host("from django.core.cache import caches\nresult = caches['sessions'].get('portal-test-session')") == {"user": 7}
    # The aliases keep apart: the figures cache does not see a session's key.
    assert host("from django.core.cache import caches\nresult = caches['default'].get('portal-test-session')") is None
