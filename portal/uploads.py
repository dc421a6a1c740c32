"""One safe pipeline for photos uploaded by residents and members.

- `SafeImageField` (form field) and `process_image` (plain function) check a
  file by its content with Pillow, refuse anything that is not a sound JPEG,
  PNG or WebP of reasonable size, and return a RE-ENCODED copy: orientation
  applied, all metadata (EXIF with GPS, XMP, comments, ICC) dropped, longest
  side at most `max_side`, saved under a random name. Anything else hidden in
  the upload (HTML, scripts, trailing data) does not survive re-encoding.
- `private_upload_path(folder)` is an `upload_to` that stores files under
  `private/<folder>/%Y/%m/<random>.<ext>`.
- `serve_private_file` streams such a file back; the caller checks permissions.
  Nothing under `private/` may be served from a public media URL.
"""

import io
import secrets
import warnings
from pathlib import PurePosixPath

from botocore.exceptions import ClientError
from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 5 * MB
DEFAULT_MAX_SIDE = 1600
DEFAULT_MAX_PIXELS = 40_000_000
# Only these Pillow decoders ever see the bytes. The JPEG opener reports
# multi-picture JPEGs (written by many phone cameras) as format "MPO".
OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
EXTENSION_ALIASES = {".jpeg": ".jpg"}

MESSAGES = {
    "invalid_image": _(
        "Upload a photo in JPEG, PNG or WebP format. This file is not one, or it is damaged."
    ),
    "file_too_large": _("The file is too large. The maximum size is %(max_mb)s MB."),
    "too_many_pixels": _("The image is too large. The maximum is %(max_mp)s megapixels."),
}


