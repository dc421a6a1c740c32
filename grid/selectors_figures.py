"""Figures of grid work for a period: door-knocking visits, appeals, stations and
micro party schools.

A period is [start, end], both days included, in the portal's time zone
(Asia/Shanghai): an appeal answered at 23:30 on 31 December counts for that
year, one answered at 00:10 on 1 January for the next. Every figure is one
aggregate query (a count, or one GROUP BY for the breakdowns), never a loop
over rows. `community_ids=None` means every community (the area admin).
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from portal.activity import active_on
from portal.periods import day_bounds, in_communities
from portal.resident_requests import service_counts

from .models import Appeal, AppealEvent, Station, StationUpdate, VisitLog


def as_of(end: datetime.date, now: datetime.datetime | None = None) -> datetime.datetime:
    """The end of the day `end` in the portal's time zone, or now if that is still to come."""
    now = now or timezone.now()
    return min(day_bounds(end, end)[1], now)


def grid_work_figures(start: datetime.date, end: datetime.date, *, community_ids=None, now=None) -> dict:
    """Visits, appeals, stations and micro party schools in [start, end].

    - visits: visits made in the period; visits_by_kind {kind: count} and
      visits_by_cell {grid_cell_id: count} break them down (kinds and cells
      without visits are left out);
    - appeals_received / appeals_answered: received, (last) answered in the period;
    - appeals_reopened: appeals reopened in the period, each counted once however
      often it was reopened;
    - appeals_overdue: appeals waiting for an answer longer than their community
      allows, as of the end of the period (or now, if the period has not ended);
      the status is the appeal's current one (see `AppealQuerySet.overdue`);
    - stations / micro_schools: red vanguard stations and micro party schools
      open on the period's last day (portal.activity);
    - stations_updated: stations and schools whose content was updated in the period.
    """
    low, high = day_bounds(start, end)

    visits = in_communities(VisitLog.objects.all(), community_ids).filter(visited_on__gte=start, visited_on__lte=end)
    counts = {"visits": visits.count()}
    counts["visits_by_kind"] = dict(visits.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    counts["visits_by_cell"] = dict(
        visits.order_by().values("grid_cell_id").annotate(n=Count("pk")).values_list("grid_cell_id", "n")
    )

    appeals = in_communities(Appeal.objects.all(), community_ids)
    counts.update(
        appeals.aggregate(
            appeals_received=Count("pk", filter=Q(received_at__gte=low, received_at__lt=high)),
            appeals_answered=Count("pk", filter=Q(answered_at__gte=low, answered_at__lt=high)),
        )
    )
    counts["appeals_reopened"] = (
        in_communities(AppealEvent.objects.all(), community_ids, "appeal__community_id")
        .filter(to_status=Appeal.Status.REOPENED, created_at__gte=low, created_at__lt=high)
        .exclude(from_status=Appeal.Status.REOPENED)  # a note on a reopened appeal (e.g. sent to the hall) is no reopening
        .aggregate(n=Count("appeal_id", distinct=True))["n"]
    )
    counts["appeals_overdue"] = appeals.overdue(now=as_of(end, now)).count()

    places = active_on(in_communities(Station.objects.all(), community_ids), end)
    counts.update(
        places.aggregate(
            stations=Count("pk", filter=Q(kind=Station.Kind.STATION)),
            micro_schools=Count("pk", filter=Q(kind=Station.Kind.SCHOOL)),
        )
    )
    counts["stations_updated"] = (
        in_communities(StationUpdate.objects.all(), community_ids, "station__community_id")
        .filter(updated_on__gte=start, updated_on__lte=end)
        .aggregate(n=Count("station_id", distinct=True))["n"]
    )
    return counts


def appeal_service_counts(start: datetime.date, end: datetime.date, *, community_ids=None, group_by=None) -> dict:
    """The three rates' counts of the appeals received in [start, end]
    (portal.resident_requests.service_counts): responded = assigned, answered or closed
    by the deadline of its urgency; resolved = answered or closed now (a reopened appeal
    counts against resolution until it is answered again)."""
    low, high = day_bounds(start, end)
    appeals = in_communities(Appeal.objects.all(), community_ids).filter(received_at__gte=low, received_at__lt=high)
    return service_counts(appeals, resolved=Q(status__in=Appeal.RESOLVED_STATUSES), group_by=group_by)
