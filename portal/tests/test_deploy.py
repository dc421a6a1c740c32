"""The files in deploy/: they say what the README promises, and gunicorn serves with them."""

import configparser
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEPLOY = BASE_DIR / "deploy"
UNITS = ["portal.service", "portal-backup.service", "portal-backup.timer", "portal-retention.service", "portal-retention.timer"]


def load_gunicorn_config():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", DEPLOY / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unit(name) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_gunicorn_config_binds_locally_and_keeps_the_log_lean(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = load_gunicorn_config()
    assert config.bind == "127.0.0.1:8000"
    assert config.wsgi_app == "config.wsgi:application"
    assert 3 <= config.workers <= config.MAX_WORKERS
    assert config.timeout >= 30 and config.forwarded_allow_ips == "127.0.0.1"
    assert "%(U)s" in config.access_log_format
    for atom in ("%(r)s", "%(q)s", "%(f)s", "%(a)s"):  # request line with query, query, referrer, user agent
        assert atom not in config.access_log_format
    monkeypatch.setenv("GUNICORN_WORKERS", "2")
    assert load_gunicorn_config().workers == 2


def test_nginx_site_terminates_tls_limits_uploads_and_serves_no_media():
    conf = (DEPLOY / "nginx" / "portal.conf").read_text()
    lines = [line.split("#")[0].strip() for line in conf.splitlines()]
    assert "listen 443 ssl http2;" in lines
    assert "return 301 https://$host$request_uri;" in lines
    assert "client_max_body_size 6m;" in lines
    assert any(line.startswith("ssl_certificate ") for line in lines)
    assert "location /static/ {" in lines and "alias /srv/portal/staticfiles/;" in lines
    assert not any(line.startswith("location /media") for line in lines)
    for header in ("Host $host", "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme"):
        assert f"proxy_set_header {header};" in lines
    assert conf.count("{") == conf.count("}")


def test_systemd_units_run_hardened_as_the_portal_user_with_the_env_file():
    for name in UNITS:
        assert (DEPLOY / "systemd" / name).exists(), name
    for name in ("portal.service", "portal-backup.service", "portal-retention.service"):
        service = unit(name)["Service"]
        assert service["User"] == "portal" and service["EnvironmentFile"] == "/etc/portal/portal.env"
        assert service["NoNewPrivileges"] == "yes" and service["PrivateTmp"] == "yes"
        assert service["ProtectSystem"] == "strict" and "/srv/portal/var" in service["ReadWritePaths"].split()
    assert "/srv/portal/media" in unit("portal.service")["Service"]["ReadWritePaths"].split()
    assert unit("portal-backup.service")["Service"]["ExecStart"].endswith("manage.py backup --keep 14")
    assert unit("portal-retention.service")["Service"]["ExecStart"].endswith("manage.py anonymise_closed")
    for name in ("portal-backup.timer", "portal-retention.timer"):
        timer = unit(name)
        assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
        assert timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_knows_every_key_of_the_units():
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(DEPLOY / "systemd" / name) for name in UNITS)],
        capture_output=True, text=True, timeout=30,
    )
    # /srv/portal/.venv does not exist on this machine; anything else is a mistake.
    problems = [line for line in (result.stdout + result.stderr).splitlines() if line and "is not executable" not in line]
    assert problems == []


def test_cron_example_runs_the_same_commands_as_the_timers():
    jobs = [line for line in (DEPLOY / "cron.example").read_text().splitlines() if re.match(r"^[\d*]", line)]
    timers, notifications = jobs[:2], jobs[2:]
    for job, command in zip(timers, ["manage.py backup --keep 14", "manage.py anonymise_closed"]):
        minute, hour, day, month, weekday, user, *rest = job.split()
        assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*")
        assert user == "root" and "runuser -u portal --" in job and command in job
    # Then the notifications' jobs, for hosts without a Celery worker (commands that exist).
    commands = get_commands()
    called = [re.search(r"manage\.py (\w+)", job).group(1) for job in notifications]
    assert called == ["send_notifications", "send_notifications", "notification_jobs", "notification_jobs", "notification_jobs"]
    assert all(name in commands for name in called) and all("runuser -u portal --" in job for job in notifications)


def test_the_commands_the_jobs_call_exist():
    commands = get_commands()
    assert commands.get("backup") == "office" and commands.get("restore") == "office"
    assert "anonymise_closed" in commands


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_health_check_with_debug_off(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn is not installed")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "deploy-test-" + "k3Y" * 20,
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    server = subprocess.Popen(
        [str(gunicorn), "--config", str(DEPLOY / "gunicorn.conf.py")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        response = None
        deadline = time.monotonic() + 15
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:
                # As nginx passes it on: over https, the query string is not logged.
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz?code=SECRET1234", headers={"X-Forwarded-Proto": "https"}
                )
                response = urllib.request.urlopen(request, timeout=2)
            except OSError:
                time.sleep(0.2)
        assert response is not None, "gunicorn did not answer"
        assert response.status == 200 and b'"status": "ok"' in response.read()
        assert "max-age" in response.headers.get("Strict-Transport-Security", "")
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=15)
    assert '"GET /healthz" 200' in log and "SECRET1234" not in log
