"""`manage.py restore ARCHIVE [--force]`: put a `backup` archive back into the configured database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext

from audit.models import SecurityEvent
from audit.services import record_event
from office import backups


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into the configured database and MEDIA_ROOT. "
        "Every checksum is verified first. Refuses a database that has user accounts or "
        "communities, unless --force; stop the web server first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="portal-backup-*.tar.gz")
        parser.add_argument(
            "--force", action="store_true", help="replace the content of a database that is not empty"
        )

    def handle(self, *args, archive, force, **options):
        try:
            result = backups.restore_backup(archive, force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"The database did not answer: {error}") from error
        manifest = result.manifest
        try:  # into the restored database; an archive older than the security log has no table for it
            record_event(
                SecurityEvent.Type.BACKUP_RESTORED,
                description=gettext("%(file)s of %(created)s: %(tables)d tables, %(differ)d differ from the archive")
                % {
                    "file": archive.name, "created": manifest["created_at"], "tables": len(result.counts),
                    "differ": len(result.mismatches),
                },
                result=SecurityEvent.Result.FAILURE if result.mismatches else SecurityEvent.Result.SUCCESS,
            )
        except DatabaseError as error:
            self.stderr.write(f"The restore could not be recorded in the security log: {error}")
        self.stdout.write(
            f"Restored the {manifest['vendor']} database of {manifest['created_at']} "
            f"and {result.media_count} media files from {archive}."
        )
        width = max((len(table) for table, _, _ in result.counts), default=5)
        self.stdout.write(f"  {'table'.ljust(width)}  {'archive':>8}  {'restored':>8}")
        for table, expected, found in result.counts:
            shown = "missing" if found is None else str(found)
            mark = "" if found == expected else "  <- differs"
            self.stdout.write(f"  {table.ljust(width)}  {expected:>8}  {shown:>8}{mark}")
        if result.unapplied_migrations:
            self.stdout.write(
                f"{result.unapplied_migrations} migration(s) of this code are not applied to the restored "
                f"database: run `manage.py migrate` next."
            )
        if result.mismatches:
            raise CommandError(f"{len(result.mismatches)} table(s) differ from the archive's row counts.")
