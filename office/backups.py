"""Backups of the database and the uploaded files, and their restore.

`manage.py backup` writes one archive, `portal-backup-YYYYmmdd-HHMMSS.tar.gz`
(local time, settings.TIME_ZONE), with mode 0600 because it holds personal data:

- `database.sqlite3`: a copy made with SQLite's online backup API, consistent
  while the site keeps writing (WAL mode); or `database.pgdump`: `pg_dump
  --format=custom` of the snapshot in which the rows were counted;
- `media/...`: every regular file under MEDIA_ROOT (symlinks are skipped), read
  after the database, so every file the dump refers to is there;
- `manifest.json` (last): format, database vendor, time, rows per table and the
  sha256 of the dump and of every media file.

`manage.py restore ARCHIVE` checks every checksum before it changes anything,
then puts the database back (backup API into the configured SQLite file;
`pg_restore --clean --if-exists --single-transaction` on PostgreSQL), copies the
files into MEDIA_ROOT and compares the rows per table with the manifest.

A database counts as empty, and is restored into without `--force`, when it has
no tables or no user accounts and no communities: every record of the portal
belongs to a community or was entered through an account, while `migrate` alone
fills content types, permissions and the built-in event kinds, which the
restore replaces anyway.
"""

import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

FORMAT = 1
PREFIX = "portal-backup-"
ARCHIVE_RE = re.compile(r"^portal-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for an operator."""


@dataclasses.dataclass
class BackupResult:
    path: Path
    size: int
    tables: dict
    media_count: int
    skipped: list


@dataclasses.dataclass
class RestoreResult:
    manifest: dict
    counts: list  # (table, rows in the manifest, rows now or None when the table is missing)
    media_count: int
    unapplied_migrations: int

    @property
    def mismatches(self):
        return [row for row in self.counts if row[1] != row[2]]


def default_backup_dir() -> Path:
    configured = getattr(settings, "BACKUP_DIR", None) or os.environ.get("DJANGO_BACKUP_DIR")
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "backups"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Hands a file to tarfile and hashes what tarfile reads, so each file is read once."""

    def __init__(self, f):
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""  # not reached


# --- connection details ---------------------------------------------------------


def _connection(alias=DEFAULT_DB_ALIAS):
    connection = connections[alias]
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection


def _pg_env(settings_dict) -> dict:
    """libpq variables for pg_dump/pg_restore: the password travels in the
    environment of the child process, never on its command line."""
    env = dict(os.environ)
    for key, var in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
            f"major version (Debian: apt install postgresql-client-15)."
        )
    return path


def _run_pg_tool(args, settings_dict, what):
    try:
        result = subprocess.run(args, env=_pg_env(settings_dict), capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"Could not run {args[0]}: {error}") from error
    if result.returncode != 0:
        detail = "\n".join(result.stderr.strip().splitlines()[-10:])
        raise BackupError(f"{what} failed (exit code {result.returncode}):\n{detail}")


def _count_rows(cursor, connection, tables) -> dict:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_tables(db: sqlite3.Connection) -> list:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


# --- backup -----------------------------------------------------------------------


def _dump_sqlite(connection, target: Path) -> dict:
    """Copy the live database with the online backup API; count the rows in the copy,
    so the counts describe exactly what was saved."""
    if connection.in_atomic_block:
        raise BackupError("Cannot back up SQLite from inside a transaction: the copy would wait for it forever.")
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        counts = {}
        for table in sorted(_sqlite_tables(copy)):
            counts[table] = copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        copy.close()
    return counts


def _dump_postgresql(connection, target: Path) -> dict:
    """pg_dump the snapshot in which the rows are counted (pg_export_snapshot), so the
    counts in the manifest are those of the dump even while the site keeps writing."""
    pg_dump = _pg_tool("pg_dump")
    settings_dict = connection.settings_dict
    if not settings_dict.get("NAME"):
        raise BackupError("The database settings have no NAME to dump.")
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _count_rows(cursor, connection, connection.introspection.table_names(cursor))
            _run_pg_tool(
                [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={target}",
                 f"--dbname={settings_dict['NAME']}"],
                settings_dict,
                "pg_dump",
            )
    return counts


def _media_files(media_root: Path):
    """Regular files under MEDIA_ROOT, sorted, as (relative POSIX path, path); and the symlinks skipped."""
    files, skipped = [], []
    if not media_root.is_dir():
        return files, skipped
    for folder, dirnames, filenames in os.walk(media_root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder) / name
            relative = path.relative_to(media_root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
            else:
                files.append((relative, path))
    return files, skipped


def _archive_name(output_dir: Path, now) -> Path:
    stamp = timezone.localtime(now, timezone.get_default_timezone()).strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"{PREFIX}{stamp}.tar.gz"
    number = 1
    while path.exists():
        number += 1
        path = output_dir / f"{PREFIX}{stamp}-{number}.tar.gz"
    return path


def create_backup(output_dir: Path, *, alias=DEFAULT_DB_ALIAS, now=None) -> BackupResult:
    connection = _connection(alias)
    now = now or timezone.now()
    output_dir = Path(output_dir).absolute()
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if output_dir.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"The backup folder {output_dir} is inside MEDIA_ROOT; choose a folder outside it.")
    try:
        output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        staging = Path(tempfile.mkdtemp(prefix=".portal-backup-", dir=output_dir))
    except OSError as error:
        raise BackupError(f"Cannot write to the backup folder {output_dir}: {error.strerror or error}") from error
    try:
        dump = staging / DUMP_NAMES[connection.vendor]
        counts = (_dump_sqlite if connection.vendor == "sqlite" else _dump_postgresql)(connection, dump)
        partial = staging / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)  # whatever the umask
        media_hashes = {}
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(dump, arcname=dump.name, filter=_anonymous_owner)
                files, skipped = _media_files(media_root)
                for relative, path in files:
                    try:
                        f = open(path, "rb")
                    except FileNotFoundError:
                        continue  # deleted since the listing: it is gone from the live site too
                    with f:
                        info = _anonymous_owner(tar.gettarinfo(arcname=MEDIA_PREFIX + relative, fileobj=f))
                        reader = _HashingReader(f)
                        tar.addfile(info, reader)
                    media_hashes[relative] = reader.digest.hexdigest()
                manifest = {
                    "format": FORMAT,
                    "created_at": timezone.localtime(now, timezone.get_default_timezone()).isoformat(),
                    "vendor": connection.vendor,
                    "database": {"file": dump.name, "sha256": sha256_file(dump), "size": dump.stat().st_size},
                    "tables": counts,
                    "media": {"count": len(media_hashes), "files": media_hashes},
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())  # on disk before it gets its final name
        archive = _archive_name(output_dir, now)
        os.replace(partial, archive)
    except (OSError, sqlite3.Error) as error:
        detail = getattr(error, "strerror", None) or error
        raise BackupError(f"Could not write the backup in {output_dir}: {detail}") from error
    except DatabaseError as error:
        raise BackupError(f"The database did not answer: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(archive, archive.stat().st_size, counts, len(media_hashes), skipped)


def _anonymous_owner(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def archives(output_dir: Path) -> list:
    """The backup archives in a folder, oldest first (by the time in their names)."""
    output_dir = Path(output_dir)
    if not output_dir.is_dir():
        return []
    found = []
    for path in output_dir.iterdir():
        match = ARCHIVE_RE.match(path.name)
        if match and path.is_file():
            found.append(((match[1], int(match[2] or 1)), path))
    return [path for _, path in sorted(found)]


def prune(output_dir: Path, keep: int) -> list:
    """Delete all but the newest `keep` archives; other files are left alone."""
    if keep < 1:
        raise BackupError("--keep must be at least 1.")
    old = archives(output_dir)[:-keep]
    for path in old:
        path.unlink()
    return old


# --- restore ----------------------------------------------------------------------


def database_is_empty(alias=DEFAULT_DB_ALIAS) -> bool:
    """No tables, or no user accounts and no communities (see the module's docstring)."""
    connection = connections[alias]
    tables = set(connection.introspection.table_names())
    for model in (apps.get_model(settings.AUTH_USER_MODEL), apps.get_model("portal", "Community")):
        if model._meta.db_table in tables and model._default_manager.using(alias).exists():
            return False
    return True


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        raise BackupError(f"The archive holds an unsafe path: {name!r}.")
    return path


def read_manifest(archive: Path) -> dict:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.getmember(MANIFEST)
            manifest = json.load(tar.extractfile(member))
    except FileNotFoundError:
        raise BackupError(f"No such file: {archive}") from None
    except KeyError:
        raise BackupError(f"{archive} has no {MANIFEST}: it is not a portal backup.") from None
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise BackupError(f"{archive} is not a readable backup archive ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has a manifest of an unknown format ({manifest.get('format')!r}, expected {FORMAT}).")
    if manifest.get("vendor") not in DUMP_NAMES or manifest.get("database", {}).get("file") != DUMP_NAMES[manifest["vendor"]]:
        raise BackupError(f"{archive} has a manifest without a known database dump.")
    for name in manifest["media"]["files"]:
        _safe_relative(name)
    return manifest


def _extract_and_verify(archive: Path, manifest: dict, staging: Path) -> Path:
    """Copy every member into `staging`, checking each against the manifest. Nothing
    outside `staging` is written; anything unexpected or altered stops the restore."""
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({MEDIA_PREFIX + name: digest for name, digest in manifest["media"]["files"].items()})
    seen = set()
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or member.name in seen or not member.isfile():
                    raise BackupError(f"The archive holds {member.name!r}, which its manifest does not list.")
                target = staging / _safe_relative(member.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    for chunk in iter(lambda: source.read(CHUNK), b""):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[member.name]:
                    raise BackupError(f"Checksum mismatch for {member.name}: the archive is damaged or was altered.")
                seen.add(member.name)
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is damaged ({error}).") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The archive lacks {len(missing)} file(s) its manifest lists, e.g. {missing[0]}.")
    return staging / manifest["database"]["file"]


def media_conflicts(manifest: dict) -> list:
    """Files of the archive that exist in MEDIA_ROOT with other content."""
    media_root = Path(settings.MEDIA_ROOT)
    conflicts = []
    for name, digest in manifest["media"]["files"].items():
        path = media_root / name
        if path.exists() and (not path.is_file() or sha256_file(path) != digest):
            conflicts.append(name)
    return conflicts


def _restore_sqlite(connection, dump: Path):
    if connection.in_atomic_block:
        raise BackupError("Cannot restore SQLite from inside a transaction.")
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Writes through Django's own connection, so it does not matter that it is open;
        # other processes still reading the file see the restored database afterwards.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"Could not restore the SQLite database: {error}") from error
    finally:
        source.close()


def _restore_postgresql(connection, dump: Path):
    pg_restore = _pg_tool("pg_restore")
    settings_dict = connection.settings_dict
    connection.close()  # hold no lock on the tables that pg_restore drops
    _run_pg_tool(
        [pg_restore, "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", f"--dbname={settings_dict['NAME']}", str(dump)],
        settings_dict,
        "pg_restore",
    )


def _restore_media(staging: Path, manifest: dict):
    media_root = Path(settings.MEDIA_ROOT)
    for name in manifest["media"]["files"]:
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(staging / MEDIA_PREFIX / name, temporary)
        os.replace(temporary, target)


def _unapplied_migrations(connection) -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore_backup(archive: Path, *, force=False, alias=DEFAULT_DB_ALIAS) -> RestoreResult:
    archive = Path(archive)
    connection = _connection(alias)
    manifest = read_manifest(archive)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"This archive holds a {manifest['vendor']} database and the configured database is "
            f"{connection.vendor}: restore it into a {manifest['vendor']} database, then move the data "
            f"across with dumpdata/loaddata."
        )
    if not force:
        if not database_is_empty(alias):
            raise BackupError(
                "The configured database is not empty (it has user accounts or communities). "
                "Restore into a new, empty database, or pass --force to replace its content."
            )
        conflicts = media_conflicts(manifest)
        if conflicts:
            raise BackupError(
                f"{len(conflicts)} file(s) in MEDIA_ROOT would be overwritten with other content, "
                f"e.g. {conflicts[0]}. Use an empty MEDIA_ROOT, or pass --force."
            )
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as staging:
        try:
            dump = _extract_and_verify(archive, manifest, Path(staging))
        except OSError as error:
            raise BackupError(f"Could not unpack {archive} into {staging}: {error.strerror or error}") from error
        (_restore_sqlite if connection.vendor == "sqlite" else _restore_postgresql)(connection, dump)
        try:
            _restore_media(Path(staging), manifest)
        except OSError as error:
            raise BackupError(
                f"The database is restored, but copying the files into {settings.MEDIA_ROOT} failed: "
                f"{error.strerror or error}"
            ) from error
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        found = _count_rows(cursor, connection, tables & set(manifest["tables"]))
    counts = [(table, rows, found.get(table)) for table, rows in sorted(manifest["tables"].items())]
    cache.clear()  # cached figures and counters described the database that was replaced
    return RestoreResult(manifest, counts, manifest["media"]["count"], _unapplied_migrations(connection))