def _error(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _pixel_error(max_pixels):
    return _error("too_many_pixels", max_mp=f"{max_pixels / 1_000_000:g}")


def process_image(fileobj, *, max_side=DEFAULT_MAX_SIDE, max_pixels=DEFAULT_MAX_PIXELS) -> ContentFile:
    """Check `fileobj` (a binary file object) and return a clean re-encoded copy.

    The result is a JPEG, or a PNG when the image really has transparency,
    named `<32 hex digits>.jpg|.png`. Raises `ValidationError` on bad input.
    """
    with warnings.catch_warnings():
        # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that: make it fail.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            fileobj.seek(0)
            with Image.open(fileobj, formats=OPEN_FORMATS) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise _error("invalid_image")
                width, height = probe.size  # read from the header, nothing decoded yet
                if width * height > max_pixels:
                    raise _pixel_error(max_pixels)
                probe.verify()
            fileobj.seek(0)  # verify() leaves the image unusable: open it again
            with Image.open(fileobj, formats=OPEN_FORMATS) as img:
                img.load()
                result, output_format = _clean_pixels(img, max_side)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _pixel_error(max_pixels) from None
        except Exception:  # noqa: BLE001 - untrusted bytes: OSError, SyntaxError, ValueError,
            # struct.error, IndexError... from any decoder all mean "not a usable image".
            raise _error("invalid_image") from None

    buffer = io.BytesIO()
    if output_format == "PNG":
        result.save(buffer, "PNG", optimize=True)
        extension = ".png"
    else:
        result.save(buffer, "JPEG", quality=85, optimize=True)
        extension = ".jpg"
    return ContentFile(buffer.getvalue(), name=secrets.token_hex(16) + extension)


def _clean_pixels(img, max_side):
    """Return (metadata-free RGB/RGBA image, "JPEG" or "PNG") for a loaded image."""
    img = ImageOps.exif_transpose(img)
    if img.mode.startswith("I"):  # 16/32-bit greyscale: scale down instead of clipping
        img = img.point(lambda value: value / 256).convert("L")
    output_format = "JPEG"
    if img.has_transparency_data:
        img = img.convert("RGBA")
        if img.getchannel("A").getextrema()[0] < 255:
            output_format = "PNG"
    img = img.convert("RGBA" if output_format == "PNG" else "RGB")
    img.thumbnail((max_side, max_side), Image.LANCZOS)
    # A brand-new image from the raw pixels carries no info/EXIF/ICC/XMP/comment.
    return Image.frombytes(img.mode, img.size, img.tobytes()), output_format


class SafeImageField(forms.FileField):
    """File field that only accepts photos and cleans to a re-encoded `ContentFile`.

    An unchanged initial file or a ticked "clear" box is returned as Django's
    `FileField` would (the initial value / False); an empty optional field gives None.
    """

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *, max_side=DEFAULT_MAX_SIDE, max_bytes=None, max_pixels=DEFAULT_MAX_PIXELS, **kwargs):
        self.max_side = max_side
        self.max_bytes = max_bytes  # None: settings.UPLOAD_MAX_BYTES, read at clean time
        self.max_pixels = max_pixels
        super().__init__(**kwargs)

    def get_max_bytes(self):
        if self.max_bytes is not None:
            return self.max_bytes
        return getattr(settings, "UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):  # None, False ("clear") or the initial file
            return value
        max_bytes = self.get_max_bytes()
        if value.size is None or value.size > max_bytes:
            raise _error("file_too_large", max_mb=f"{max_bytes / MB:.1f}".removesuffix(".0"))
        return process_image(value, max_side=self.max_side, max_pixels=self.max_pixels)


def _safe_extension(name):
    extension = PurePosixPath(name or "").suffix.lower()
    extension = EXTENSION_ALIASES.get(extension, extension)
    return extension if extension in CONTENT_TYPES else ".bin"


@deconstructible(path="portal.uploads.PrivateUploadPath")
class PrivateUploadPath:
    """`upload_to` callable (serializable in migrations) for private files."""

    def __init__(self, folder):
        parts = PurePosixPath(folder).parts
        if not parts or PurePosixPath(folder).is_absolute() or any(p in (".", "..") for p in parts):
            raise ValueError(f"Invalid private upload folder: {folder!r}")
        self.folder = folder

    def __call__(self, instance, filename):
        now = timezone.localtime() if settings.USE_TZ else timezone.now()
        name = secrets.token_hex(16) + _safe_extension(filename)
        return f"private/{self.folder}/{now:%Y/%m}/{name}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadPath) and other.folder == self.folder

    def __hash__(self):
        return hash(self.folder)


def private_upload_path(folder: str) -> PrivateUploadPath:
    """`FileField(upload_to=private_upload_path("wishes"))` → private/wishes/%Y/%m/<random>.<ext>."""
    return PrivateUploadPath(folder)


def serve_private_file(field_file, *, filename=None, content_type=None, as_attachment=False):
    """Hand a stored file (a FieldFile, or anything with `.name` and maybe `.storage`)
    to the browser: streamed by this process, or, on object storage with
    settings.AWS_S3_PRIVATE_REDIRECT, as a redirect to a presigned URL valid
    AWS_S3_PRESIGNED_SECONDS (the bytes then skip the app host).

    Call it only after checking that the user may see the file. Raises Http404
    when there is no file or it is missing from storage. Photos are shown inline
    with their type from the extension; pass `content_type` and `as_attachment`
    for other files (prepared exports).
    """
    name = getattr(field_file, "name", None)
    if not name:
        raise Http404("No file.")
    storage = getattr(field_file, "storage", None) or default_storage

    extension = _safe_extension(name)
    download_name = PurePosixPath(name).stem + extension
    if filename:
        try:
            clean = PurePosixPath(get_valid_filename(PurePosixPath(filename).name))
        except SuspiciousFileOperation:
            clean = None
        if clean is not None and clean.stem.strip("."):
            download_name = clean.stem.strip(".") + (clean.suffix if content_type else extension)
    content_type = content_type or CONTENT_TYPES.get(extension, "application/octet-stream")
    if getattr(settings, "AWS_S3_PRIVATE_REDIRECT", False) and hasattr(storage, "bucket_name"):
        return _presigned_redirect(storage, name, content_type, download_name, as_attachment)
    try:
        handle = storage.open(name, "rb")
    except (OSError, SuspiciousFileOperation, ClientError):  # ClientError: S3 has no such object
        raise Http404("File not found.") from None
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=download_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _presigned_redirect(storage, name, content_type, download_name, as_attachment):
    """302 to a short-lived signed URL of the object, telling the object store which
    headers to answer with (type, inline or attachment, not cached)."""
    disposition = "attachment" if as_attachment else "inline"
    parameters = {
        "ResponseContentType": content_type,
        "ResponseContentDisposition": f'{disposition}; filename="{download_name}"',
        "ResponseCacheControl": "private, no-store",
    }
    url = storage.url(name, parameters=parameters, expire=settings.AWS_S3_PRESIGNED_SECONDS)
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = "private, no-store"
    return response
