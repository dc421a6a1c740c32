"""Exports prepared in the background (office.ExportJob).

`start_export(user, kind, scope)` records the request and, once the transaction
commits, queues `office.tasks.build_export` (run inline without a broker).
`run_export(job_id)` is what the worker does: it claims the job with one
conditional UPDATE (a second worker given the same task, or the same task
delivered again after a crash, finds nothing to claim), writes the file with the
requester's permissions and language, and marks it ready, or failed with the
reason. `requeue_stuck` and `prune` are the hourly upkeep: jobs whose task was
lost (broker down at the time, worker killed) are queued again, and files older
than settings.EXPORT_KEEP_DAYS are removed.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from office.exports import figures_file
from office.feedback_documents import feedback_all_file
from office.models import ExportJob
from portal.models import Community
from portal.permissions import area_of, community_ids_in_reach
from portal.scope import ReportScope

logger = logging.getLogger(__name__)

BUILDERS = {
    ExportJob.Kind.FIGURES: lambda user, scope: figures_file(scope),
    ExportJob.Kind.FEEDBACK: feedback_all_file,
}
# A job queued or running longer than this had its task lost: queue it again.
STUCK_AFTER = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 3
# Jobs one user may have waiting at once.
MAX_PENDING = 5


class TooManyPending(Exception):
    pass


def start_export(user, kind: str, scope) -> ExportJob:
    pending = ExportJob.objects.filter(
        requested_by=user, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    ).count()
    if pending >= MAX_PENDING:
        raise TooManyPending
    job = ExportJob.objects.create(
        kind=kind,
        requested_by=user,
        community=scope.community,
        area=scope.chosen_area,
        start=scope.start,
        end=scope.end,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    enqueue(job.pk)
    return job


def enqueue(job_id: int) -> None:
    from office.tasks import build_export

    # After the commit, so that the worker finds the row. A broker that is down
    # does not fail the request: the job stays queued and requeue_stuck sends it later.
    transaction.on_commit(lambda: build_export.delay(job_id), robust=True)


def _claim(job_id: int, now) -> bool:
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(status=ExportJob.Status.RUNNING, started_at__lt=now - STUCK_AFTER)
    return bool(
        ExportJob.objects.filter(claimable, pk=job_id, attempts__lt=MAX_ATTEMPTS).update(
            status=ExportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
        )
    )


def scope_of(job: ExportJob) -> ReportScope:
    """The job's scope: its community, its area's communities that the requester still
    reaches, or every community they reach now (an area admin's area, all without one)."""
    if job.community_id is not None:
        return ReportScope(start=job.start, end=job.end, community_ids=[job.community_id], community=job.community)
    user = job.requested_by
    reach = community_ids_in_reach(user)
    if job.area_id is not None:
        ids = Community.objects.in_area(job.area)
        ids = (ids if reach is None else ids.filter(pk__in=reach)).ids()
        return ReportScope(start=job.start, end=job.end, community_ids=ids, area=job.area, chosen_area=job.area)
    return ReportScope(start=job.start, end=job.end, community_ids=reach, area=area_of(user))


def run_export(job_id: int) -> str:
    """Prepare one export; returns its status afterwards ("" when there was nothing to claim)."""
    if not _claim(job_id, timezone.now()):
        return ""
    job = ExportJob.objects.select_related("requested_by", "community", "area").get(pk=job_id)
    # The file and any error message in the language of the person who asked.
    with translation.override(job.language):
        return _build(job)


def _build(job) -> str:
    user = job.requested_by
    try:
        # The requester's rights now, not when they asked: a deactivated account or a
        # changed role gets nothing.
        home = area_of(user)
        allowed = user.is_active and user.can("office.reports") and (
            job.community_id is None and user.can("portal.all_communities")
            and (job.area_id is None or home is None or home.contains(job.area))
            or job.community_id is not None and user.can("office.reports", job.community_id)
        )
        if not allowed:
            return _fail(job, _("The person who asked may no longer export these figures."))
        content, filename = BUILDERS[job.kind](user, scope_of(job))
        job.file.save(filename, ContentFile(content), save=False)
    except Exception:  # noqa: BLE001 - any failure is recorded on the job, which can be asked for again
        logger.exception("Export %s failed", job.pk)
        return _fail(job, _("The file could not be prepared. Please try again; if it fails again, tell the administrator."))
    done = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.DONE, file=job.file.name, filename=filename, error="", finished_at=timezone.now()
    )
    if not done:
        # Taken over meanwhile (queued again as stuck and built by another worker, or
        # removed): this copy of the file belongs to no row; leave nothing behind.
        job.file.delete(save=False)
        return ""
    return ExportJob.Status.DONE


def _fail(job, reason) -> str:
    ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.FAILED, error=str(reason)[:300], finished_at=timezone.now()
    )
    return ExportJob.Status.FAILED


def requeue_stuck(now=None) -> int:
    """Queue again the jobs whose task was lost; give up after MAX_ATTEMPTS."""
    now = now or timezone.now()
    stuck = ExportJob.objects.filter(
        Q(status=ExportJob.Status.QUEUED, created_at__lt=now - STUCK_AFTER)
        | Q(status=ExportJob.Status.RUNNING, started_at__lt=now - STUCK_AFTER)
    )
    ExportJob.objects.filter(pk__in=stuck.filter(attempts__gte=MAX_ATTEMPTS).values("pk")).update(
        status=ExportJob.Status.FAILED, error=_("The file could not be prepared."), finished_at=now
    )
    ids = list(stuck.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True))
    for job_id in ids:
        enqueue(job_id)
    return len(ids)


def prune(now=None) -> int:
    """Remove the exports (rows and files) older than EXPORT_KEEP_DAYS."""
    now = now or timezone.now()
    old = ExportJob.objects.filter(created_at__lt=now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS))
    ids = []
    for job in old.only("pk", "file"):
        if job.file:
            job.file.delete(save=False)  # one call per file to the storage: no bulk delete there
        ids.append(job.pk)
    ExportJob.objects.filter(pk__in=ids).delete()
    return len(ids)
