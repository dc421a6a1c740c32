"""With REDIS_URL, sessions, caches and rate limits live in Redis. When it is out of
reach the portal goes on without it (portal.outage): sessions are read from the
database, figures computed, rate limits let requests through; anything else that
still fails on Redis answers 503 "try again in a moment" (templates/503.html), not 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from conftest import PASSWORD
from portal.views import error_500
from wishes.models import MicroWish
from wishes.tests.test_public import wish_data  # noqa: F401 (fixture)

# A port nothing listens on: every cache call is refused at once.
DOWN = {
    alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0", "KEY_PREFIX": alias}
    for alias in ("default", "sessions", "throttle")
}


@pytest.fixture
def redis_down(settings, client):
    def switch():
        settings.CACHES = DOWN
        client.raise_request_exception = False

    return switch


@pytest.mark.parametrize("name", ["office:dashboard", "wishes:list", "grid:member_list"])
def test_signed_in_pages_work_on_while_redis_is_out_of_reach(client, staff_a, redis_down, name, caplog):
    client.force_login(staff_a)
    redis_down()
    response = client.get(reverse(name))
    assert response.status_code == 200  # the session from the database, the figures computed
    assert "Connection refused" in caplog.text  # and the outage logged


def test_signing_in_works_on_and_signing_out_waits_while_redis_is_out_of_reach(client, staff_a, redis_down):
    redis_down()
    response = client.post(reverse("portal:login"), {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("office:dashboard")).status_code == 200
    # Signing out must remove the session's copy in Redis too (else it would sign the user
    # in again once Redis is back): it waits for Redis, with the 503 page.
    from django.contrib.sessions.models import Session

    response = client.post(reverse("portal:logout"))
    assert response.status_code == 503 and "服务暂时不可用" in response.content.decode()
    assert Session.objects.filter(session_key=client.session.session_key).exists()  # nothing removed half-way


def test_a_resident_can_still_send_a_wish_and_read_the_wall(client, community_a, wish_data, redis_down, caplog):  # noqa: F811
    """The rate limit lets the wish through, the wall is computed instead of cached,
    and the change's new data version is not recorded (logged)."""
    redis_down()
    url = reverse("wishes:new") + f"?c={community_a.code}"
    assert client.get(url).status_code == 200
    response = client.post(url, wish_data)
    assert response.status_code == 302 and MicroWish.objects.count() == 1
    done = client.get(response["Location"])
    assert done.status_code == 200 and MicroWish.objects.get().code_display in done.content.decode()
    assert client.get(reverse("wishes:wall")).status_code == 200
    assert "Redis out of reach (rate limit wish" in caplog.text


def test_a_failure_on_redis_is_a_503_and_any_other_a_500():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = error_500(request)
    assert response.status_code == 500 and "服务器出错了" in response.content.decode()
    try:
        try:
            raise RedisConnectionError("refused")
        except RedisConnectionError as error:
            raise RuntimeError("while reading the session") from error
    except RuntimeError:
        response = error_500(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "服务暂时不可用" in response.content.decode()  # Redis refused, under whatever wrapped it
