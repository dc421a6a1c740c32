"""接诉即办 "three rates" of residents' appeals and micro-wishes for a report scope:
响应率 (responded in time / received), 解决率 (resolved / received) and 满意率
((satisfied + basically satisfied) / rated), each over the requests received in the
period (portal.resident_requests.service_counts; the apps say what "responded" and
"resolved" mean). The dashboard, the Excel file and `manage.py report --rates` read
them here, with the definitions printed under the figures.

`scope_rates(scope)` gives the whole scope's rates and its rows: by grid cell for one
community, by the areas one level down (or communities) for an area.
"""

import datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from grid.models import GridCell
from grid.selectors_figures import appeal_service_counts
from portal.figures_cache import cached
from portal.models import Community
from portal.resident_requests import SERVICE_COUNTS, with_rates

from .reports import area_rows
from wishes.selectors import wish_service_counts

KINDS = {"appeals": appeal_service_counts, "wishes": wish_service_counts}
RATE_KEYS = ("response_rate", "resolution_rate", "satisfaction_rate")


def service_rates(start: datetime.date, end: datetime.date, *, community_ids=None) -> dict:
    """{"appeals": counts and rates, "wishes": counts and rates} of the communities (None: all)."""
    return {kind: with_rates(counts(start, end, community_ids=community_ids)) for kind, counts in KINDS.items()}


def service_rates_by(start: datetime.date, end: datetime.date, *, community_ids=None, by: str) -> tuple[dict, list[dict]]:
    """The communities' rates and their rows of {"name", "appeals", "wishes"}: by
    "grid_cell" (each cell of the communities, and the requests with no cell), or by
    "community" (those with requests). One GROUP BY query a kind; the whole is the sum
    of its groups (each request lies in one cell or none, and in one community)."""
    field = "grid_cell_id" if by == "grid_cell" else "community_id"
    grouped = {kind: counts(start, end, community_ids=community_ids, group_by=field) for kind, counts in KINDS.items()}
    total = {kind: _summed(groups.values()) for kind, groups in grouped.items()}
    if by == "grid_cell":
        cells = GridCell.objects.all() if community_ids is None else GridCell.objects.filter(community_id__in=community_ids)
        names = [(cell.pk, str(cell)) for cell in cells.select_related("community").order_by("community__name", "number")]
        if any(None in groups for groups in grouped.values()):
            names.append((None, _("No grid cell")))
    else:
        keys = set().union(*grouped.values())
        names = list(Community.objects.filter(pk__in=keys).order_by("name").values_list("pk", "name"))
    rows = [{"name": name, **{kind: with_rates(grouped[kind].get(key, {})) for kind in KINDS}} for key, name in names]
    return total, rows


def _summed(groups) -> dict:
    groups = list(groups)
    return with_rates({key: sum(group.get(key) or 0 for group in groups) for key in SERVICE_COUNTS})


def rows_of_area(by_community: dict, area) -> list[dict]:
    """An area's rows one level down (office.reports.area_rows), each kind's counts the
    sums of its communities' (every request lies in one community)."""
    rows = []
    for row in area_rows(by_community, area):
        summed = {kind: _summed(by_community[pk][kind] for pk in row["ids"]) for kind in KINDS}
        rows.append({"name": row["name"], "code": row["code"], "level": row["level"], **summed})
    return rows


def scope_rates(scope) -> tuple[dict, list[dict], str]:
    """The scope's rates, its rows and what the rows are ("grid_cell" for one community,
    "area" for an area's roll-up), cached like the figures."""

    def compute():
        if scope.community is not None:
            total, rows = service_rates_by(scope.start, scope.end, community_ids=scope.community_ids, by="grid_cell")
            return total, rows, "grid_cell"
        grouped = {kind: counts(scope.start, scope.end, community_ids=scope.community_ids, group_by="community_id") for kind, counts in KINDS.items()}
        by_community = {pk: {kind: grouped[kind].get(pk, {}) for kind in KINDS} for pk in set().union(*grouped.values())}
        total = {kind: _summed(groups.values()) for kind, groups in grouped.items()}
        return total, rows_of_area(by_community, scope.area), "area"

    return cached("service_rates", compute, *scope.cache_key, get_language())  # a row's name: "no grid cell"


def definitions(community=None) -> list[tuple[str, str]]:
    """(rate, how it is computed) as printed under the figures, with the community's own
    time limits when there is one community."""
    if community is not None:
        hours, urgent = community.respond_hours, community.urgent_respond_hours
        limits = _("%(hours)s hours, urgent appeals %(urgent)s hours") % {"hours": hours, "urgent": urgent}
    else:
        limits = _("each community's limit (by default 24 hours, urgent appeals 2 hours)")
    return [
        (
            _("Response rate"),
            _(
                "Responded in time ÷ received. Received: sent in the period. Responded: the community's first step "
                "(assigned or answered an appeal, reviewed a wish) within %(limits)s, counted from receipt."
            ) % {"limits": limits},
        ),
        (
            _("Resolution rate"),
            _(
                "Resolved ÷ received. An appeal is resolved when answered or closed; one reopened by the resident "
                "counts against resolution until answered again. A wish is resolved when the resident confirmed it."
            ),
        ),
        (
            _("Satisfaction rate"),
            _(
                "(Satisfied + basically satisfied) ÷ rated. Only the residents' own ratings count; an unrated request "
                "is asked again after 7 days and is never counted as satisfied."
            ),
        ),
    ]
