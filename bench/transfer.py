"""What a phone downloads for a page: the HTML and every stylesheet, script and image
it links from /static/, compressed as the server sends them (gzip: whitenoise
serves the .gz copies that `collectstatic` writes; the HTML gzipped at level 6,
as nginx's `gzip on` would)."""

import gzip
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

LINKS = re.compile(r"""<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)\"""")


def collectstatic(root: Path) -> None:
    """collectstatic into `root` (in a child process, so that this one's settings stay)."""
    import os

    env = {**os.environ, "DJANGO_STATIC_ROOT": str(root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True,
    )


def page_transfer(html: str, static_root: Path) -> list[tuple[str, int, int]]:
    """(file, raw bytes, compressed bytes) for the page and the static files it links."""
    raw = html.encode()
    rows = [("(the page's HTML)", len(raw), len(gzip.compress(raw, 6)))]
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    for url in dict.fromkeys(LINKS.findall(html)):
        if not url.startswith(prefix):
            continue
        path = static_root / url[len(prefix):].split("?")[0]
        compressed = path.with_name(path.name + ".gz")
        size = path.stat().st_size
        rows.append((url, size, compressed.stat().st_size if compressed.exists() else size))
    return rows
