"""`manage.py backup` and `restore`: every row and every file comes back.

The pytest database is in memory (SQLite) or inside a transaction (PostgreSQL),
so restores run in a subprocess against database files or scratch databases of
their own, as an operator would run them.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from wishes.models import MicroWish

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # bytes only: the backup does not look inside


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def sqlite_env(database: Path, media: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_BACKUP_DIR")}
    return {**env, "SQLITE_PATH": str(database), "DJANGO_MEDIA_ROOT": str(media), "DJANGO_CACHE_DIR": "memory", **extra}


def files_with_hashes(root: Path) -> dict:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sqlite_counts(path: Path) -> dict:
    db = sqlite3.connect(path)
    try:
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        db.close()


# Skipped before any fixture runs: the PostgreSQL round trip is test_postgresql_round_trip.
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory):
    """An empty, migrated SQLite database file (migrated once; tests copy it)."""
    folder = tmp_path_factory.mktemp("template")
    result = manage("migrate", "--noinput", "-v", "0", env=sqlite_env(folder / "db.sqlite3", folder / "media"))
    assert result.returncode == 0, result.stderr
    return folder / "db.sqlite3"


@pytest.fixture
def empty_target(tmp_path, migrated_template):
    """(database file, media folder, env) of a fresh, migrated, empty portal."""
    database = tmp_path / "restored.sqlite3"
    shutil.copyfile(migrated_template, database)
    media = tmp_path / "restored-media"
    return database, media, sqlite_env(database, media)


@pytest.fixture
def source_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def archive(source_media, tmp_path, member_user_a, liaison_a, staff_a, staff_b, member_b, cell_a):
    """A backup of communities A and B with their people, a wish with a photo and a roster file."""
    wish = MicroWish(
        community=member_user_a.community, grid_cell=cell_a, category=MicroWish.Category.STUDY,
        title="给孙子买一个书包", wisher_name="王秀英", wisher_phone="13700001111",
    )
    wish.photo.save("bag.jpg", ContentFile(PHOTO), save=False)
    wish.set_wisher_key()
    wish.save()
    (source_media / "imports").mkdir()
    (source_media / "imports" / "名单.xlsx").write_bytes(b"PK\x03\x04 roster")
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out)
    path = Path(out.getvalue().split()[0])
    assert path.parent == tmp_path / "backups" and path.name.startswith("portal-backup-")
    return path


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive in which `change(name, data)` may replace a member's bytes."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_every_row_and_file(archive, source_media, empty_target):
    database, media, env = empty_target
    before = sqlite_counts_of_test_db()
    assert before["portal_user"] == 4 and before["grid_partymember"] == 2 and before["wishes_microwish"] == 1

    result = manage("restore", str(archive), env=env)

    assert result.returncode == 0, result.stderr
    assert sqlite_counts(database) == before
    assert "grid_partymember" in result.stdout and "differs" not in result.stdout
    restored = sqlite3.connect(database)
    assert restored.execute("SELECT name, phone FROM grid_partymember ORDER BY name").fetchall() == [
        ("张建国", "13800001234"), ("李红", "13900005678"),
    ]
    assert {u for (u,) in restored.execute("SELECT username FROM portal_user")} == {
        "member_a", "liaison_a", "staff_a", "staff_b",
    }
    (photo,) = restored.execute("SELECT photo FROM wishes_microwish").fetchone()
    restored.close()
    assert files_with_hashes(media) == files_with_hashes(source_media)
    assert (media / photo).read_bytes() == PHOTO
    assert (media / "imports" / "名单.xlsx").exists()


def sqlite_counts_of_test_db() -> dict:
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in connection.introspection.table_names(cursor)
        }


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_archive_is_private_and_lists_rows_and_checksums(archive, source_media):
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == 1 and manifest["vendor"] == "sqlite"
    assert manifest["created_at"].endswith("+08:00")  # Asia/Shanghai, like the file name
    assert manifest["tables"]["grid_community"] == 2
    assert manifest["media"]["files"] == files_with_hashes(source_media)
    assert names[0] == "database.sqlite3" and names[-1] == "manifest.json"


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(archive, empty_target):
    database, media, env = empty_target
    assert manage("restore", str(archive), env=env).returncode == 0
    second = sqlite_env(database, media.with_name("other-media"))

    refused = manage("restore", str(archive), env=second)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert not media.with_name("other-media").exists()

    forced = manage("restore", "--force", str(archive), env=second)
    assert forced.returncode == 0, forced.stderr
    assert sqlite_counts(database)["grid_community"] == 2


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_a_damaged_archive_and_changes_nothing(archive, empty_target, tmp_path):
    database, media, env = empty_target
    before = sqlite_counts(database)

    def flip_a_byte_of_the_photo(name, data):
        return data[:-1] + bytes([data[-1] ^ 1]) if name.startswith("media/private/") else data

    altered = rewrite(archive, tmp_path / "altered.tar.gz", flip_a_byte_of_the_photo)
    result = manage("restore", str(altered), env=env)
    assert result.returncode != 0
    assert "Checksum mismatch" in result.stderr and "media/private/" in result.stderr

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    result = manage("restore", str(truncated), env=env)
    assert result.returncode != 0 and "archive" in result.stderr

    assert sqlite_counts(database) == before and before["portal_user"] == 0
    assert not media.exists()


@sqlite_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_refuses_an_archive_of_another_database_vendor(archive, empty_target, tmp_path):
    def claim_postgresql(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["vendor"], manifest["database"]["file"] = "postgresql", "database.pgdump"
        return json.dumps(manifest).encode()

    foreign = rewrite(archive, tmp_path / "foreign.tar.gz", claim_postgresql)
    result = manage("restore", str(foreign), env=empty_target[2])
    assert result.returncode != 0
    assert "holds a postgresql database" in result.stderr and "dumpdata/loaddata" in result.stderr


@sqlite_only
def test_backup_keeps_the_newest_archives_in_the_folder_from_the_environment(tmp_path, migrated_template):
    backups = tmp_path / "backups"
    backups.mkdir()
    for name in ("portal-backup-20230101-020000.tar.gz", "portal-backup-20240101-020000.tar.gz", "notes.txt"):
        (backups / name).write_bytes(b"old")
    shutil.copyfile(migrated_template, tmp_path / "db.sqlite3")
    env = sqlite_env(tmp_path / "db.sqlite3", tmp_path / "media", DJANGO_BACKUP_DIR=str(backups))

    result = manage("backup", "--keep", "2", env=env)

    assert result.returncode == 0, result.stderr
    new = Path(result.stdout.split()[0])
    assert new.parent == backups and new.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        ["notes.txt", "portal-backup-20240101-020000.tar.gz", new.name]
    )
    assert "removed older archive portal-backup-20230101-020000.tar.gz" in result.stdout


def test_backup_refuses_a_folder_inside_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="inside MEDIA_ROOT"):
        call_command("backup", output=tmp_path / "media" / "backups")


def test_backup_says_when_it_cannot_write_the_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(CommandError, match="Cannot write to the backup folder"):
        call_command("backup", output=tmp_path / "a-file" / "backups")
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        call_command("backup", output=tmp_path / "backups", keep=0)


@pytest.mark.postgres
def test_backup_says_when_pg_dump_is_missing(monkeypatch, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found"):
        call_command("backup", output=tmp_path / "backups")
    assert not list((tmp_path / "backups").glob("*.tar.gz"))


# --- PostgreSQL ------------------------------------------------------------------

SEED = """
import datetime
from django.core.files.base import ContentFile
from grid.models import CoBuildingUnit, GridCell, PartyMember
from portal.models import Community
from portal.models import User
from wishes.models import MicroWish
c = Community.objects.create(name="沙河街社区", code="shahejie", town="沙河镇", county="临泽县")
cell = GridCell.objects.create(community=c, number=1, name="东区网格")
unit = CoBuildingUnit.objects.create(community=c, name="临泽县示例局", kind=CoBuildingUnit.Kind.AGENCY)
PartyMember.objects.create(community=c, name="张建国", gender="male", phone="13800001234", employer_unit=unit,
                           grid_cell=cell, registered_on=datetime.date(2023, 3, 5))
