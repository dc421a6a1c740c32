"""Two app servers, one worker, shared services: what a second host must not break.

Starts two gunicorn servers (different ports) and a Celery worker on one
PostgreSQL database (this test's), Redis (caches, sessions, throttles, figures'
version), RabbitMQ (the broker) and a local S3 server (moto; uploads), then:
a login on one host is a session on the other; rate limits count across both;
a photo uploaded on one shows on the other; a figure changed on one is fresh on
the other; an export asked for on one is made by the worker and downloaded from
the other. Also: the worker takes tasks from a Redis broker as well.

PostgreSQL only (SQLite's test database lives in the test process's memory).
Without Redis, RabbitMQ or PostgreSQL it skips, except in `.ci/run`
(PORTAL_REQUIRE_REDIS=1), where it must run on the PostgreSQL pass.
"""

import datetime
import http.cookies
import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import boto3
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from moto.server import ThreadedMotoServer
from PIL import Image

from conftest import PASSWORD, make_user
from grid.models import GridCell, StationUpdate
from office.models import ExportJob
from portal.models import Community, User

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REDIS_URL = "redis://127.0.0.1:6379/14"
RABBIT_URL = "amqp://guest:guest@127.0.0.1:5672//"
BUCKET = "portal-multihost"

pytestmark = pytest.mark.django_db(transaction=True)


def _reachable(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def services():
    missing = [name for name, port in (("Redis", 6379), ("RabbitMQ", 5672)) if not _reachable(port)]
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL")
    if missing:
        if os.environ.get("PORTAL_REQUIRE_REDIS") and connection.vendor == "postgresql":
            pytest.fail(f"Not running: {', '.join(missing)}")
        pytest.skip(f"needs {', '.join(missing)}")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    port = _free_port()
    s3 = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    s3.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=BUCKET)
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "CELERY_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "multihost-test-secret-key-0123456789-abcdefghijklmnop",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": RABBIT_URL,
        "CELERY_QUEUE": f"portal-test-{uuid.uuid4().hex[:8]}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    yield env, boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                            aws_secret_access_key="testing")
    s3.stop()
    redis.Redis.from_url(REDIS_URL).flushdb()


def _start(command, env, log):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def _worker(env, log):
    return _start([sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", env["CELERY_QUEUE"],
                   "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"], env, log)


