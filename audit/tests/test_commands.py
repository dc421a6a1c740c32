"""The commands that keep, prune and copy the data write to the security log:
`prune_security_log` (and only it removes entries), `anonymise_closed`,
`backup`, `restore`."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone, translation

from audit.models import SecurityEvent
from grid import services_work
from grid.models import Appeal
from office import backups

Type = SecurityEvent.Type


def run(*args, **options):
    """Run a command in English (the log's descriptions are written in the active language)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def old_entry(days, description=""):
    return SecurityEvent.objects.create(
        event_type=Type.LOGIN_SUCCEEDED, at=timezone.now() - datetime.timedelta(days=days), description=description
    )


def left():
    return set(SecurityEvent.objects.exclude(event_type=Type.RETENTION_RUN).values_list("description", flat=True))


# Retention ------------------------------------------------------------------------------------


def test_entries_older_than_the_retention_go_and_the_run_is_logged(db):
    for days in (10, 200, 364, 366, 800):
        old_entry(days, f"{days} days")
    out, _err = run("prune_security_log")
    assert "Removed 2 security-log entries" in out and "(365 days)" in out
    assert left() == {"10 days", "200 days", "364 days"}
    (entry,) = SecurityEvent.objects.filter(event_type=Type.RETENTION_RUN)
    assert entry.actor is None and entry.client_address is None
    assert "prune_security_log" in entry.description and "2" in entry.description


def test_the_retention_setting_is_followed(db, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 730
    for days in (400, 800):
        old_entry(days, f"{days} days")
    run("prune_security_log")
    assert left() == {"400 days"}


def test_a_retention_below_six_months_is_raised_to_180_days_with_a_warning(db, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    for days in (100, 179, 200):
        old_entry(days, f"{days} days")
    out, err = run("prune_security_log")
    assert "below the minimum of 180 days" in err
    assert "(180 days)" in out
    assert left() == {"100 days", "179 days"}  # a 30-day retention would have removed them


def test_a_dry_run_counts_and_changes_nothing(db):
    old_entry(400, "400 days")
    out, _err = run("prune_security_log", "--dry-run")
    assert "would remove 1 security-log entries" in out
    assert left() == {"400 days"}
    assert not SecurityEvent.objects.filter(event_type=Type.RETENTION_RUN).exists()


def test_anonymise_closed_logs_its_counts(db, appeal_a, staff_a):
    appeal = services_work.appeal_answer(appeal=appeal_a, by=staff_a, answer="已修好")
    appeal = services_work.appeal_close(appeal=appeal, by=staff_a)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Appeal.objects.filter(pk=appeal.pk).update(received_at=long_ago, answered_at=long_ago, closed_at=long_ago)
    out, _err = run("anonymise_closed")
    assert "Anonymised 0 micro-wishes and 1 appeals" in out
    (entry,) = SecurityEvent.objects.filter(event_type=Type.RETENTION_RUN)
    assert entry.actor is None and entry.client_address is None
    assert "anonymise_closed" in entry.description and "1 appeals" in entry.description

    run("anonymise_closed", "--dry-run")
    assert SecurityEvent.objects.filter(event_type=Type.RETENTION_RUN).count() == 1  # a dry run changes nothing


# Backup and restore ---------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: the backup runs in this process")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as office/tests/test_backup.py
def test_a_backup_is_logged_with_its_file_name(settings, tmp_path, staff_a):
    settings.MEDIA_ROOT = tmp_path / "media"
    out, _err = run("backup", output=tmp_path / "backups")
    archive = Path(out.split()[0])
    (entry,) = SecurityEvent.objects.filter(event_type=Type.BACKUP_CREATED)
    assert entry.actor is None and entry.client_address is None and entry.result == SecurityEvent.Result.SUCCESS
    assert archive.name in entry.description and "tables" in entry.description


def _restored(mismatch=False):
    counts = [("grid_community", 2, 2), ("portal_user", 4, 3 if mismatch else 4)]
    manifest = {"vendor": connection.vendor, "created_at": "2024-05-01T02:00:00+08:00"}
    return backups.RestoreResult(manifest, counts, 3, 0)


def test_a_restore_is_logged_in_the_restored_database(db, monkeypatch, tmp_path):
    monkeypatch.setattr(backups, "restore_backup", lambda archive, force=False: _restored())
    run("restore", str(tmp_path / "portal-backup-20240501-020000.tar.gz"))
    (entry,) = SecurityEvent.objects.filter(event_type=Type.BACKUP_RESTORED)
    assert entry.actor is None and entry.client_address is None and entry.result == SecurityEvent.Result.SUCCESS
    assert "portal-backup-20240501-020000.tar.gz" in entry.description and "2024-05-01" in entry.description


def test_a_restore_whose_counts_differ_is_logged_as_a_failure(db, monkeypatch, tmp_path):
    monkeypatch.setattr(backups, "restore_backup", lambda archive, force=False: _restored(mismatch=True))
    with pytest.raises(CommandError, match="differ from the archive"):
        run("restore", str(tmp_path / "portal-backup-20240501-020000.tar.gz"))
    (entry,) = SecurityEvent.objects.filter(event_type=Type.BACKUP_RESTORED)
    assert entry.result == SecurityEvent.Result.FAILURE and "1 differ" in entry.description
