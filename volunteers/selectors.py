"""Named reads of volunteer service: figures for a period, calendars, ledgers."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils import timezone

from portal.periods import day_bounds, in_communities

from .models import (
    Participation,
    PointsEntry,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)


def volunteer_figures(start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """Events held in [start, end] (all kinds, and the special services among them),
    attendances, approved hours, residents served, special-group cases solved and
    active teams, for some communities (None: all). Every figure is one aggregate."""
    low, high = day_bounds(start, end)
    held = in_communities(VolunteerEvent.objects.held(), community_ids).filter(starts_at__gte=low, starts_at__lt=high)
    events = held.aggregate(
        volunteer_events=Count("pk"),
        special_services=Count("pk", filter=Q(kind__is_special_service=True)),
        residents_served=Sum("residents_served", default=0),
    )
    attendance = Participation.objects.filter(event__in=held.values("pk")).aggregate(
        attendances=Count("pk", filter=Q(checked_in_at__isnull=False)),
        volunteer_hours=Sum("hours", filter=Q(hours_approved_at__isnull=False), default=0),
    )
    cases = in_communities(SpecialGroupCase.objects.all(), community_ids).aggregate(
        special_group_cases_resolved=Count(
            "pk", filter=Q(status=SpecialGroupCase.Status.SOLVED, solved_on__gte=start, solved_on__lte=end)
        )
    )
    teams = in_communities(VolunteerTeam.objects.filter(is_active=True), community_ids).count()
    return {**events, **attendance, **cases, "volunteer_teams": teams}


def events_by(start, end, field: str, *, community_ids=None):
    """Held events in the period counted by `field` (kind, project, team, grid_cell)."""
    low, high = day_bounds(start, end)
    held = in_communities(VolunteerEvent.objects.held(), community_ids).filter(starts_at__gte=low, starts_at__lt=high)
    return held.values(field).annotate(count=Count("pk")).order_by("-count", field)


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