def _stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def cluster(services, tmp_path):
    env, s3 = services
    log = open(tmp_path / "servers.log", "w")
    ports = [_free_port(), _free_port()]
    processes = [
        _start([sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--access-logfile", "-"], env, log)
        for port in ports
    ]
    processes.append(_worker(env, log))
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for host in hosts:
            _wait(lambda host=host: _get_status(host + "/healthz") == 200, "app server", tmp_path)
        yield hosts, s3, tmp_path
    finally:
        _stop(processes)
        log.close()


def _get_status(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except (urllib.error.URLError, OSError):
        return None


def _wait(check, what, tmp_path, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} not ready after {seconds} s:\n" + (tmp_path / "servers.log").read_text()[-3000:])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A browser's cookie jar, by hand: the servers run with DEBUG off, so their
    cookies are Secure, which http.cookiejar would not send over http."""

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def open(self, url, data=None, files=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            if files:
                boundary = uuid.uuid4().hex
                body, headers["Content-Type"] = _multipart(data, files, boundary), f"multipart/form-data; boundary={boundary}"
            else:
                body = urllib.parse.urlencode(data).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = http.cookies.SimpleCookie(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return response.status if hasattr(response, "status") else response.code, response.headers, response.read()


def _multipart(data, files, boundary):
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


def _stations_card(page: bytes) -> int:
    match = re.search(r'kind=station">.*?display-6 text-party">(\d+)<', page.decode(), re.S)
    assert match, "no stations card on the dashboard"
    return int(match.group(1))


def test_two_app_servers_share_sessions_throttles_photos_figures_and_exports(cluster):
    (host_a, host_b), s3, tmp_path = cluster
    community = Community.objects.create(name="沙河街社区", code="shahejie", town="沙河镇", county="临泽县")
    cell = GridCell.objects.create(community=community, number=1, name="第一网格")
    user = make_user("office", User.Role.STAFF, community)
    # The tests hash passwords with a fast hasher the servers do not know.
    User.objects.filter(pk=user.pk).update(password=PBKDF2PasswordHasher().encode(PASSWORD, "multihostsalt", iterations=1000))

    # Login on A; the session works on B.
    browser = Browser()
    status, _, _ = browser.open(host_a + "/accounts/login/")
    assert status == 200 and "csrftoken" in browser.cookies
    status, headers, _ = browser.open(host_a + "/accounts/login/", {"username": "office", "password": PASSWORD})
    assert status == 302, "login refused"
    status, _, page = browser.open(host_b + "/dashboard/")
    assert status == 200 and "沙河街社区" in page.decode()

    # A figure changed on A is fresh on B (B cached the dashboard just now).
    assert _stations_card(browser.open(host_b + "/dashboard/")[2]) == 0
    status, _, _ = browser.open(host_a + "/grid/stations/new/", {
        "name": "红色驿站", "kind": "station", "grid_cell": cell.pk, "update_every_days": 30, "is_active": "on",
    })
    assert status == 302, "station not created"
    assert _stations_card(browser.open(host_b + "/dashboard/")[2]) == 1

    # A photo uploaded on A shows on B, from the shared bucket.
    station = community.stations.get()
    picture = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 20, 20)).save(picture, "JPEG")
    status, _, _ = browser.open(
        host_a + f"/grid/stations/{station.pk}/updates/new/",
        {"updated_on": f"{datetime.date.today():%Y-%m-%d}", "title": "新标语", "kind": "slogans", "note": ""},
        files={"photo": ("photo.jpg", picture.getvalue(), "image/jpeg")},
    )
    assert status == 302, "update not saved"
    update = StationUpdate.objects.get()
    stored = s3.get_object(Bucket=BUCKET, Key=update.photo.name)["Body"].read()
    status, headers, body = browser.open(host_b + f"/grid/stations/updates/{update.pk}/photo/")
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and body == stored

    # An export asked for on A is made by the worker and downloaded from B.
    status, _, _ = browser.open(host_a + "/dashboard/exports/start/?from=2023-01-01&to=2023-12-31", {"kind": "figures"})
    assert status == 302
    job = ExportJob.objects.get()
    _wait(lambda: ExportJob.objects.filter(pk=job.pk, status="done").exists(), "export", tmp_path)
    status, headers, body = browser.open(host_b + f"/dashboard/exports/{job.pk}/download/")
    assert status == 200 and body[:2] == b"PK"
    assert headers["Content-Disposition"] == 'attachment; filename="figures-20230101-20231231.xlsx"'

    # Rate limits count across both hosts: 10 look-ups in all, then refused on either.
    resident = Browser()
    codes = [resident.open(f"{host}/wishes/track/?code=ABCD2345&phone_last4=0000")[0] for host in [host_a, host_b] * 5]
    assert 429 not in codes
    assert resident.open(host_a + "/wishes/track/?code=ABCD2345&phone_last4=0000")[0] == 429
    assert resident.open(host_b + "/wishes/track/?code=ABCD2345&phone_last4=0000")[0] == 429

    # Logging out on B ends the session on A too.
    browser.open(host_b + "/accounts/logout/", {})
    status, headers, _ = browser.open(host_a + "/dashboard/")
    assert status == 302 and "/accounts/login/" in headers["Location"]


@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")  # this process is eager; send_task is not
def test_worker_takes_tasks_from_a_redis_broker(services, tmp_path):
    env, _ = services
    env = {**env, "CELERY_BROKER_URL": "redis://127.0.0.1:6379/13"}
    community = Community.objects.create(name="沙河街社区", code="shahejie", town="沙河镇", county="临泽县")
    staff = make_user("office", User.Role.STAFF, community)
    job = ExportJob.objects.create(kind="figures", requested_by=staff, community=community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    from config.celery import app

    with open(tmp_path / "servers.log", "w") as log:
        worker = _worker(env, log)
        try:
            with app.connection_for_write(env["CELERY_BROKER_URL"]) as conn:
                app.send_task("office.tasks.build_export", args=[job.pk], queue=env["CELERY_QUEUE"], connection=conn)
            _wait(lambda: ExportJob.objects.filter(pk=job.pk, status="done").exists(), "export", tmp_path)
        finally:
            _stop([worker])
    job.refresh_from_db()
    assert job.attempts == 1
