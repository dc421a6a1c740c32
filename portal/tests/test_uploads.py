import dataclasses
import datetime
import functools
import io
import random
import re
import struct
import warnings
import zlib
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from PIL import Image, PngImagePlugin

from portal import uploads


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the portal's default is Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield
from portal.uploads import (
    SafeImageField,
    private_upload_path,
    process_image,
    serve_private_file,
)

NAME_RE = re.compile(r"^[0-9a-f]{32}\.(jpg|png)$")


def encode(img, fmt, **save_kwargs):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(result):
    return Image.open(io.BytesIO(result.read() if hasattr(result, "read") else result))


def jpeg_bytes(size=(60, 40), color="red", **kwargs):
    return encode(Image.new("RGB", size, color), "JPEG", **kwargs)


def noise(size):
    return Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))


def png_header_only(width, height):
    """A tiny PNG whose header claims `width` x `height` pixels (cheap bomb)."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def assert_refused(content, **kwargs):
    with pytest.raises(ValidationError) as excinfo:
        process_image(io.BytesIO(content), **kwargs)
    assert excinfo.value.messages and all(excinfo.value.messages)
    return excinfo.value


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- process_image: what comes out -------------------------------------------------


def test_jpeg_exif_gps_is_dropped_and_orientation_applied():
    img = Image.new("RGB", (60, 40), "blue")
    img.paste((255, 0, 0), (0, 0, 30, 40))  # left half red
    exif = img.getexif()
    exif[0x0112] = 6  # stored rotated: display needs a 90° clockwise turn
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 0.0, 0.0)
    source = encode(img, "JPEG", exif=exif, comment=b"secret comment")
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the input really has GPS

    result = process_image(io.BytesIO(source))
    data = result.read()
    out = opened(data)
    assert out.format == "JPEG"
    assert out.size == (40, 60)  # width and height swapped
    assert out.getpixel((20, 5))[0] > 200 and out.getpixel((20, 55))[2] > 200  # red on top, blue below
    assert len(out.getexif()) == 0
    assert not out.getexif().get_ifd(0x8825)
    assert "exif" not in out.info and "comment" not in out.info
    assert b"Exif" not in data and b"secret" not in data


def test_png_with_transparency_stays_png_and_drops_text_chunks():
    img = Image.new("RGBA", (50, 30), (0, 255, 0, 0))
    img.putpixel((1, 1), (255, 0, 0, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    result = process_image(io.BytesIO(encode(img, "PNG", pnginfo=info)))
    data = result.read()
    out = opened(data)
    assert (out.format, out.mode, out.size) == ("PNG", "RGBA", (50, 30))
    assert out.getpixel((0, 0))[3] == 0 and out.getpixel((1, 1)) == (255, 0, 0, 255)
    assert result.name.endswith(".png")
    assert b"<script" not in data and "Comment" not in out.info


def test_opaque_png_becomes_jpeg():
    result = process_image(io.BytesIO(encode(Image.new("RGBA", (20, 20), (1, 2, 3, 255)), "PNG")))
    assert result.name.endswith(".jpg") and opened(result).format == "JPEG"


def test_webp_is_accepted_and_converted():
    result = process_image(io.BytesIO(encode(Image.new("RGB", (30, 20), "green"), "WEBP")))
    assert opened(result).format == "JPEG" and result.name.endswith(".jpg")
    transparent = process_image(io.BytesIO(encode(Image.new("RGBA", (30, 20), (0, 0, 0, 0)), "WEBP")))
    assert opened(transparent).format == "PNG"


def test_multi_picture_jpeg_from_phones_is_accepted():
    source = encode(Image.new("RGB", (30, 20), "red"), "MPO", save_all=True, append_images=[Image.new("RGB", (30, 20))])
    assert Image.open(io.BytesIO(source)).format == "MPO"
    assert opened(process_image(io.BytesIO(source))).size == (30, 20)


@pytest.mark.parametrize(
    "img, fmt",
    [
        (Image.new("CMYK", (20, 10), (0, 255, 255, 0)), "JPEG"),
        (Image.new("L", (20, 10), 128), "JPEG"),
        (Image.new("LA", (20, 10), (128, 0)), "PNG"),
        (Image.new("I;16", (20, 10), 40000), "PNG"),
        (Image.new("1", (20, 10), 1), "PNG"),
        (Image.new("P", (20, 10), 3), "PNG"),
    ],
    ids=["cmyk", "L", "LA", "I16", "1bit", "P"],
)
def test_other_modes_are_converted(img, fmt):
    out = opened(process_image(io.BytesIO(encode(img, fmt))))
    assert out.mode in ("RGB", "RGBA") and out.size == (20, 10)
    if img.mode == "I;16":
        assert 140 < out.getpixel((0, 0))[0] < 170  # scaled (40000/256), not clipped to white


def test_large_image_is_resized_to_max_side():
    out = opened(process_image(io.BytesIO(jpeg_bytes((4000, 3000)))))
    assert out.size == (1600, 1200)
    assert opened(process_image(io.BytesIO(jpeg_bytes((300, 900))), max_side=300)).size == (100, 300)


def test_output_names_are_random_and_ignore_the_users_name():
    first = process_image(upload(jpeg_bytes(), name="../../etc/passwd.jpg"))
    second = process_image(upload(jpeg_bytes(), name="../../etc/passwd.jpg"))
    assert isinstance(first, ContentFile)
    assert NAME_RE.match(first.name) and NAME_RE.match(second.name)
    assert first.name != second.name and "passwd" not in first.name


def test_png_with_script_after_iend_is_accepted_but_cleaned():
    source = encode(Image.new("RGB", (20, 20), "red"), "PNG") + b"<html><script>alert(1)</script></html>"
    assert b"<script" not in process_image(io.BytesIO(source)).read()


# --- process_image: what is refused ----------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(encode(Image.new("RGB", (10, 10)), "GIF"), id="gif"),
        pytest.param(encode(Image.new("RGB", (10, 10)), "BMP"), id="bmp"),
        pytest.param(encode(Image.new("RGB", (10, 10)), "TIFF"), id="tiff"),
        pytest.param(encode(Image.new("RGB", (10, 10)), "PDF"), id="pdf"),
        pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
        pytest.param(b"just some text, renamed to photo.jpg\n" * 20, id="text"),
        pytest.param(b"<html><script>alert(1)</script></html>", id="html-polyglot"),
        pytest.param(jpeg_bytes((200, 200))[:200], id="truncated-jpeg"),
        pytest.param(encode(noise((200, 200)), "PNG")[:3000], id="truncated-png"),
        pytest.param(b"", id="empty"),
    ],
)
def test_refuses_what_is_not_a_sound_photo(content):
    error = assert_refused(content)
    assert error.code == "invalid_image"


def test_corrupt_png_checksum_is_refused():
    data = bytearray(encode(Image.new("RGB", (40, 40), "red"), "PNG"))
    data[-20] ^= 0xFF  # inside the IDAT chunk: CRC mismatch
    assert_refused(bytes(data))


@pytest.fixture(scope="module")
def black_9000_png():
    return encode(Image.new("L", (9000, 9000), 0), "PNG")


def test_refuses_too_many_pixels_before_decoding(black_9000_png):
    assert len(black_9000_png) < 1024 * 1024
    error = assert_refused(black_9000_png)
    assert error.code == "too_many_pixels" and "40" in error.messages[0]
    assert assert_refused(jpeg_bytes((2000, 2000)), max_pixels=1_000_000).code == "too_many_pixels"


def test_pillow_decompression_bomb_guards_become_form_errors():
    before_filters, before_max = list(warnings.filters), Image.MAX_IMAGE_PIXELS
    # Above Pillow's limit (warning) while our own limit is lifted: still refused.
    assert assert_refused(png_header_only(10_000, 10_000), max_pixels=10**12).code == "too_many_pixels"
    # Far above it: Pillow raises DecompressionBombError inside Image.open.
    assert assert_refused(png_header_only(100_000, 100_000), max_pixels=10**12).code == "too_many_pixels"
    assert assert_refused(png_header_only(100_000, 100_000)).code == "too_many_pixels"
    assert warnings.filters == before_filters and Image.MAX_IMAGE_PIXELS == before_max


# --- SafeImageField ----------------------------------------------------------------


class PhotoForm(forms.Form):
    photo = SafeImageField()


class OptionalPhotoForm(forms.Form):
    photo = SafeImageField(required=False, max_side=100)


def test_field_accepts_a_photo_and_cleans_to_content_file():
    form = OptionalPhotoForm(files={"photo": upload(jpeg_bytes((400, 200)), name="../../etc/passwd.jpg")})
    assert form.is_valid(), form.errors
    photo = form.cleaned_data["photo"]
    assert isinstance(photo, ContentFile) and NAME_RE.match(photo.name)
    assert opened(photo).size == (100, 50)


def test_field_ignores_the_content_type_header():
    form = PhotoForm(files={"photo": upload(b"<html><script>alert(1)</script></html>", "x.png", "image/png")})
    assert not form.is_valid()
    assert form.errors["photo"]


@pytest.mark.parametrize(
    "content", [encode(Image.new("RGB", (10, 10)), "GIF"), b"hello", jpeg_bytes()[:200]], ids=["gif", "text", "truncated"]
)
def test_field_gives_an_error_for_bad_input(content):
    form = PhotoForm(files={"photo": upload(content)})
    assert not form.is_valid()
    assert "JPEG, PNG or WebP" in form.errors["photo"][0]


def test_field_refuses_a_bomb(black_9000_png):
    form = PhotoForm(files={"photo": upload(black_9000_png, "bomb.png")})
    assert not form.is_valid() and "megapixels" in form.errors["photo"][0]


def test_field_size_limit(settings):
    content = jpeg_bytes((200, 200))
    form = type("F", (forms.Form,), {"photo": SafeImageField(max_bytes=len(content) - 1)})
    bound = form(files={"photo": upload(content)})
    assert not bound.is_valid() and "maximum size" in bound.errors["photo"][0]

    settings.UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    bound = PhotoForm(files={"photo": upload(b"x" * (3 * 1024 * 1024 + 1))})
    assert not bound.is_valid() and "3 MB" in bound.errors["photo"][0]


def test_field_default_size_limit_is_5_mb(settings, monkeypatch):
    del settings.UPLOAD_MAX_BYTES  # make sure the project default is used
    assert SafeImageField().get_max_bytes() == 5 * 1024 * 1024
    monkeypatch.setattr(uploads, "DEFAULT_MAX_BYTES", 100)
    bound = PhotoForm(files={"photo": upload(jpeg_bytes((200, 200)))})
    assert not bound.is_valid() and "maximum size" in bound.errors["photo"][0]


def test_field_required_and_optional_empty():
    assert not PhotoForm(data={}, files={}).is_valid()
    form = OptionalPhotoForm(data={}, files={})
    assert form.is_valid() and form.cleaned_data["photo"] is None


def test_field_widget_accepts_only_photos():
    html = str(PhotoForm()["photo"])
    assert 'accept="image/jpeg,image/png,image/webp"' in html


# --- private_upload_path -----------------------------------------------------------


def test_private_upload_path():
    upload_to = private_upload_path("wishes")
    path = upload_to(instance=None, filename="abc.jpg")
    assert path.startswith("private/wishes/") and "abc" not in path
    assert re.fullmatch(r"private/wishes/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", path)
    assert upload_to(None, "abc.jpg") != path
    assert upload_to(None, "evil.html").endswith(".bin")


def test_private_upload_path_is_serializable_for_migrations():
    field = models.FileField(upload_to=private_upload_path("wishes"))
    source, imports = MigrationWriter.serialize(field)
    assert "portal.uploads.PrivateUploadPath('wishes')" in source
    assert private_upload_path("wishes") == private_upload_path("wishes")


@pytest.mark.parametrize("folder", ["", "/abs", "../up", "a/../b"])
def test_private_upload_path_refuses_bad_folders(folder):
    with pytest.raises(ValueError):
        private_upload_path(folder)


# --- serve_private_file ------------------------------------------------------------


def stored_photo():
    name = private_upload_path("wishes")(None, "x.jpg")
    return default_storage.save(name, ContentFile(jpeg_bytes()))


def test_serve_private_file_headers_and_body():
    name = stored_photo()
    field_file = FieldFile(instance=None, field=models.FileField(), name=name)
    response = serve_private_file(field_file)
    body = b"".join(response.streaming_content)
    response.file_to_stream.close()  # not response.close(): that fires request_finished
    assert response.status_code == 200 and body == jpeg_bytes()
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert name.rsplit("/", 1)[1] in response["Content-Disposition"]


def test_serve_private_file_with_duck_typed_object_and_chosen_filename():
    response = serve_private_file(SimpleNamespace(name=stored_photo()), filename='../../x"; evil.html')
    response.file_to_stream.close()  # not response.close(): that fires request_finished
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline") and disposition.endswith('.jpg"')
    assert "/" not in disposition.split("filename=")[1] and "html" not in disposition.split(".jpg")[-1]


@pytest.mark.parametrize("name", ["private/wishes/2024/01/missing.jpg", "", None, "../../etc/passwd"])
def test_serve_private_file_404_when_missing(name):
    with pytest.raises(Http404):
        serve_private_file(SimpleNamespace(name=name))


# --- Every upload path of the portal, through its page ---------------------------------
#
# Each form with a photo (found by `SafeImageField`) refuses hostile files with a
# form error and stores nothing, and stores a real photo re-encoded, without its
# metadata, under a generated name.


def _jpeg_with_gps():
    img = Image.new("RGB", (64, 48), "blue")
    exif = img.getexif()
    exif[0x010F] = "PhoneMaker"  # camera make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 9.0, 30.0), "E", (100.0, 9.0, 50.0)
    data = encode(img, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input really has GPS
    return data


HTML = b"<html><script>alert(document.cookie)</script></html>"
HOSTILE = {
    # Tiny on disk, 400 megapixels once decoded.
    "bomb": (png_header_only(20_000, 20_000), "photo.png", "image/png", "megapixels"),
    "elf-as-jpg": (b"\x7fELF\x02\x01\x01\x00" + bytes(200), "photo.jpg", "image/jpeg", "JPEG, PNG or WebP"),
    "exe-as-jpg": (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200) + b"PE\x00\x00", "photo.jpg", "image/jpeg", "JPEG, PNG or WebP"),
    "html-as-png": (HTML, "photo.png", "image/png", "JPEG, PNG or WebP"),
    "gif-with-html": (encode(Image.new("RGB", (10, 10)), "GIF") + HTML, "photo.gif", "image/gif", "JPEG, PNG or WebP"),
}
STORED_NAME = re.compile(r"^private/[a-z]+/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$")


def _event_form(world):
    from volunteers.models import EventKind

    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=5)).replace(hour=9, minute=0, second=0, microsecond=0)
    return {
        "title": "义诊进社区", "kind": EventKind.objects.get(community__isnull=True, code="clinic").pk,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "社区卫生室", "description": "为老人量血压",
    }


def _claimed_wish(world):
    from wishes.models import MicroWish
    from wishes.services import wish_approve, wish_claim, wish_submit

    wish = wish_submit(wish=MicroWish(
        community=world("community_a"), grid_cell=world("cell_a"), category="study", title="书包",
        wisher_name="王秀英", wisher_phone="13700001111",
    ))
    wish = wish_approve(wish=wish, by=world("staff_a"))
    return wish_claim(wish=wish, by=world("member_user_a"))


def _station(world):
    from grid.models import Station

    return Station.objects.create(community=world("community_a"), grid_cell=world("cell_a"), name="驿站", kind="station")


def _resident_form(world, prefix):
    return {
        f"{prefix}_name": "王秀英", f"{prefix}_phone": "13700001111", "grid_cell": world("cell_a").pk,
        "building": "", "address_detail": "", "category": "other", "title": "楼道灯坏了", "description": "",
    }


def _last(model_path, field):
    def stored(world):
        from django.apps import apps

        record = apps.get_model(model_path).objects.order_by("-pk").first()
        return getattr(record, field) if record is not None else None

    return stored


@dataclasses.dataclass
class UploadPath:
    user: str | None  # fixture name of the user who uploads (None: a resident without account)
    url: object  # world -> (url, extra POST data)
    data: object  # world -> the other fields, all valid
    stored: object  # world -> the FieldFile of the upload (or None)


UPLOAD_PATHS = {
    "public-wish": UploadPath(
        None,
        lambda w: (reverse("wishes:new") + f"?c={w('community_a').code}", {}),
        lambda w: {**_resident_form(w, "wisher"), "consent": "on", "sensitive_consent": "on", "website": ""},
        _last("wishes.MicroWish", "photo"),
    ),
    "proxy-wish": UploadPath(
        "staff_a",
        lambda w: (reverse("wishes:proxy_new"), {}),
        lambda w: {**_resident_form(w, "wisher"), "resident_agreed": "on"},
        _last("wishes.MicroWish", "photo"),
    ),
    "wish-delivery": UploadPath(
        "member_user_a",
        lambda w: (reverse("wishes:deliver", args=[w.claimed.pk]), {}),
        lambda w: {"note": "书包已送到"},
        lambda w: type(w.claimed).objects.get(pk=w.claimed.pk).delivery_photo,
    ),
    "public-appeal": UploadPath(
        None,
        lambda w: (reverse("grid:appeal_new") + f"?c={w('community_a').code}", {}),
        lambda w: {**_resident_form(w, "resident"), "consent": "on", "sensitive_consent": "on", "website": ""},
        _last("grid.Appeal", "photo"),
    ),
    "staff-appeal": UploadPath(
        "grid_worker_a",
        lambda w: (reverse("grid:appeal_record"), {}),
        lambda w: {**_resident_form(w, "resident"), "resident_agreed": "on"},
        _last("grid.Appeal", "photo"),
    ),
    "event-photo": UploadPath(
        "staff_a",
        lambda w: (reverse("volunteers:event_create"), {}),
        _event_form,
        _last("volunteers.VolunteerEvent", "photo"),
    ),
    "station-update-photo": UploadPath(
        "grid_worker_a",
        lambda w: (reverse("grid:station_update_create", args=[w.station.pk]), {}),
        lambda w: {"updated_on": timezone.localdate().isoformat(), "title": "新宣传画", "kind": "slogans", "note": ""},
        _last("grid.StationUpdate", "photo"),
    ),
}


class UploadWorld:
    """Fixtures by name (`world("staff_a")`), and the records an upload needs."""

    def __init__(self, request):
        self.request = request

    def __call__(self, name):
        return self.request.getfixturevalue(name)

    @functools.cached_property
    def claimed(self):
        return _claimed_wish(self)

    @functools.cached_property
    def station(self):
        return _station(self)


def _post(client, world, path, photo):
    if path.user:
        client.force_login(world(path.user))
    url, extra = path.url(world)
    return client.post(url, {**path.data(world), **extra, "photo": photo})


def _stored_files(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def upload_world(request, db, client):
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return UploadWorld(request)


def test_every_photo_field_has_an_upload_path_here():
    """A new form with a photo gets its page into UPLOAD_PATHS."""
    from django.forms import BaseForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import grid.forms_stations
    import grid.forms_work
    import volunteers.forms_staff
    import wishes.forms
    import wishes.staff_forms

    with_photo = {
        f"{form.__module__}.{form.__name__}"
        for form in subclasses(BaseForm)
        if any(isinstance(field, SafeImageField) for field in getattr(form, "base_fields", {}).values())
        and form.__module__.split(".")[0] in ("grid", "wishes", "volunteers", "council")
    }
    assert with_photo == {
        "wishes.forms.WishForm", "wishes.forms.PublicWishForm", "wishes.staff_forms.ProxyWishForm",
        "wishes.staff_forms.DeliverForm", "grid.forms_work.AppealForm", "grid.forms_work.PublicAppealForm",
        "grid.forms_work.RecordAppealForm", "volunteers.forms_staff.EventForm", "grid.forms_stations.StationUpdateForm",
    }, "a new photo field: add its page to UPLOAD_PATHS"


@pytest.mark.parametrize("payload", sorted(HOSTILE))
@pytest.mark.parametrize("where", sorted(UPLOAD_PATHS))
def test_hostile_file_is_refused_and_not_stored(client, upload_world, tmp_path, where, payload):
    path = UPLOAD_PATHS[where]
    content, name, content_type, message = HOSTILE[payload]
    before = _stored_files(tmp_path)
    response = _post(client, upload_world, path, upload(content, name, content_type))
    assert response.status_code == 200, response.get("Location")
    errors = response.context["form"].errors.get("photo", [])
    assert errors and message in errors[0], errors
    assert _stored_files(tmp_path) == before
    stored = path.stored(upload_world)
    assert not stored  # no record, or one without a photo


@pytest.mark.parametrize("where", sorted(UPLOAD_PATHS))
def test_photo_is_stored_reencoded_without_metadata(client, upload_world, tmp_path, where):
    path = UPLOAD_PATHS[where]
    source = _jpeg_with_gps() + b"<html><script>alert(1)</script></html>"  # a photo with HTML appended
    response = _post(client, upload_world, path, upload(source, "../../IMG_0001 <b>.jpg", "image/jpeg"))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    stored = path.stored(upload_world)
    assert STORED_NAME.match(stored.name), stored.name
    data = (tmp_path / stored.name).read_bytes()
    assert data != source and b"<script" not in data and b"Exif" not in data and b"PhoneMaker" not in data
    out = Image.open(io.BytesIO(data))
    assert out.format == "JPEG" and out.size == (64, 48)
    assert len(out.getexif()) == 0 and not out.getexif().get_ifd(0x8825)
