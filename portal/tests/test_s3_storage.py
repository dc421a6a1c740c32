"""Uploads on S3-compatible object storage (django-storages), tested against a
local S3 server (moto's server mode): what settings.py configures from the
environment, photos and exports stored in the private bucket, streamed through
the access-checked views or handed out as short-lived presigned URLs."""

import datetime
import io
import json
import os
import socket
import subprocess
import sys
import urllib.parse
import urllib.request

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from grid.models import Station, StationUpdate
from office.models import ExportJob
from portal.uploads import process_image

BUCKET = "portal-media"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """The default storage on the local S3 server, as settings.py sets it up."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": _storage_setting(s3_endpoint)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _storage_setting(endpoint):
    """What config/settings.py gives for these variables (read in a fresh process)."""
    env = {**os.environ, "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint}
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    buffer.seek(0)
    return process_image(buffer)


@pytest.fixture
def update(community_a, cell_a, s3):
    station = Station.objects.create(community=community_a, grid_cell=cell_a, name="红色驿站", kind="station")
    update = StationUpdate(station=station, title="新标语", kind="slogans")
    update.photo.save("x.jpg", _photo(), save=False)
    update.save()
    return update


def test_settings_choose_s3_only_with_bucket_and_endpoint(s3_endpoint):
    setting = _storage_setting(s3_endpoint)
    assert setting["BACKEND"] == "storages.backends.s3.S3Storage"
    options = setting["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["default_acl"], options["querystring_expire"]) == (
        BUCKET, s3_endpoint, None, 60
    )
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "AWS_STORAGE_BUCKET_NAME": BUCKET})  # no endpoint: local files
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "django.core.files.storage.FileSystemStorage"


def test_photo_is_stored_privately_in_the_bucket(update, s3):
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [update.photo.name] and update.photo.name.startswith("private/stations/")
    grants = s3.get_object_acl(Bucket=BUCKET, Key=update.photo.name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]  # nobody anonymous


def test_photo_is_streamed_through_the_access_checked_view(client, update, staff_a, staff_b, s3):
    url = reverse("grid:station_update_photo", args=[update.pk])
    assert client.get(url).status_code == 302  # anonymous: login first
    client.force_login(staff_b)
    assert client.get(url).status_code == 404  # another community
    client.force_login(staff_a)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    stored = s3.get_object(Bucket=BUCKET, Key=update.photo.name)["Body"].read()
    assert b"".join(response.streaming_content) == stored
    assert response["Cache-Control"] == "private, no-store"


def test_presigned_redirect_is_short_lived_and_works(client, update, staff_a, s3, settings):
    settings.AWS_S3_PRIVATE_REDIRECT = True
    client.force_login(staff_a)
    response = client.get(reverse("grid:station_update_photo", args=[update.pk]))
    assert response.status_code == 302
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(response.url).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    with urllib.request.urlopen(response.url) as fetched:
        assert fetched.headers["Content-Type"] == "image/jpeg"
        assert fetched.headers["Content-Disposition"].startswith("inline")
        assert fetched.read() == s3.get_object(Bucket=BUCKET, Key=update.photo.name)["Body"].read()
    # (moto does not check signatures, so a tampered URL cannot be shown refused here.)


def test_a_missing_object_is_404_not_500(client, update, staff_a, s3):
    s3.delete_object(Bucket=BUCKET, Key=update.photo.name)
    client.force_login(staff_a)
    assert client.get(reverse("grid:station_update_photo", args=[update.pk])).status_code == 404


def test_prepared_export_lives_in_the_bucket(client, staff_a, s3, settings):
    job = ExportJob.objects.create(kind="figures", requested_by=staff_a, community=staff_a.community,
                                   start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    from office.jobs import run_export

    assert run_export(job.pk) == "done"
    job.refresh_from_db()
    assert s3.head_object(Bucket=BUCKET, Key=job.file.name)["ContentLength"] > 0
    client.force_login(staff_a)
    response = client.get(job.get_download_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="figures-20230101-20231231.xlsx"'
    settings.AWS_S3_PRIVATE_REDIRECT = True
    redirect = client.get(job.get_download_url())
    with urllib.request.urlopen(redirect.url) as fetched:
        assert fetched.headers["Content-Disposition"] == 'attachment; filename="figures-20230101-20231231.xlsx"'
        assert fetched.read()[:2] == b"PK"  # a zip: the workbook
