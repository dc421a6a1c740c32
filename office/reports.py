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

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.utils.translation import gettext as _

from council.selectors import council_figures
from grid.models import CoBuildingUnit, GridCell, PartyMember, Station
from portal.activity import active_on
from portal.figures_cache import cached
from portal.models import Area, Community
from portal.periods import aggregate, day_bounds, in_communities, merge_groups, per_row
from volunteers.models import EventKind, Participation, VolunteerEvent, VolunteerTeam
from volunteers.selectors import (
    events_by,
    events_by_month,
    month_starts,
    volunteer_figures,
)
from wishes.models import MicroWish
from wishes.selectors import WISH_COUNTS, fulfilled_between, wish_figures, wishers_helped

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


def figures_by_community(start: datetime.date, end: datetime.date, *, community_ids=None, wishers=True) -> dict:
    """{community id: headline figures} for some communities (None: all of them),
    side by side: the same aggregates as `figures`, each one GROUP BY query, so
    the number of queries does not grow with the number of communities. With
    `wishers=False` the wishers are not counted per community (None): an area's roll-up
    recounts them for the rows it shows (`figures_by_area`), which saves a query."""
    parts = _parts(start, end, community_ids, group="community_id")
    if wishers:
        scoped = in_communities(MicroWish.objects.all(), community_ids)
        parts["wishes"] = merge_groups(parts["wishes"], wishers_helped(scoped, start, end, group_by="community_id"))
    ids = in_communities(Community.objects.all(), community_ids, "pk").values_list("pk", flat=True)
    rows = {pk: _headline({name: part.get(pk, {}) for name, part in parts.items()}) for pk in ids}
    if not wishers:
        for row in rows.values():
            row["wishers_fulfilled"] = None
    return rows


