import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_503_when_the_database_does_not_answer(client, db):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_home_is_public_and_chinese_by_default(client, community_a):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "社区党建" in body  # the portal's name, translated
    assert reverse("grid:member_register", args=[community_a.code]) in body


def test_language_switcher_turns_the_portal_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body and "Community Party-Building Portal" in body


def test_404_page_is_chinese(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_is_chinese(client, member_user_a):
    client.force_login(member_user_a)
    response = client.get(reverse("grid:unit_list"))
    assert response.status_code == 403
    assert "无权" in response.content.decode()


def test_login_and_logout_by_post_only(client, staff_a):
    from conftest import PASSWORD

    response = client.post(reverse("portal:login"), {"username": "staff_a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("office:dashboard")
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout")).status_code == 302
    assert client.get(reverse("office:dashboard")).status_code == 302


def test_wrong_password_shows_an_error(client, staff_a):
    response = client.post(reverse("portal:login"), {"username": "staff_a", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_dashboard_cards_for_staff(client, staff_a, member_a, unit_a, cell_a):
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard"))
    cards = {card["label"]: card["value"] for card in response.context["cards"]}
    assert cards["共驻共建单位"] == 1
    assert cards["登记在职党员"] == 1
    assert cards["已报到"] == 0
    assert member_a.name in response.content.decode()  # awaiting confirmation


def test_dashboard_for_other_roles(client, liaison_a, unit_a, grid_worker_a, cell_a):
    client.force_login(liaison_a)
    assert client.get(reverse("office:dashboard")).url == unit_a.get_absolute_url()
    client.force_login(grid_worker_a)
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 200 and cell_a.name in response.content.decode()


def test_dashboard_needs_login(client, db):
    response = client.get(reverse("office:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("portal:login"))


def _start_wsgi(**env):
    """Start the application the way gunicorn does (import config.wsgi)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi; print('ok')"],
        env=full_env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_refuses_to_start_without_a_secret_key_in_production():
    result = _start_wsgi(DJANGO_DEBUG="0")
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
    weak = _start_wsgi(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="django-insecure-abc")
    assert weak.returncode != 0
    strong = _start_wsgi(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 20 + "Q7pL0vW3zK9mN2bR6tY1uE5sA8dF4gH")
    assert strong.returncode == 0, strong.stderr
    assert _start_wsgi(DJANGO_DEBUG="1").returncode == 0


def test_management_commands_work_on_a_fresh_clone_without_environment():
    """`manage.py check` and `makemigrations --check` need no variables at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], env=env, cwd=BASE_DIR, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["timeout"] >= 5 and options["transaction_mode"] == "IMMEDIATE"


def test_database_url_selects_postgresql():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"],
        env={**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://portal@db.example:5433/portal", "DJANGO_SETTINGS_MODULE": "config.settings"},
        cwd=BASE_DIR, capture_output=True, text=True,
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "portal", "db.example", "5433"]


def test_chinese_catalogue_is_compiled_and_used():
    from django.utils import translation

    mo = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert mo.exists()
    with translation.override("zh-hans"):
        assert translation.gettext("Co-building units") == "共驻共建单位"
        assert translation.gettext("In-service party members") == "在职党员"