User.objects.create_user(username="staff", password="Correct-horse-battery-9", role="staff", community=c)
w = MicroWish(community=c, grid_cell=cell, category="study", title="书包", wisher_name="王秀英", wisher_phone="13700001111")
w.photo.save("bag.jpg", ContentFile(b"photo-bytes"), save=False)
w.set_wisher_key()
w.save()
"""


@pytest.fixture
def scratch_databases():
    """Two new, empty PostgreSQL databases (source, target) on the test server; dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    import psycopg2

    params = settings.DATABASES["default"]
    server = {
        "host": params.get("HOST") or None, "port": params.get("PORT") or None,
        "user": params.get("USER") or None, "password": params.get("PASSWORD") or None,
    }
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    suffix = uuid.uuid4().hex[:8]
    names = [f"portal_backup_src_{suffix}", f"portal_backup_dst_{suffix}"]
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'CREATE DATABASE "{name}"')
    url = "postgres://{user}{password}@{host}:{port}/".format(
        user=params.get("USER") or "", password=f":{params['PASSWORD']}" if params.get("PASSWORD") else "",
        host=params.get("HOST") or "127.0.0.1", port=params.get("PORT") or 5432,
    )
    yield [(name, url + name, server) for name in names]
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def pg_counts(name, server) -> dict:
    import psycopg2

    with psycopg2.connect(dbname=name, **server) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [t for (t,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    db.close()
    return counts


@pytest.mark.postgres
def test_postgresql_round_trip(scratch_databases, tmp_path):
    (source, source_url, server), (target, target_url, _) = scratch_databases
    base = {k: v for k, v in os.environ.items() if k not in ("SQLITE_PATH", "DJANGO_BACKUP_DIR")}
    source_env = {**base, "DATABASE_URL": source_url, "DJANGO_MEDIA_ROOT": str(tmp_path / "media"), "DJANGO_CACHE_DIR": "memory"}
    for args in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", SEED], ["backup", "--output", str(tmp_path / "b")]):
        result = manage(*args, env=source_env)
        assert result.returncode == 0, result.stderr
    archive = Path(result.stdout.split()[0])
    with tarfile.open(archive, "r:gz") as tar:
        assert "database.pgdump" in tar.getnames()

    target_env = {**source_env, "DATABASE_URL": target_url, "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media")}
    result = manage("restore", str(archive), env=target_env)

    assert result.returncode == 0, result.stderr
    before = pg_counts(source, server)
    assert before["grid_partymember"] == 1 and before["portal_user"] == 1
    assert pg_counts(target, server) == before
    assert files_with_hashes(tmp_path / "restored-media") == files_with_hashes(tmp_path / "media")
    again = manage("restore", str(archive), env=target_env)
    assert again.returncode != 0 and "not empty" in again.stderr