def figures_total(by_community: dict, start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """The headline figures of several communities from their side-by-side rows
    (`figures_by_community`), without counting everything again: every record
    belongs to one community, so each figure of the whole is the sum of the rows;
    the rate is recomputed, and the wishers are counted once more, over the whole
    scope (one query): a resident helped in two communities is one resident."""
    total = _summed(by_community)
    total["wishers_fulfilled"] = scope_wishes(start, end, community_ids)["wishers_fulfilled"] if by_community else 0
    return total


def scope_wishes(start: datetime.date, end: datetime.date, community_ids=None) -> dict:
    """`wish_figures` over the whole scope, cached like the figures: the area's
    wishers (`figures_total`) and the dashboard's funnel (`chart_data`) read the same
    row. For several communities the counts are the sums of their rows
    (`wishes_by_community`; each wish lies in one community) and only the wishers are
    counted again: a second scan of a city's 500,000 wishes cost 80 ms."""

    def compute():
        scoped = in_communities(MicroWish.objects.all(), community_ids)
        if community_ids is not None and len(community_ids) == 1:
            return wish_figures(scoped, start, end)
        rows = wishes_by_community(start, end, community_ids).values()
        total = {key: sum(row.get(key, 0) for row in rows) for key in WISH_COUNTS}
        return {**total, **wishers_helped(scoped, start, end)}

    return cached("scope_wishes", compute, community_ids, start, end)


def wishes_by_community(start: datetime.date, end: datetime.date, community_ids=None) -> dict:
    """{community id: `wish_figures` but the wishers} of the scope's communities (those
    with wishes), cached: the side-by-side rows (`_parts`) and the scope's sums
    (`scope_wishes`) read them; the wishers are counted where they are shown."""
    return cached(
        "wishes_by_community",
        lambda: wish_figures(in_communities(MicroWish.objects.all(), community_ids), start, end, group_by="community_id", wishers=False),
        community_ids,
        start,
        end,
    )


def scope_figures(scope) -> tuple[dict, list | None]:
    """A report scope's headline figures and, when it covers an area rather than one
    community (an area admin's roll-up, even of a single community), its rows side by
    side (`figures_by_area`), all cached like the figures. The dashboard, the work
    summary and the Excel file read them here, so the cached values are always made
    the same way: for an area, the sums of its communities' rows (`figures_total`),
    not a second count."""
    key = scope.cache_key
    if scope.community is not None:
        one = cached("figures", lambda: figures(scope.start, scope.end, community_ids=scope.community_ids), *key)
        return one, None
    by_community = cached(
        "by_community",
        lambda: figures_by_community(scope.start, scope.end, community_ids=scope.community_ids, wishers=False),
        *key,
    )
    total = cached(
        "figures", lambda: figures_total(by_community, scope.start, scope.end, community_ids=scope.community_ids), *key
    )
    rows = cached("side_by_side", lambda: figures_by_area(by_community, scope.start, scope.end, scope.area), *key)
    return total, rows


def figures_by_area(by_community: dict, start: datetime.date, end: datetime.date, area) -> list[dict]:
    """An area admin's roll-up one level down: a row for each area directly under
    `area` (None: the top areas) that has communities in `by_community`, and a row for
    each community lying directly in `area` (or in no area). Each row:
    {"name", "code", "level": an Area.Level or "community", "figures"}; an area's figures are
    the sums of its communities' rows (`figures_total`'s rule); the wishers of every row
    are counted once more, all rows in one GROUP BY query."""
    rows = area_rows(by_community, area)
    for row in rows:
        ids = row["ids"]
        row["figures"] = dict(by_community[ids[0]]) if row["level"] == "community" else _summed({pk: by_community[pk] for pk in ids})
    wishers = _wishers_by_row([row.pop("ids") for row in rows], start, end)
    for position, row in enumerate(rows):
        row["figures"]["wishers_fulfilled"] = wishers.get(position, 0)
    return rows


def area_rows(community_ids, area) -> list[dict]:
    """The rows of an area's roll-up one level down (`figures_by_area`): each area directly
    under `area` (None: the top areas) holding some of `community_ids`, and each of those
    communities lying directly in `area` (or in no area), as {"name", "code", "level",
    "ids": the row's community ids}; areas in their codes' order (names in Chinese sort by
    code point, not by reading), then communities by name."""
    children = list(Area.objects.filter(parent=area).order_by("path"))
    communities = Community.objects.filter(pk__in=community_ids).values("pk", "name", "code", "area__path")
    rows, members = [], {child.pk: [] for child in children}
    for community in communities:
        path = community["area__path"] or ""
        child = next((child for child in children if path.startswith(child.path)), None)
        if child is None:
            rows.append({"name": community["name"], "code": community["code"], "level": "community", "ids": [community["pk"]]})
        else:
            members[child.pk].append(community["pk"])
    for child in children:
        if members[child.pk]:
            rows.append({"name": child.name, "code": child.code, "level": child.level, "ids": members[child.pk]})
    return sorted(rows, key=lambda row: (row["level"] == "community", row["name"] if row["level"] == "community" else row["code"]))


def side_by_side_heading(rows) -> str:
    """The title of `figures_by_area` rows: what they are."""
    levels = {row["level"] for row in rows}
    if levels == {Area.Level.DISTRICT}:
        return _("Districts side by side")
    if levels == {Area.Level.STREET}:
        return _("Streets side by side")
    if levels <= {"community"}:  # communities, or none at all
        return _("Communities side by side")
    if "community" not in levels:
        return _("Areas side by side")
    return _("Areas and communities side by side")


def _summed(rows: dict) -> dict:
    """The sum of some communities' headline rows, the rate recomputed (wishers: summed,
    or 0 where the rows did not count them; either way callers recount them, as a sum
    counts a resident helped in two communities twice)."""
    total = {key: sum(row[key] or 0 for row in rows.values()) for key in HEADLINE_KEYS if key != "reporting_rate"}
    total["volunteer_hours"] = round(float(total["volunteer_hours"]), 1)
    members, reported = total["party_members"], total["reported_members"]
    total["reporting_rate"] = round(reported / members, 4) if members else 0.0
    return {key: total[key] for key in HEADLINE_KEYS}


def _wishers_by_row(rows: list, start: datetime.date, end: datetime.date) -> dict:
    """{row's position: distinct wishers with a wish fulfilled in the period} for `rows`,
    each a list of community ids, in one query: each fulfilled wish labelled with the
    row its community belongs to, and grouped by that label. Labelled by community id,
    not by the area's path: comparing every wish's path with each area's took 150 ms
    for a city's year."""
    if not rows:
        return {}
    label = Case(*(When(community_id__in=ids, then=Value(position)) for position, ids in enumerate(rows)), output_field=IntegerField())
    wishes = fulfilled_between(MicroWish.objects.filter(community_id__in=[pk for ids in rows for pk in ids]), start, end)
    counted = wishes.annotate(row=label).order_by().values("row").annotate(wishers=Count("wisher_key", distinct=True))
    return {item["row"]: item["wishers"] for item in counted}


def _parts(start, end, community_ids, *, group):
    """Each app's aggregates, over all the communities in scope or per community."""
    by_community = group is not None

    def scoped(queryset):
        return in_communities(queryset, community_ids)

    return {
        "units": aggregate(scoped(CoBuildingUnit.objects.all()).co_building_as_of(end), group, units=Count("pk")),
        "members": scoped(PartyMember.objects.all()).reporting_summary(end, group_by=group),
        "wishes": wishes_by_community(start, end, community_ids) if by_community else wish_figures(scoped(MicroWish.objects.all()), start, end),
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


def chart_data(start: datetime.date, end: datetime.date, *, community_ids=None, side_by_side=None) -> dict:
    """The dashboard's charts as plain lists (JSON for the page's script):
    held events per month by kind, the wish funnel, members' reporting (by unit for
    one community; for several, by the rows of `side_by_side`, [{"name", "figures"}]
    of `figures_by_area`), and approved hours by team (the 20 with most hours; for
    several communities, by row of `side_by_side`)."""
    months, label = _chart_columns(start, end)
    index = {month: position for position, month in enumerate(months)}
    per_kind: dict = {}
    for month, kind_id, count in events_by_month(start, end, community_ids=community_ids, columns=months):
        per_kind.setdefault(kind_id, [0] * len(months))[index[month]] = count
    kinds = {kind.pk: str(kind) for kind in EventKind.objects.filter(pk__in=per_kind)}  # built-ins in the user's language
    wishes = scope_wishes(start, end, community_ids)
    if side_by_side is None:
        parts = breakdowns(start, end, community_ids=community_ids)
        reporting = [(unit.name, unit.member_count, unit.reported_count) for unit in parts["units"] if unit.member_count]
        hours = [(team.name, float(team.approved_hours or 0)) for team in parts["teams"]]
    else:
        # An area's charts compare its rows: the teams of a city's 1,000 communities
        # are neither readable in one chart nor cheap to add up (a year's attendances).
        reporting = [(row["name"], row["figures"]["party_members"], row["figures"]["reported_members"]) for row in side_by_side]
        hours = [(row["name"], float(row["figures"]["volunteer_hours"])) for row in side_by_side]
    top_teams = sorted(hours, key=lambda kv: -kv[1])[:20]
    return {
        "months": [month.strftime(label) for month in months],
        "events_by_kind": [{"kind": kinds[pk], "counts": counts} for pk, counts in sorted(per_kind.items())],
        "funnel": [wishes["wishes_submitted"], wishes["wishes_published"], wishes["wishes_claimed"], wishes["wishes_fulfilled"]],
        "reporting": [{"name": name, "registered": registered, "reported": reported} for name, registered, reported in reporting],
        "teams": [{"name": name, "hours": hours} for name, hours in top_teams],
    }
