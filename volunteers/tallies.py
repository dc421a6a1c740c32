"""Each event's tally (models.EventTally): its attendances and approved hours, recounted
from its participations in the transaction that changes one of them.

`recount(event_ids)` is called by the signals of every Participation save and delete
(connected in apps.py), by the services after an UPDATE that sends none, and by the demo
and scale data after their bulk writes. It locks the events' rows first, so that its count
is taken after any other transaction recounting the same events has committed: two
check-ins at one event, each recounting, leave the count of both (test on PostgreSQL).
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum

from .models import EventTally, Participation, VolunteerEvent

BATCH = 5000


def recount(event_ids, *, create=True) -> None:
    """Recount the tallies of the events `event_ids`; `create=False` only updates rows
    that exist (on a delete, whose cascade may be removing the event and its tally)."""
    ids = sorted({pk for pk in event_ids if pk is not None})
    for start in range(0, len(ids), BATCH):
        _recount(ids[start : start + BATCH], create)


def _recount(ids: list, create: bool) -> None:
    with transaction.atomic():
        ids = list(VolunteerEvent.objects.filter(pk__in=ids).order_by("pk").select_for_update().values_list("pk", flat=True))
        counted = {
            row["event_id"]: row
            for row in Participation.objects.filter(event_id__in=ids)
            .order_by()
            .values("event_id")
            .annotate(
                attendances=Count("pk", filter=Q(checked_in_at__isnull=False)),
                approved_hours=Sum("hours", filter=Q(hours_approved_at__isnull=False), default=Decimal(0)),
            )
        }
        tallies = [
            EventTally(
                event_id=pk,
                attendances=counted.get(pk, {}).get("attendances", 0),
                approved_hours=counted.get(pk, {}).get("approved_hours", Decimal(0)),
            )
            for pk in ids
        ]
        if create:
            EventTally.objects.bulk_create(
                tallies, update_conflicts=True, unique_fields=["event"], update_fields=["attendances", "approved_hours"]
            )
        else:
            existing = set(EventTally.objects.filter(event_id__in=ids).values_list("event_id", flat=True))
            EventTally.objects.bulk_update([t for t in tallies if t.event_id in existing], ["attendances", "approved_hours"])


def on_participation_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the fixture brings its tallies
        recount([instance.event_id, getattr(instance, "loaded_event_id", None)])


def on_participation_deleted(sender, instance, **kwargs):
    recount([instance.event_id], create=False)


def stale(event_ids=None) -> list[int]:
    """The events (of `event_ids`, None: all) whose tally differs from a count of their
    participations now: none, unless something wrote participations without the signals
    (raw SQL, a restore of one table)."""
    events = VolunteerEvent.objects.all() if event_ids is None else VolunteerEvent.objects.filter(pk__in=event_ids)
    counted = events.annotate(
        counted_attendances=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
        counted_hours=Sum("participations__hours", filter=Q(participations__hours_approved_at__isnull=False), default=Decimal(0)),
    ).values_list("pk", "counted_attendances", "counted_hours", "tally__attendances", "tally__approved_hours")
    return [
        pk
        for pk, attendances, hours, kept_attendances, kept_hours in counted.order_by("pk").iterator(chunk_size=BATCH)
        if (attendances, hours) != (kept_attendances or 0, kept_hours or Decimal(0))
    ]
