"""Who may do what: the portal's one table of actions and the roles allowed them.

Every view, template and service asks here instead of comparing roles:

- `can(user, action)` (also `user.can(action)`): does the user's role allow it?
- `can(user, action, target)`: ... on this object, community or community id? The
  target must lie in the user's community; for area admins, in their area's
  subtree (an area admin without an area reaches every community).
- `action_required(action)` (function views) and `ActionRequiredMixin` with
  `required_action` (class views): anonymous users go to the login page, a role
  without the action gets 403. Objects outside the user's community answer 404
  (portal.access.scope_to_community), not 403.
- `{% if user|can:"wishes.review" %}` in templates (portal_tags).
- `reach(user)`: how far a role's lists reach (every community, one community, the
  grid cells one works in, one's own records, one's unit's records); querysets'
  `for_user` narrow by it.

The table names actions "<app>.<verb>"; the apps above the foundation use them as
plain strings, so this module imports nothing of theirs. A new action goes into
ACTIONS; portal/tests/test_permissions.py builds the permission matrix (every
protected URL, every role) from this table and the URLconf.
"""

import enum
from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from portal.models import Community, User

Role = User.Role
ADMIN = frozenset({Role.AREA_ADMIN})
OFFICE = frozenset({Role.AREA_ADMIN, Role.STAFF})
GRID = OFFICE | {Role.GRID_WORKER}
MEMBER = frozenset({Role.MEMBER})
HOLDERS = frozenset({Role.MEMBER, Role.LIAISON})  # who claim wishes: a member for themself, a liaison for the unit

# action -> the roles allowed it. Grouped by the app whose pages and services ask.
ACTIONS: dict[str, frozenset] = {
    # foundation
    "portal.all_communities": ADMIN,  # reach every community, pick one in forms and reports
    "portal.see_history": OFFICE,  # a record's change history
    "portal.password_expires": frozenset({Role.AREA_ADMIN, Role.STAFF, Role.GRID_WORKER, Role.AUDITOR}),
    # audit (separation of duties: the auditor reads the security log, nothing else)
    "audit.read_log": frozenset({Role.AREA_ADMIN, Role.AUDITOR}),
    # grid: communities, cells, buildings, units, members, stations
    "grid.add_community": ADMIN,
    "grid.view": GRID,  # cells, buildings, members and stations of one's reach
    "grid.manage": OFFICE,  # create and edit them, confirm reports, import rosters
    "grid.view_unit": OFFICE | {Role.LIAISON},  # a liaison: their own unit's page
    "grid.own_registration": MEMBER,  # a member's own record (我的报到)
    "grid.work_in_cells": frozenset({Role.STAFF, Role.GRID_WORKER}),  # may lead or work in a grid cell
    "grid.post_station_update": GRID,  # news and photos of a service station
    # grid work: visits and appeals
    "grid.log_visits": GRID | MEMBER,  # members log their own visits
    "grid.all_visits": OFFICE,  # filter by visitor, comment on and edit any visit; others: their own
    "grid.follow_up_visits": GRID,  # comment, turn into an appeal or a case
    "grid.handle_appeals": GRID,  # see, record and answer (the assignee or the office)
    "grid.manage_appeals": OFFICE,  # assign, close, send to the council, remove data
    "grid.take_appeals": frozenset({Role.STAFF, Role.GRID_WORKER}),  # may be assigned an appeal
    # wishes
    "wishes.view": GRID,  # the staff list and detail, proxy submission
    "wishes.review": OFFICE,  # approve, reject, edit, confirm on the resident's behalf, remove data
    "wishes.claim": HOLDERS,  # claim; the claimable list and one's own claims
    "wishes.handle_claims": OFFICE | HOLDERS,  # deliver or cancel: the holder, or the office for them
    "wishes.see_photos": GRID | HOLDERS,
    # council
    "council.manage": OFFICE,
    # volunteers
    "volunteers.view_events": GRID,  # grid workers read events; they change nothing
    "volunteers.manage": OFFICE,  # events, kinds, rosters, teams, projects, points
    "volunteers.take_part": MEMBER,  # sign up, check in, my activities
    "volunteers.see_all_cases": OFFICE,  # sensitive: others see the cases assigned to them
    "volunteers.see_cases": GRID | MEMBER,  # special-group cases (those assigned to them)
    "volunteers.record_cases": GRID,  # create and edit cases
    "volunteers.look_after_cases": frozenset({Role.GRID_WORKER, Role.MEMBER}),  # may be assigned a case
    # notices: the outbox of text messages and e-mails (each user reads their own inbox)
    "notices.view_outbox": OFFICE,
    # office: what reads every app
    "office.dashboard": GRID,
    "office.reports": OFFICE,  # period figures, summary, exports, a resident's data requests
    "office.feedback_sheet": OFFICE | {Role.LIAISON},  # 双报到 feedback to the employer unit
}


