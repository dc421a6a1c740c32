"""Production posture: HTTPS settings, headers, login lock-out, sessions,
passwords, static files and masked logs."""

import datetime
import io
import json
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from conftest import PASSWORD
from portal.logfilters import MaskPersonalData, mask
from portal.middleware import client_address
from portal.models import User
from portal.passwords import StrongPasswordValidator
from portal.sessions import SessionStore

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_HOST = "portal.example.gov.cn"


# Settings as the environment makes them -------------------------------------------------


def _environment(**env):
    """The test run's environment without any DJANGO_ variable, plus `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**clean, "DJANGO_CACHE_DIR": "memory", **env}


def _production(**env):
    return _environment(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=PRODUCTION_HOST,
        **env,
    )


def _settings_with(env, *names):
    """The values of settings `names` in a fresh process with environment `env`."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production(),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_https_only_by_default():
    values = _settings_with(
        _production(),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_AGE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_PROXY_SSL_HEADER": None,  # X-Forwarded-Proto is not believed unless asked
        "SESSION_COOKIE_AGE": 8 * 3600,
    }


def test_behind_a_proxy_the_redirect_can_be_left_to_it_and_its_header_trusted():
    values = _settings_with(
        _production(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_TRUST_X_FORWARDED_PROTO="1", DJANGO_SESSION_HOURS="2"),
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_AGE",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_AGE": 2 * 3600,
    }


def test_development_works_over_plain_http():
    values = _settings_with(
        _environment(DJANGO_DEBUG="1"),
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }


def test_plain_http_is_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/wishes/", HTTP_HOST="localhost")
    assert response.status_code == 301
    assert response["Location"] == "https://localhost/wishes/"
    response = client.get("/wishes/", HTTP_HOST="localhost", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_health_probes_over_plain_http_are_not_redirected(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_the_proxys_https_header_counts_only_when_trusted(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/wishes/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/wishes/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


# Headers --------------------------------------------------------------------------------

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _policy(response):
    directives = [part.strip().split(None, 1) for part in response["Content-Security-Policy"].split(";")]
    return {name: value for name, value in directives}


def _pages(staff_a, area_admin, member_a, community_a):
    """(user or None, URL) of pages of every kind: public, staff, charts, forms, admin."""
    return [
        (None, reverse("office:home")),
        (None, reverse("portal:login")),
        (None, reverse("wishes:wall")),
        (None, reverse("wishes:new") + f"?c={community_a.code}"),
        (None, reverse("wishes:track")),
        (None, reverse("wishes:poster", args=[community_a.code])),
        (None, reverse("grid:appeal_track")),
        (staff_a, reverse("office:dashboard")),
        (staff_a, reverse("grid:member_list")),
        (staff_a, reverse("grid:member_detail", args=[member_a.pk])),
        (staff_a, reverse("portal:password_change")),
        (area_admin, reverse("admin:index")),
        (area_admin, reverse("admin:grid_partymember_change", args=[member_a.pk])),
        (area_admin, reverse("admin:axes_accessattempt_changelist")),
    ]


def test_every_page_has_the_strict_security_headers(client, staff_a, area_admin, member_a, community_a):
    for user, url in _pages(staff_a, area_admin, member_a, community_a):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert _policy(response) == EXPECTED_CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Referrer-Policy"] == "same-origin", url
        client.logout()


def test_error_pages_have_the_headers_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _policy(response) == EXPECTED_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _inline_code(html):
    return [
        name
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("event handler attribute", EVENT_HANDLER),
            ("inline style", STYLE),
            ("javascript: URL", JAVASCRIPT_URL),
        ]
        if pattern.search(html)
    ]


def test_no_template_has_inline_script_or_style():
    """The policy forbids inline code: it would silently stop working."""
    found = {}
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        problems = _inline_code(path.read_text(encoding="utf-8"))
        if problems:
            found[str(path.relative_to(BASE_DIR))] = problems
    assert found == {}


def test_rendered_pages_have_no_inline_script_or_style(client, staff_a, area_admin, member_a, community_a):
    """What templates, forms and widgets render together (the admin is Django's own)."""
    for user, url in _pages(staff_a, area_admin, member_a, community_a):
        if url.startswith("/admin/"):
            continue
        if user:
            client.force_login(user)
        assert _inline_code(client.get(url).content.decode()) == [], url
        client.logout()


def test_signed_in_pages_are_not_stored(client, staff_a, member_a):
    client.force_login(staff_a)
    for url in (reverse("office:dashboard"), reverse("grid:member_detail", args=[member_a.pk])):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_residents_tracking_pages_are_not_stored(client, db):
    for url in (reverse("wishes:track"), reverse("grid:appeal_track")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_public_pages_without_personal_data_may_be_cached(client, db):
    response = client.get(reverse("wishes:wall"))
    assert "no-store" not in response.get("Cache-Control", "")


# Static files (whitenoise, DEBUG off) ---------------------------------------------------

@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """`collectstatic` as a deployment runs it, into a temporary folder."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_static_files_are_served_with_debug_off(collected_static, db):
    with override_settings(STATIC_ROOT=collected_static):
        assert not settings.DEBUG
        client = Client()  # whitenoise looks at STATIC_ROOT when it starts
        page = client.get(reverse("office:home")).content.decode()
        assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in page
        response = client.get("/static/vendor/bootstrap/bootstrap.min.css", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/css")
        assert response["Content-Encoding"] == "gzip"
        assert response["Cache-Control"] == "max-age=60, public"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)
        # Unchanged since the browser's copy: no body sent again.
        again = client.get("/static/vendor/bootstrap/bootstrap.min.css", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304


def test_static_files_stay_cacheable_for_a_signed_in_user(collected_static, staff_a):
    with override_settings(STATIC_ROOT=collected_static):
        client = Client()
        client.force_login(staff_a)
        response = client.get("/static/js/print.js")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=60, public"


# Login lock-out (django-axes) -----------------------------------------------------------

ADDRESS_A = "203.0.113.10"
ADDRESS_B = "198.51.100.20"


def _log_in(client, username, password, address):
    return client.post(
        reverse("portal:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, username, address, times):
    for _ in range(times):
        response = _log_in(client, username, "wrong-password", address)
    return response


def test_four_failures_do_not_lock(client, staff_a):
    assert _fail(client, "staff_a", ADDRESS_A, 4).status_code == 200
    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 302


def test_five_failures_lock_the_account_and_the_address(client, staff_a, staff_b):
    response = _fail(client, "staff_a", ADDRESS_A, 5)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]

    # The account, even with the right password, from anywhere.
    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 429
    assert _log_in(Client(), "staff_a", PASSWORD, ADDRESS_B).status_code == 429
    # The address, for any account.
    assert _log_in(Client(), "staff_b", PASSWORD, ADDRESS_A).status_code == 429
    # Another account from another address is not concerned.
    assert _log_in(Client(), "staff_b", PASSWORD, ADDRESS_B).status_code == 302


def test_failures_on_several_accounts_from_one_address_lock_the_address(client, staff_a, staff_b):
    _fail(client, "staff_a", ADDRESS_A, 2)
    _fail(client, "staff_b", ADDRESS_A, 2)
    assert _fail(client, "nobody", ADDRESS_A, 1).status_code == 429
    assert _log_in(Client(), "staff_a", PASSWORD, ADDRESS_B).status_code == 302


def test_the_admin_login_is_protected_too(client, area_admin):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"), {"username": "area", "password": "wrong-password"}, REMOTE_ADDR=ADDRESS_A
        )
    assert response.status_code == 429
    assert _log_in(Client(), "area", PASSWORD, ADDRESS_B).status_code == 429


def test_lock_out_page_says_when_to_try_again(client, staff_a):
    client.cookies["django_language"] = "en"
    body = _fail(client, "staff_a", ADDRESS_A, 5).content.decode()
    assert "locked for 30 minutes" in body
    assert "community office" in body


def test_the_lock_ends_after_the_cool_off_and_tries_meanwhile_do_not_extend_it(client, staff_a):
    _fail(client, "staff_a", ADDRESS_A, 5)
    assert _fail(client, "staff_a", ADDRESS_A, 3).status_code == 429
    attempt = AccessAttempt.objects.get(username="staff_a")
    assert attempt.failures_since_start == 5  # refused tries are not counted

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=29))
    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 302


def test_staff_unlock_by_deleting_the_access_attempts_in_admin(client, staff_a, area_admin):
    _fail(client, "staff_a", ADDRESS_A, 5)
    attempt = AccessAttempt.objects.get(username="staff_a")

    office = Client()
    office.force_login(area_admin)
    changelist = office.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200 and "staff_a" in changelist.content.decode()
    response = office.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302

    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 302


def _request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/accounts/login/", **extra)


def test_client_address_ignores_x_forwarded_for_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(ADDRESS_A, "192.0.2.1")) == ADDRESS_A
    assert client_address(_request("127.0.0.1", "192.0.2.1")) == "127.0.0.1"


def test_client_address_behind_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # nginx on the same machine appended the address it saw; the client wrote the rest.
    assert client_address(_request("127.0.0.1", f"6.6.6.6, {ADDRESS_A}")) == ADDRESS_A
    # Two trusted proxies in a row.
    assert client_address(_request("127.0.0.1", f"{ADDRESS_A}, 10.1.2.3")) == ADDRESS_A
    # A request that does not come through the proxy: its header is ignored.
    assert client_address(_request(ADDRESS_B, "6.6.6.6")) == ADDRESS_B
    # The proxy sent no header, or garbage.
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"


def test_lock_out_counts_the_real_address_behind_a_trusted_proxy(client, staff_a, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        client.post(
            reverse("portal:login"),
            {"username": "nobody", "password": "wrong-password"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ADDRESS_A}",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ADDRESS_A}
    # Another resident behind the same proxy can still log in.
    response = Client().post(
        reverse("portal:login"),
        {"username": "staff_a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=ADDRESS_B,
    )
    assert response.status_code == 302


# Sessions -------------------------------------------------------------------------------


def test_login_gives_a_new_session_key(client, staff_a):
    session = client.session
    session["seen"] = True
    session.save()
    before = session.session_key
    assert _log_in(client, "staff_a", PASSWORD, ADDRESS_A).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_only_by_post(client, staff_a):
    client.force_login(staff_a)
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.get(reverse("office:dashboard")).status_code == 200
    assert client.post(reverse("portal:logout")).status_code == 302
    assert client.get(reverse("office:dashboard")).status_code == 302


def _expire_in(client, delta):
    """As if the session's last request was (8 hours - delta) ago: its row's expiry,
    and its cached copy, which carries the same expiry, gone as it would be by then
    (or the next request would have read the new expiry from it)."""
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + delta)
    caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + key)
    return key


def test_session_ends_after_8_hours_without_a_request(client, staff_a):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    _expire_in(client, -datetime.timedelta(seconds=1))  # 8 hours passed since the last request
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_each_request_restarts_the_8_hours(client, staff_a):
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    key = _expire_in(client, datetime.timedelta(minutes=1))  # 7 h 59 min since the last request
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600
    expires = Session.objects.get(session_key=key).expire_date
    assert expires > timezone.now() + datetime.timedelta(hours=7, minutes=59)


def test_the_session_is_written_at_most_once_a_minute(client, staff_a):
    """Saving on every request would make every page a write (on SQLite, a
    lock on the whole database)."""
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    written = Session.objects.get(session_key=key).expire_date
    client.get(reverse("office:dashboard"))
    assert Session.objects.get(session_key=key).expire_date == written

    _expire_in(client, datetime.timedelta(hours=8) - datetime.timedelta(minutes=2))
    client.get(reverse("office:dashboard"))
    assert Session.objects.get(session_key=key).expire_date > timezone.now() + datetime.timedelta(
        hours=7, minutes=59
    )


def test_pages_read_the_session_from_its_cached_copy(client, staff_a, django_assert_num_queries):
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    data, expiry = caches[settings.SESSION_CACHE_ALIAS].get(SessionStore.cache_key_prefix + key)
    assert data["_auth_user_id"] == str(staff_a.pk)
    assert expiry == Session.objects.get(session_key=key).expire_date
    client.get(reverse("office:dashboard"))  # renders and caches the dashboard's figures
    with django_assert_num_queries(1):  # the user; no session row
        assert client.get(reverse("office:dashboard")).status_code == 200
    # Without its copy (evicted, another server's cache), the row is read and copied again.
    caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + key)
    assert client.get(reverse("office:dashboard")).status_code == 200
    assert caches[settings.SESSION_CACHE_ALIAS].get(SessionStore.cache_key_prefix + key)[0] == data


def test_logging_out_removes_the_cached_copy(client, staff_a):
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(reverse("portal:logout")).status_code == 302
    assert caches[settings.SESSION_CACHE_ALIAS].get(SessionStore.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, replayed, opens nothing.
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = key
    response = thief.get(reverse("office:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_an_expired_cached_copy_is_not_used(client, staff_a):
    _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = caches[settings.SESSION_CACHE_ALIAS]
    data, _expiry = store.get(SessionStore.cache_key_prefix + key)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    store.set(SessionStore.cache_key_prefix + key, (data, timezone.now() - datetime.timedelta(seconds=1)), 60)
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def test_session_cookie_is_http_only_and_same_site(client, staff_a):
    response = _log_in(client, "staff_a", PASSWORD, ADDRESS_A)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["secure"]  # the suite runs with DEBUG off, as production


# Passwords ------------------------------------------------------------------------------


def _codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    "password",
    ["Shahe-demo-2023", PASSWORD, "Abcdefghij1", "abcdefgh-12", "ABCD-EFGH-1", "社区党建工作ab12"],
)
def test_strong_passwords_pass(password, db):
    user = User(username="staff", full_name="王秀英", email="staff@example.gov.cn")
    assert _codes(password, user) == set()


@pytest.mark.parametrize(
    "password, codes",
    [
        ("Ab-1", {"password_too_short"}),
        ("Abc-12345", {"password_too_short"}),
        ("abcdefghijk", {"password_too_simple"}),
        ("abcdefgh123", {"password_too_simple"}),
        ("ABCDEFGH!!!", {"password_too_simple"}),
        ("1234567890123", {"password_too_simple", "password_entirely_numeric", "password_too_common"}),
        ("Password1234", {"password_too_common"}),
        ("wangxiuying-2024", {"password_too_similar"}),
    ],
)
def test_weak_passwords_are_refused(password, codes, db):
    user = User(username="wangxiuying", full_name="王秀英")
    assert _codes(password, user) == codes


def test_password_messages_are_chinese():
    validator = StrongPasswordValidator()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        validator.validate("Ab-1")
    assert "密码" in error.value.messages[0]


def test_help_text_names_the_rule():
    with translation.override("en"):
        texts = " ".join(password_validators_help_texts())
    assert "at least 10 characters" in texts and "3 of these 4 kinds" in texts


def test_changing_ones_password_applies_the_rule(client, staff_a):
    client.force_login(staff_a)
    url = reverse("portal:password_change")
    weak = {"old_password": PASSWORD, "new_password1": "abcdefgh123", "new_password2": "abcdefgh123"}
    response = client.post(url, weak)
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]
    strong = {"old_password": PASSWORD, "new_password1": "Xiaoqu-2024-ok", "new_password2": "Xiaoqu-2024-ok"}
    assert client.post(url, strong).status_code == 302


class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_createsuperuser_applies_the_rule(db, monkeypatch):
    passwords = iter(["abcdefgh123", "abcdefgh123", "Jiedao-admin-9", "Jiedao-admin-9"])
    answers = {"Username": "chief", "Email address": "chief@example.gov.cn", "Bypass": "n"}

    def answer(prompt=""):
        return next(value for key, value in answers.items() if prompt.startswith(key))

    monkeypatch.setattr("getpass.getpass", lambda prompt="Password: ": next(passwords))
    monkeypatch.setattr("builtins.input", answer)
    stderr = io.StringIO()
    with translation.override("en"):
        call_command("createsuperuser", interactive=True, stdin=_TTY(), stdout=io.StringIO(), stderr=stderr)
    # The first password was refused (and not forced through): the second one counts.
    assert "at least 3 of these 4 kinds of character" in stderr.getvalue()
    assert User.objects.get(username="chief").check_password("Jiedao-admin-9")


# Logs -----------------------------------------------------------------------------------


@pytest.fixture
def log_output():
    """What the configured handler writes (settings.LOGGING), as text."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalData) for f in handler.filters)
    ]
    assert len(handlers) == 1
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    yield stream
    handlers[0].setStream(previous)


def test_logs_mask_phones_id_numbers_and_passwords(log_output):
    logging.getLogger("portal.views").warning(
        "Resident %s (%s, ID %s) could not log in, password=%s", "王秀英", "13812341234", "11010119900307123X", "Hunter-22"
    )
    text = log_output.getvalue()
    assert "王秀英 (138****1234, ID 110101********123X) could not log in, password=********" in text
    assert "13812341234" not in text and "Hunter-22" not in text


def test_djangos_own_logs_are_masked_too(log_output):
    logging.getLogger("django.request").warning("Not Found: /wishes/?phone=%s", "+86 13900001111")
    assert "+86 139****1111" in log_output.getvalue()


def test_logged_tracebacks_are_masked(log_output):
    try:
        raise ValueError('{"username": "staff", "password": "Hunter-22", "phone": "13700007777"}')
    except ValueError:
        logging.getLogger("portal.views").exception("Import failed")
    text = log_output.getvalue()
    assert "Traceback" in text and "137****7777" in text and '"password": "********"' in text
    assert "Hunter-22" not in text


@pytest.mark.parametrize(
    "text, masked",
    [
        ("call 15912345678.", "call 159****5678."),
        ("tel:+8615912345678", "tel:+86159****5678"),
        ("order 2024051512345678", "order 2024051512345678"),  # 16 digits: not a phone, not an ID
        ("12345678901", "12345678901"),  # not a mobile prefix
        ("id 110101199003071234 ok", "id 110101********1234 ok"),
        ("new_password1=Abc-12345&x=1", "new_password1=********&x=1"),
        ("PASSWORD: secret", "PASSWORD: ********"),
        ("密码：Abc-12345", "密码：********"),
    ],
)
def test_mask(text, masked):
    assert mask(text) == masked
