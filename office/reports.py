"""The community's figures for a period: the one place that computes them.

`figures(start, end, community_ids)` returns the story's headline figures under
fixed names (the `report` command's JSON keys), each a database aggregate over
the records, for the period [start, end] inclusive in Asia/Shanghai:

    co_building_units, party_members, reported_members, reporting_rate,
    volunteer_events, special_services, volunteer_hours, wishes_submitted,
    wishes_fulfilled, wishers_fulfilled, special_group_cases_resolved,
    deliberation_topics_resolved, volunteer_teams, stations

Stock figures (units, members, reporting, teams, stations) count what was active
on `end` (portal.activity), so a period's figures stay when a record is
deactivated later; flow figures
(events, wishes, cases, topics) within the period. `breakdowns(...)` adds the
counts by grid cell, unit, team and event kind.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Sum

from council.selectors import council_figures
from grid.models import CoBuildingUnit, GridCell, PartyMember, Station
from portal.activity import active_on
from portal.figures_cache import cached
from portal.models import Community
from portal.periods import aggregate, day_bounds, in_communities, per_row
from volunteers.models import EventKind, Participation, VolunteerEvent, VolunteerTeam
from volunteers.selectors import (
    events_by,
    events_by_month,
    month_starts,
    volunteer_figures,
)
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
    return _headline(_parts(start, end, community_ids, group=None))


def figures_by_community(start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """{community id: headline figures} for some communities (None: all of them),
    side by side: the same aggregates as `figures`, each one GROUP BY query, so
    the number of queries does not grow with the number of communities."""
    parts = _parts(start, end, community_ids, group="community_id")
    ids = in_communities(Community.objects.all(), community_ids, "pk").values_list("pk", flat=True)
    return {pk: _headline({name: part.get(pk, {}) for name, part in parts.items()}) for pk in ids}


def figures_total(by_community: dict, start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """The headline figures of several communities from their side-by-side rows
    (`figures_by_community`), without counting everything again: every record
    belongs to one community, so each figure of the whole is the sum of the rows;
    the rate is recomputed, and the wishers are counted once more, over the whole
    scope (one query): a resident helped in two communities is one resident."""
    total = {key: sum(row[key] for row in by_community.values()) for key in HEADLINE_KEYS if key != "reporting_rate"}
    total["volunteer_hours"] = round(float(total["volunteer_hours"]), 1)
    members, reported = total["party_members"], total["reported_members"]
    total["reporting_rate"] = round(reported / members, 4) if members else 0.0
    wishes = in_communities(MicroWish.objects.all(), community_ids)
    total["wishers_fulfilled"] = wish_figures(wishes, start, end)["wishers_fulfilled"] if by_community else 0
    return {key: total[key] for key in HEADLINE_KEYS}


def scope_figures(scope) -> tuple[dict, dict | None]:
    """A report scope's headline figures and, when it covers several communities
    (an area admin's roll-up), each community's (`figures_by_community`), both
    cached like the figures. The dashboard and the work summary read them here, so
    the cached values are always made the same way: for several communities, the
    sums of the rows (`figures_total`), not a second count."""
    key = (scope.community_ids, scope.start, scope.end)
    if scope.community_ids is not None and len(scope.community_ids) == 1:
        one = cached("figures", lambda: figures(scope.start, scope.end, community_ids=scope.community_ids), *key)
        return one, None
    by_community = cached(
        "by_community", lambda: figures_by_community(scope.start, scope.end, community_ids=scope.community_ids), *key
    )
    total = cached(
        "figures", lambda: figures_total(by_community, scope.start, scope.end, community_ids=scope.community_ids), *key
    )
    return total, by_community


def _parts(start, end, community_ids, *, group):
    """Each app's aggregates, over all the communities in scope or per community."""
    by_community = group is not None

    def scoped(queryset):
        return in_communities(queryset, community_ids)

    return {
        "units": aggregate(scoped(CoBuildingUnit.objects.all()).co_building_as_of(end), group, units=Count("pk")),
        "members": scoped(PartyMember.objects.all()).reporting_summary(end, group_by=group),
        "wishes": wish_figures(scoped(MicroWish.objects.all()), start, end, group_by=group),
        "service": volunteer_figures(start, end, community_ids=community_ids, by_community=by_community),
        "council": council_figures(start, end, community_ids=community_ids, by_community=by_community),
        "stations": aggregate(
            active_on(scoped(Station.objects.filter(kind=Station.Kind.STATION)), end), group, stations=Count("pk")
        ),
    }


def _headline(parts: dict) -> dict:
    """The headline figures, under their fixed names, from one scope's parts
    (a part missing from a community's GROUP BY rows counts zero)."""
    units, members, wishes = parts["units"], parts["members"], parts["wishes"]
    service, council, stations = parts["service"], parts["council"], parts["stations"]
    result = {
        "co_building_units": units.get("units", 0),
        "party_members": members.get("registered", 0),
        "reported_members": members.get("reported", 0),
        "reporting_rate": round(members.get("rate", 0.0), 4),
        "volunteer_events": service.get("volunteer_events", 0),
        "special_services": service.get("special_services", 0),
        "volunteer_hours": float(service.get("volunteer_hours") or 0),
        "wishes_submitted": wishes.get("wishes_submitted", 0),
        "wishes_fulfilled": wishes.get("wishes_fulfilled", 0),
        "wishers_fulfilled": wishes.get("wishers_fulfilled", 0),
        "special_group_cases_resolved": service.get("special_group_cases_resolved", 0),
        "deliberation_topics_resolved": council.get("deliberation_topics_resolved", 0),
        "volunteer_teams": service.get("volunteer_teams", 0),
        "stations": stations.get("stations", 0),
    }
    assert list(result) == HEADLINE_KEYS
    return result


def breakdowns(start: datetime.date, end: datetime.date, *, community_ids=None, parts=None) -> dict:
    """Counts by grid cell, co-building unit, volunteer team and event kind (or only
    the `parts` named). Cells and units are lazy querysets; teams and kinds are counted at once."""
    low, high = day_bounds(start, end)
    held = VolunteerEvent.objects.filter(status="done", starts_at__gte=low, starts_at__lt=high)
    fulfilled = MicroWish.objects.filter(status="fulfilled", fulfilled_at__gte=low, fulfilled_at__lt=high)
    registered = PartyMember.objects.registered_as_of(end)

    cells = (
        in_communities(GridCell.objects.all(), community_ids)
        .annotate(
            member_count=per_row(registered, "grid_cell"),
            event_count=per_row(held, "grid_cell"),
            wishes_fulfilled=per_row(fulfilled, "grid_cell"),
        )
        .select_related("community")
        .order_by("community__name", "number")
    )
    units = (
        in_communities(CoBuildingUnit.objects.listed_on(end), community_ids)
        .annotate(
            member_count=per_row(registered, "employer_unit"),
            reported_count=per_row(registered.filter(reported_on__lte=end), "employer_unit"),
        )
        .select_related("community")
        .order_by("community__name", "name")
    )
    result = {"grid_cells": cells, "units": units}
    if parts is None or "teams" in parts:
        result["teams"] = _teams(held, end, community_ids)
    if parts is None or "event_kinds" in parts:
        kind_counts = dict(events_by(start, end, "kind", community_ids=community_ids).values_list("kind", "count"))
        kinds = [(kind, kind_counts.get(kind.pk, 0)) for kind in EventKind.objects.filter(pk__in=kind_counts)]
        result["event_kinds"] = sorted(kinds, key=lambda kv: -kv[1])
    return result if parts is None else {name: result[name] for name in parts}


def _teams(held, end, community_ids) -> list:
    """The teams active on `end` with the events they held and their approved hours: two
    GROUP BY queries, whatever the number of teams (a correlated subquery per team
    over the participations took half a second for a county's 200 teams)."""
    teams = list(
        in_communities(active_on(VolunteerTeam.objects.all(), end), community_ids)
        .select_related("community")
        .order_by("community__name", "name")
    )
    held = in_communities(held.filter(team__isnull=False), community_ids, "team__community_id")
    events = aggregate(held, "team_id", count=Count("pk"))
    approved = Participation.objects.filter(event__in=held, hours_approved_at__isnull=False)
    hours = aggregate(approved, "event__team", hours=Sum("hours"))
    for team in teams:
        team.event_count = events.get(team.pk, {}).get("count", 0)
        team.approved_hours = hours.get(team.pk, {}).get("hours") or Decimal(0)
    return teams


CHART_MONTHS = 120  # a longer period is charted by year


def _chart_columns(start: datetime.date, end: datetime.date) -> tuple[list[datetime.date], str]:
    """The first days of the events chart's columns and their label format: a column a
    month, or a year for periods of more than ten years (a column per month of a century
    is unreadable, and each one is a branch of the query)."""
    months = month_starts(start, end)
    if len(months) <= CHART_MONTHS:
        return months, "%Y-%m"
    return [datetime.date(year, 1, 1) for year in range(start.year, end.year + 1)], "%Y"


def chart_data(start: datetime.date, end: datetime.date, *, community_ids=None, by_community=None) -> dict:
    """The dashboard's charts as plain lists (JSON for the page's script):
    held events per month by kind, the wish funnel, members' reporting (by unit for
    one community, by community for several: pass `by_community`, the output of
    `figures_by_community`), and approved hours by team (the 20 with most hours)."""
    months, label = _chart_columns(start, end)
    index = {month: position for position, month in enumerate(months)}
    per_kind: dict = {}
    for month, kind_id, count in events_by_month(start, end, community_ids=community_ids, columns=months):
        per_kind.setdefault(kind_id, [0] * len(months))[index[month]] = count
    kinds = {kind.pk: str(kind) for kind in EventKind.objects.filter(pk__in=per_kind)}  # built-ins in the user's language
    wishes = wish_figures(in_communities(MicroWish.objects.all(), community_ids), start, end)
    if by_community is None:
        parts = breakdowns(start, end, community_ids=community_ids)
        reporting = [(unit.name, unit.member_count, unit.reported_count) for unit in parts["units"] if unit.member_count]
        teams = parts["teams"]
    else:
        names = dict(Community.objects.filter(pk__in=by_community).values_list("pk", "name"))
        reporting = [(names[pk], row["party_members"], row["reported_members"]) for pk, row in by_community.items()]
        teams = breakdowns(start, end, community_ids=community_ids, parts=("teams",))["teams"]
    top_teams = sorted(((team.name, float(team.approved_hours or 0)) for team in teams), key=lambda kv: -kv[1])[:20]
    return {
        "months": [month.strftime(label) for month in months],
        "events_by_kind": [{"kind": kinds[pk], "counts": counts} for pk, counts in sorted(per_kind.items())],
        "funnel": [wishes["wishes_submitted"], wishes["wishes_published"], wishes["wishes_claimed"], wishes["wishes_fulfilled"]],
        "reporting": [{"name": name, "registered": registered, "reported": reported} for name, registered, reported in reporting],
        "teams": [{"name": name, "hours": hours} for name, hours in top_teams],
    }
