"""What a report page covers: a period of whole days and a set of communities.

Every report view (dashboard, Excel, work summary, feedback sheets) reads the
same query string: `?from=YYYY-MM-DD&to=YYYY-MM-DD` (this year by default, and
instead of a day outside portal.dates' range, with a message) and, for an area
admin, `?community=CODE` to open one community of their area (every community
when they have no area). Staff always see their own community only.
"""

import dataclasses
import datetime
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dates import EARLIEST, LATEST, in_range
from portal.permissions import area_of, community_ids_in_reach


@dataclasses.dataclass
class ReportScope:
    start: datetime.date
    end: datetime.date
    community_ids: list[int] | None  # None: every community (an area admin's roll-up)
    community: object = None  # the one community shown, if any
    area: object = None  # an area admin's area (community_ids: its communities), if any
    error: str = ""
    shortcuts: list = dataclasses.field(default_factory=list)

    @property
    def label(self) -> str:
        if self.community is not None:
            return str(self.community)
        return str(self.area) if self.area is not None else _("All communities")

    def query(self, **extra) -> str:
        """The query string that reopens this scope (plus `extra`), without '?'."""
        keep_community = extra.pop("keep_community", True)
        params = {"from": f"{self.start:%Y-%m-%d}", "to": f"{self.end:%Y-%m-%d}"}
        if keep_community and self.community is not None:
            params["community"] = self.community.code
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
    from portal.models import Community

    user = request.user
    if not user.can("office.reports"):
        raise PermissionDenied
    community = None
    area = None
    if user.can("portal.all_communities"):
        # An area admin: every community of their area (all without one), or one of them.
        community_ids = community_ids_in_reach(user)
        area = area_of(user)
        code = request.GET.get("community", "").strip()
        if code:
            community = get_object_or_404(Community.objects.for_user(user), code=code)
            community_ids = [community.pk]
    else:
        community = user.community
        community_ids = [user.community_id]
    scope = period_scope(request, community_ids=community_ids, community=community)
    scope.area = area
    return scope


def period_scope(request, *, community_ids=None, community=None) -> ReportScope:
    """A scope for the period asked for, with its shortcut links. Checks nothing:
    callers decide who may see which communities (report_scope for office roles)."""
    start, end, error, labelled = report_period(request)
    scope = ReportScope(start=start, end=end, community_ids=community_ids, community=community, error=error)
    scope.shortcuts = [
        (label, "?" + dataclasses.replace(scope, start=low, end=high).query(), (low, high) == (start, end))
        for label, (low, high) in labelled
    ]
    return scope
