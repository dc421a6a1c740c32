"""The community's figures for a period: the one place that computes them.

`figures(start, end, community_ids)` returns the story's headline figures under
fixed names (the `report` command's JSON keys), each a database aggregate over
the records, for the period [start, end] inclusive in Asia/Shanghai:

    co_building_units, party_members, reported_members, reporting_rate,
    volunteer_events, special_services, volunteer_hours, wishes_submitted,
    wishes_fulfilled, wishers_fulfilled, special_group_cases_resolved,
    deliberation_topics_resolved, volunteer_teams, stations

Stock figures (units, members, reporting) are counted as of `end`; flow figures
(events, wishes, cases, topics) within the period. `breakdowns(...)` adds the
counts by grid cell, unit, team and event kind.
"""

import datetime

from django.db.models import Count, Q, Sum

from council.selectors import council_figures
from grid.models import CoBuildingUnit, GridCell, PartyMember, Station
from portal.periods import day_bounds, in_communities
from volunteers.models import EventKind, VolunteerTeam
from volunteers.selectors import events_by, volunteer_figures
from wishes.models import MicroWish
from wishes.selectors import wish_figures

HEADLINE_KEYS = [
    "co_building_units",
    "party_members",
    "reported_members",
    "reporting_rate",
    "volunteer_events",
    "special_services",
    "volunteer_hours",
    "wishes_submitted",
    "wishes_fulfilled",
    "wishers_fulfilled",
    "special_group_cases_resolved",
    "deliberation_topics_resolved",
    "volunteer_teams",
    "stations",
]


def figures(start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """The headline figures for some communities (None: all of them)."""
    members = in_communities(PartyMember.objects.all(), community_ids).reporting_summary(end)
    wishes = wish_figures(in_communities(MicroWish.objects.all(), community_ids), start, end)
    service = volunteer_figures(start, end, community_ids=community_ids)
    council = council_figures(start, end, community_ids=community_ids)
    result = {
        "co_building_units": in_communities(CoBuildingUnit.objects.all(), community_ids).co_building_as_of(end).count(),
        "party_members": members["registered"],
        "reported_members": members["reported"],
        "reporting_rate": round(members["rate"], 4),
        "volunteer_events": service["volunteer_events"],
        "special_services": service["special_services"],
        "volunteer_hours": float(service["volunteer_hours"] or 0),
        "wishes_submitted": wishes["wishes_submitted"],
        "wishes_fulfilled": wishes["wishes_fulfilled"],
        "wishers_fulfilled": wishes["wishers_fulfilled"],
        "special_group_cases_resolved": service["special_group_cases_resolved"],
        "deliberation_topics_resolved": council["deliberation_topics_resolved"],
        "volunteer_teams": service["volunteer_teams"],
        "stations": in_communities(Station.objects.filter(kind=Station.Kind.STATION, is_active=True), community_ids).count(),
    }
    assert list(result) == HEADLINE_KEYS
    return result


def breakdowns(start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """Counts by grid cell, co-building unit, volunteer team and event kind."""
    low, high = day_bounds(start, end)
    held_in_period = Q(events__status="done", events__starts_at__gte=low, events__starts_at__lt=high)
    fulfilled_in_period = Q(wishes__status="fulfilled", wishes__fulfilled_at__gte=low, wishes__fulfilled_at__lt=high)

    cells = (
        in_communities(GridCell.objects.all(), community_ids)
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True, members__registered_on__lte=end), distinct=True),
            event_count=Count("events", filter=held_in_period, distinct=True),
            wishes_fulfilled=Count("wishes", filter=fulfilled_in_period, distinct=True),
        )
        .select_related("community")
        .order_by("community__name", "number")
    )
    units = (
        in_communities(CoBuildingUnit.objects.filter(is_active=True), community_ids)
        .annotate(
            member_count=Count("members", filter=Q(members__is_active=True, members__registered_on__lte=end), distinct=True),
            reported_count=Count(
                "members", filter=Q(members__is_active=True, members__reported_on__lte=end), distinct=True
            ),
        )
        .select_related("community")
        .order_by("community__name", "name")
    )
    teams = (
        in_communities(VolunteerTeam.objects.filter(is_active=True), community_ids)
        .annotate(
            event_count=Count("events", filter=held_in_period, distinct=True),
            approved_hours=Sum(
                "events__participations__hours",
                filter=held_in_period & Q(events__participations__hours_approved_at__isnull=False),
                default=0,
            ),
        )
        .select_related("community")
        .order_by("community__name", "name")
    )
    kind_counts = dict(events_by(start, end, "kind", community_ids=community_ids).values_list("kind", "count"))
    kinds = [(kind, kind_counts.get(kind.pk, 0)) for kind in EventKind.objects.filter(pk__in=kind_counts)]
    return {"grid_cells": cells, "units": units, "teams": teams, "event_kinds": sorted(kinds, key=lambda kv: -kv[1])}