class Reach(enum.Enum):
    """How far a role's lists reach."""

    ALL = "all"  # every community (area admins)
    COMMUNITY = "community"  # the user's community (staff)
    CELLS = "cells"  # the grid cells they lead or work in, and what they recorded (grid workers)
    OWN = "own"  # their own records (party members)
    UNIT = "unit"  # their co-building unit's records (liaisons)
    NONE = "none"  # no community records (auditors)


REACH = {
    Role.AREA_ADMIN: Reach.ALL,
    Role.STAFF: Reach.COMMUNITY,
    Role.GRID_WORKER: Reach.CELLS,
    Role.MEMBER: Reach.OWN,
    Role.LIAISON: Reach.UNIT,
    Role.AUDITOR: Reach.NONE,
}


def roles_for(action: str) -> frozenset:
    try:
        return ACTIONS[action]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown action {action!r}: declare it in portal.permissions.ACTIONS") from None


def reach(user) -> Reach:
    if user is None or not user.is_authenticated:
        return Reach.NONE
    return REACH.get(user.role, Reach.NONE)


def _community_id(target):
    if isinstance(target, int):
        return target
    if isinstance(target, Community):
        return target.pk
    return target.community_id


def area_of(user):
    """The area an area admin is limited to (None: every community, or not an area admin)."""
    if reach(user) is not Reach.ALL or not getattr(user, "area_id", None):
        return None
    return user.area


def community_ids_in_reach(user) -> list[int] | None:
    """The ids of the communities an office user reaches: None for every community
    (an area admin without an area), the subtree's for an area admin of an area,
    [their own] for everyone else. Read once per user object (one query)."""
    if reach(user) is Reach.ALL:
        area = area_of(user)
        if area is None:
            return None
        cached = getattr(user, "_community_ids_in_reach", None)
        if cached is None:
            cached = Community.objects.in_area(area).ids()
            user._community_ids_in_reach = cached
        return cached
    return [] if user.community_id is None else [user.community_id]


def in_reach(user, target) -> bool:
    """Is the target (an object with a community, a community or its id) in the user's communities?"""
    if reach(user) is Reach.ALL:
        ids = community_ids_in_reach(user)
        return ids is None or _community_id(target) in ids
    return user.community_id is not None and _community_id(target) == user.community_id


def can(user, action: str, target=None) -> bool:
    roles = roles_for(action)
    if user is None or not user.is_authenticated or user.role not in roles:
        return False
    return target is None or in_reach(user, target)


def check(user, action: str, target=None) -> None:
    """`can` or 403."""
    if not can(user, action, target):
        raise PermissionDenied


def action_required(action: str):
    """Function-view decorator: login first, then 403 unless the role may do `action`."""
    roles_for(action)  # an unknown action fails at import, not at the first request

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.required_action = action
        return wrapped

    return decorator


class ActionRequiredMixin(AccessMixin):
    """Class-based-view twin of `action_required`: set `required_action`."""

    required_action: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if self.required_action is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no required_action")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        check(request.user, self.required_action)
        return super().dispatch(request, *args, **kwargs)
