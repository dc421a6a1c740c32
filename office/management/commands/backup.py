"""`manage.py backup [--output DIR] [--keep N]`: the database and the uploaded files in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.models import SecurityEvent
from audit.services import record_event
from office import backups


class Command(BaseCommand):
    help = (
        "Write the database (SQLite: online backup; PostgreSQL: pg_dump) and every file under "
        "MEDIA_ROOT to portal-backup-YYYYmmdd-HHMMSS.tar.gz (mode 0600: it holds personal data)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="folder of the archives (default: $DJANGO_BACKUP_DIR or var/backups)"
        )
        parser.add_argument("--keep", type=int, help="keep only the newest N archives in the folder, this one included")

    def handle(self, *args, output, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        output = output or backups.default_backup_dir()
        try:
            result = backups.create_backup(output)
            removed = backups.prune(output, keep) if keep else []
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(result.tables.values())
        record_event(
            SecurityEvent.Type.BACKUP_CREATED,
            description=_("%(file)s: %(tables)d tables, %(rows)d rows, %(media)d media files")
            % {"file": result.path.name, "tables": len(result.tables), "rows": rows, "media": result.media_count},
        )
        self.stdout.write(f"{result.path}  {backups.human_size(result.size)}")
        if options["verbosity"] >= 1:
            self.stdout.write(f"  {len(result.tables)} tables, {rows} rows, {result.media_count} media files")
            for name in result.skipped:
                self.stderr.write(f"  skipped (not a regular file): {name}")
            for path in removed:
                self.stdout.write(f"  removed older archive {path.name}")
        if settings.S3_MEDIA:
            # Several hosts share the uploads in object storage: the archive holds the
            # database only. Keep the bucket with the store's own tools (versioning, replication).
            self.stderr.write(
                f"Uploads are in the object storage bucket {settings.AWS_STORAGE_BUCKET_NAME}, not in this archive: "
                "back the bucket up with the storage's own versioning or replication."
            )
