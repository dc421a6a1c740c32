"""Named reads of volunteer service: figures for a period, calendars, ledgers."""

import datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from portal.activity import active_on
from portal.periods import aggregate, day_bounds, in_communities, merge_groups

from .models import (
    PointsEntry,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)


def volunteer_figures(start: datetime.date, end: datetime.date, *, community_ids=None, by_community=False) -> dict:
    """Events held in [start, end] (all kinds, and the special services among them),
    attendances, approved hours, residents served, special-group cases solved and
    the teams active on `end`, for some communities (None: all). Every figure is one aggregate;
    `by_community` gives {community id: figures}, each part one GROUP BY query."""
    low, high = day_bounds(start, end)
    group = "community_id" if by_community else None
    held = in_communities(VolunteerEvent.objects.held(), community_ids).filter(starts_at__gte=low, starts_at__lt=high)
    parts = [
        aggregate(
            held,
            group,
            volunteer_events=Count("pk"),
            special_services=Count("pk", filter=Q(kind__is_special_service=True)),
            residents_served=Sum("residents_served", default=0),
            # From each event's tally (models.EventTally), not from its participations.
            attendances=Sum("tally__attendances", default=0),
            volunteer_hours=Sum("tally__approved_hours", default=0),
        ),
        aggregate(
            in_communities(SpecialGroupCase.objects.all(), community_ids),
            group,
            special_group_cases_resolved=Count(
                "pk", filter=Q(status=SpecialGroupCase.Status.SOLVED, solved_on__gte=start, solved_on__lte=end)
            ),
        ),
        aggregate(
            in_communities(active_on(VolunteerTeam.objects.all(), end), community_ids), group, volunteer_teams=Count("pk")
        ),
    ]
    if by_community:
        return merge_groups(*parts)
    return {key: value for part in parts for key, value in part.items()}


def events_by(start, end, field: str, *, community_ids=None):
    """Held events in the period counted by `field` (kind, project, team, grid_cell)."""
    low, high = day_bounds(start, end)
    held = in_communities(VolunteerEvent.objects.held(), community_ids).filter(starts_at__gte=low, starts_at__lt=high)
    return held.values(field).annotate(count=Count("pk")).order_by("-count", field)


def events_by_month(start, end, *, community_ids=None, columns=None):
    """Held events in the period counted by month (local time) and kind:
    [(first day of the month, kind id, count)], one GROUP BY query. `columns`, the
    first days of longer spans (years, for a chart of many years), replaces the months.

    The month is found by comparing the start with each month's first moment
    (computed here, in the portal's time zone): plain comparisons the database
    does by itself. Truncating to the month on SQLite calls a Python function for
    every row (110 ms for a county's year of events)."""
    low, high = day_bounds(start, end)
    held = in_communities(VolunteerEvent.objects.held(), community_ids).filter(starts_at__gte=low, starts_at__lt=high)
    months = columns or month_starts(start, end)
    bounds = [max(day_bounds(month, month)[0], low) for month in months[1:]]
    index = Case(
        *(When(starts_at__lt=bound, then=Value(position)) for position, bound in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )
    rows = (
        held.annotate(month_index=index)
        .order_by()
        .values("month_index", "kind")
        .annotate(count=Count("pk"))
        .order_by("month_index", "kind")
    )
    return [(months[row["month_index"]], row["kind"], row["count"]) for row in rows]


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of each month the period touches."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def calendar(community_ids=None, *, now=None, past_days=30):
    """Public calendar: upcoming events and those of the last `past_days`, not cancelled."""
    now = now or timezone.now()
    qs = in_communities(VolunteerEvent.objects.public(), community_ids).filter(ends_at__gte=now - datetime.timedelta(days=past_days))
    return qs.select_related("kind", "grid_cell", "community", "team").order_by("starts_at", "pk")


def member_service(member) -> dict:
    """A member's record: events attended, approved hours, points balance."""
    participations = member.participations.exclude(event__status=VolunteerEvent.Status.CANCELLED)
    counts = participations.aggregate(
        events_attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        hours_approved=Sum("hours", filter=Q(hours_approved_at__isnull=False), default=0),
        hours_pending=Sum("hours", filter=Q(checked_in_at__isnull=False, hours_approved_at__isnull=True), default=0),
    )
    counts["points"] = PointsEntry.objects.filter(member=member).aggregate(total=Sum("points", default=0))["total"]
    return counts


def hours_record(member, start: datetime.date, end: datetime.date):
    """A member's approved service in [start, end], as the hours certificate lists it: the
    held events they attended whose hours staff approved (hours as recorded: time at the
    event, travel not included), in date order, and their sum."""
    low, high = day_bounds(start, end)
    rows = list(
        member.participations.filter(
            hours_approved_at__isnull=False, event__status=VolunteerEvent.Status.DONE,
            event__starts_at__gte=low, event__starts_at__lt=high,
        )
        .select_related("event", "hours_approved_by")
        .order_by("event__starts_at", "pk")
    )
    return rows, sum((row.hours for row in rows), Decimal(0))
