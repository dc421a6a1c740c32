"""What a report page covers: a period of whole days and a set of communities.

Every report view (dashboard, Excel, work summary, feedback sheets) reads the
same query string: `?from=YYYY-MM-DD&to=YYYY-MM-DD` (this year by default, and
instead of a day outside portal.dates' range, with a message) and, for an area
admin, `?area=CODE` to open a district or street within their area and
`?community=CODE` to open one community of it (every community when they have no
area). Staff always see their own community only.
"""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dates import EARLIEST, LATEST, in_range
from portal.permissions import area_of, community_ids_in_reach
from portal.views_helpers import has_control_character


@dataclasses.dataclass
class ReportScope:
    start: datetime.date
    end: datetime.date
    community_ids: list[int] | None  # None: every community (an area admin's roll-up)
    community: object = None  # the one community shown, if any
    area: object = None  # an area admin's area (community_ids: its communities), if any
    error: str = ""
    shortcuts: list = dataclasses.field(default_factory=list)
    # Links back up, from the user's whole reach to the area above what is shown:
    # [(label, query without '?')], empty for staff and for the user's whole reach.
    trail: list = dataclasses.field(default_factory=list)
    # The area opened with ?area= (kept in the links), None for the user's own reach.
    chosen_area: object = None

    @property
    def cache_key(self) -> tuple:
        """What a scope's cached figures, rows and charts depend on: the communities, the
        period and the area (a district of one street covers the street's communities,
        but its rows are streets, the street's communities)."""
        return (self.community_ids, self.start, self.end, self.area.pk if self.area is not None else None)

    @property
    def label(self) -> str:
        if self.community is not None:
            return str(self.community)
        return str(self.area) if self.area is not None else _("All communities")

    def query(self, **extra) -> str:
        """The query string that reopens this scope (plus `extra`), without '?';
        keep_community=False leaves out the community or area opened."""
        keep_community = extra.pop("keep_community", True)
        params = {"from": f"{self.start:%Y-%m-%d}", "to": f"{self.end:%Y-%m-%d}"}
        if keep_community and self.community is not None:
            params["community"] = self.community.code
        elif keep_community and self.chosen_area is not None:
            params["area"] = self.chosen_area.code
        params.update({key: value for key, value in extra.items() if value is not None})
        return urlencode(params)


def report_period(request):
    """The period asked for: ?from=&to= (days included), this year by default,
    with the shortcuts (this month, this year, last year) as (label, query, active)."""
    today = timezone.localdate()
    shortcuts = {
        "month": (today.replace(day=1), today),
        "year": (datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)),
        "last_year": (datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)),
    }
    start, end = shortcuts["year"]
    error = ""
    try:
        if request.GET.get("from"):
            start = datetime.date.fromisoformat(request.GET["from"])
        if request.GET.get("to"):
            end = datetime.date.fromisoformat(request.GET["to"])
    except ValueError:
        start, end = shortcuts["year"]
        error = _("That is not a date; showing this year.")
    if not (in_range(start) and in_range(end)):
        start, end = shortcuts["year"]
        error = _("Choose dates between %(earliest)s and %(latest)s; showing this year.") % {
            "earliest": f"{EARLIEST:%Y-%m-%d}",
            "latest": f"{LATEST:%Y-%m-%d}",
        }
    if end < start:
        start, end = end, start
    labelled = [
        (_("This month"), shortcuts["month"]),
        (_("This year"), shortcuts["year"]),
        (_("Last year"), shortcuts["last_year"]),
    ]
    return start, end, error, labelled


def report_scope(request) -> ReportScope:
    """The scope of a report page for the signed-in office user (others: 403)."""
    from portal.models import Area, Community

    user = request.user
    if not user.can("office.reports"):
        raise PermissionDenied
    community = chosen = None
    trail = []
    if user.can("portal.all_communities"):
        # An area admin: every community of their area (all without one), an area
        # within it, or one community of it; anything outside their area is 404.
        community_ids = community_ids_in_reach(user)
        area = home = area_of(user)
        code, area_code = _code(request, "community"), _code(request, "area")
        if code:
            community = get_object_or_404(Community.objects.for_user(user).select_related("area"), code=code)
            community_ids = [community.pk]
            trail = _trail(home, community.area, include_last=True)
        elif area_code:
            chosen = get_object_or_404(Area.objects.within(home), code=area_code)
            if chosen == home:  # their own area asked for by code: their whole reach
                chosen = None
            else:
                area = chosen
                community_ids = Community.objects.in_area(chosen).ids()
                trail = _trail(home, chosen, include_last=False)
    else:
        area = None
        community = user.community
        community_ids = [user.community_id]
    return period_scope(request, community_ids=community_ids, community=community, area=area, chosen_area=chosen, trail=trail)


def _code(request, name: str) -> str:
    """A community's or area's code from the query string; one that no record can have
    (a control character, or longer than any code) answers 404 like any unknown code."""
    code = request.GET.get(name, "").strip()
    if len(code) > 30 or has_control_character(code):
        raise Http404
    return code


def _trail(home, shown, *, include_last: bool) -> list:
    """The areas from the user's reach (`home`, None: every community) down to the one
    above `shown` (or to `shown` itself with include_last), one query: [Area or None]."""
    from portal.models import Area

    codes = [code for code in shown.path.split("/") if code] if shown is not None else []
    if not include_last:
        codes = codes[:-1]
    below = {area.code: area for area in Area.objects.within(home).filter(code__in=codes)}
    return [home] + [below[code] for code in codes if code in below and below[code] != home]


def period_scope(request, *, community_ids=None, community=None, area=None, chosen_area=None, trail=()) -> ReportScope:
    """A scope for the period asked for, with its shortcut links and (`trail`: areas,
    None for every community) the links back up. Checks nothing: callers decide who
    may see which communities (report_scope for office roles)."""
    start, end, error, labelled = report_period(request)
    scope = ReportScope(
        start=start, end=end, community_ids=community_ids, community=community, area=area, error=error, chosen_area=chosen_area
    )
    scope.shortcuts = [
        (label, "?" + dataclasses.replace(scope, start=low, end=high).query(), (low, high) == (start, end))
        for label, (low, high) in labelled
    ]
    # Each link up reopens the period in that area; the user's own reach without ?area=.
    top = dataclasses.replace(scope, community=None, chosen_area=None)
    scope.trail = [
        (str(up) if up is not None else _("All communities"), dataclasses.replace(top, chosen_area=up if index else None).query())
        for index, up in enumerate(trail)
    ]
    return scope
