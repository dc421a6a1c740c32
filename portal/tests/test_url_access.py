"""The access matrix of every named URL, generated from the URL configuration.

`REGISTRY` says, for each URL name, how to build its arguments from one record of
each kind in community A (`World`), whether it is a page (GET) or an action
(POST only), and what each visitor gets:

- anonymous: public pages 200; everything else the login page;
- staff of community B: 404 on a record of community A (403 where staff have no
  business at all), the same as A's staff on pages without a record;
- each role of community A: 200, 403 or 404 as the app intends.

For an action, GET answers 405 to everybody, and the matrix is checked with an
empty POST: anonymous → login, wrong role → 403, wrong community → 404, the
allowed roles get the view's answer (a redirect with a message).

A new URL name without an entry here fails `test_every_url_has_an_access_rule`:
add it to the registry with the access it should have.
"""

import dataclasses
import datetime
import io
from functools import cached_property

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from conftest import make_user
from council.models import PropertyCompany, ProxyService, Session, Topic
from grid.models import Appeal, Station, StationUpdate, VisitLog
from grid.services_work import appeal_submit
from notices.models import Notification
from notices.services import stop_token_of
from office.models import ExportJob
from portal.models import User
from portal.permissions import roles_for
from volunteers.models import (
    EventKind,
    Participation,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from wishes.models import MicroWish
from wishes.services import wish_approve, wish_claim, wish_submit

# The security auditor reads the security log and nothing else: 403 (or 404) on every other page.
VISITORS = ["anonymous", "staff_b", "area_admin", "staff_a", "grid_worker_a", "member_user_a", "liaison_a", "auditor"]
ROLES = VISITORS[2:]  # the users of community A (and the area admin and the auditor)
LOGGED_IN = VISITORS[1:]

OFFICE = {"area_admin", "staff_a"}
GRID = OFFICE | {"grid_worker_a"}
HOLDERS = {"member_user_a", "liaison_a"}
MEMBER = {"member_user_a"}
SECURITY_LOG = {"area_admin", "auditor"}

LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 anywhere but the login page: the view answered with a redirect


@dataclasses.dataclass(frozen=True)
class To:
    """302 to this URL: a URL name without arguments, or `lambda world: url`."""

    target: object

    def url(self, world):
        return self.target(world) if callable(self.target) else reverse(self.target)


@dataclasses.dataclass(frozen=True)
class Access:
    kwargs: object  # None, or `lambda world: {...}`
    expect: dict  # visitor -> 200 / 403 / 404 / LOGIN / REDIRECT / To(...)
    method: str = "get"  # "post": an action, POST only


@dataclasses.dataclass(frozen=True)
class Protected:
    """A page (or a POST-only action) behind a permission. `allowed` is None for a view
    that declares its action (`action_required` / `required_action`): the roles come
    from portal.permissions.ACTIONS. Views that check inside give their roles here."""

    allowed: object
    kwargs: object
    overrides: dict
    method: str

    def access(self, name):
        allowed = self.allowed if self.allowed is not None else allowed_by_table(name)
        granted = 200 if self.method == "get" else REDIRECT
        expect = {"anonymous": LOGIN, "staff_b": _staff_b(self.kwargs, allowed)}
        expect.update({role: granted if role in allowed else 403 for role in ROLES})
        expect.update(self.overrides)
        return Access(self.kwargs, expect, self.method)


def _staff_b(kwargs, allowed):
    if kwargs is None:
        return 200 if "staff_a" in allowed else 403
    return 404 if "staff_a" in allowed else 403


def page(allowed=None, kwargs=None, **overrides):
    """A page for signed-in users: allowed roles 200, other roles 403, anonymous
    to the login page, community B's staff 404 on a record of A."""
    return Protected(allowed, kwargs, overrides, "get")


def action(allowed=None, kwargs=None, **overrides):
    """A POST-only view: allowed roles are answered with a redirect, the rest as `page`."""
    return Protected(allowed, kwargs, overrides, "post")


def public(kwargs=None, **overrides):
    """A page for everyone, with or without an account."""
    return Access(kwargs, {**{visitor: 200 for visitor in VISITORS}, **overrides})


def everyone(outcome, kwargs=None, method="get"):
    return Access(kwargs, {visitor: outcome for visitor in VISITORS}, method=method)


def pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


COMMUNITY_CODE = lambda world: {"code": world.community.code}

REGISTRY = {
    # The portal -------------------------------------------------------------------------------
    "office:home": public(),
    "office:dashboard": page(
        GRID | HOLDERS,
        member_user_a=To("grid:member_me"),
        liaison_a=To(lambda world: reverse("grid:unit_detail", args=[world.unit.pk])),
        auditor=To("audit:event_list"),
    ),
    "office:dashboard_export": page(),
    "office:work_summary": page(),
    "office:feedback_list": page(),
    "office:feedback_all_docx": page(),
    "office:feedback_unit": page(kwargs=pk("unit")),
    "office:feedback_unit_docx": page(kwargs=pk("unit")),
    "office:export_list": page(),
    "office:export_start": action(staff_b=REDIRECT),
    # Staff A's export: for them only (another office user, the area admin too: 404).
    "office:export_download": page(kwargs=pk("export_job"), area_admin=404),
    "portal:login": public(**{visitor: To("office:dashboard") for visitor in LOGGED_IN}),
    "portal:logout": everyone(To("office:home"), method="post"),
    # Every signed-in account sees its own roles.
    "portal:my_roles": Access(None, {**{visitor: 200 for visitor in VISITORS}, "anonymous": LOGIN}),
    "portal:password_change": page(set(ROLES)),
    "portal:password_change_done": page(set(ROLES)),
    "healthz": public(),
    # Communities, cells, buildings, units, members ------------------------------------------
    "grid:community_list": page(),
    "grid:community_create": page(),
    "grid:community_detail": page(kwargs=pk("community")),
    "grid:community_update": page(kwargs=pk("community")),
    "grid:gridcell_list": page(),
    "grid:gridcell_create": page(),
    "grid:gridcell_detail": page(kwargs=pk("cell")),
    "grid:gridcell_update": page(kwargs=pk("cell")),
    "grid:building_list": page(),
    "grid:building_create": page(),
    "grid:building_detail": page(kwargs=pk("building")),
    "grid:building_update": page(kwargs=pk("building")),
    "grid:unit_list": page(),
    "grid:unit_create": page(),
    "grid:unit_detail": page(kwargs=pk("unit")),
    "grid:unit_update": page(kwargs=pk("unit")),
    "grid:unit_import": page(),
    "grid:unit_import_template": page(),
    "grid:member_list": page(),
    "grid:member_create": page(),
    "grid:member_me": page(),
    "grid:member_detail": page(kwargs=pk("member")),
    "grid:member_update": page(kwargs=pk("member")),
    "grid:member_confirm": action(kwargs=pk("member")),
    "grid:member_undo_report": action(kwargs=pk("member")),
    "grid:member_import": page(),
    "grid:member_import_template": page(),
    "grid:member_register": public(COMMUNITY_CODE),
    "grid:member_register_done": public(COMMUNITY_CODE),
    # Visits: a member sees only the visits they logged themselves.
    "grid:visit_list": page(),
    "grid:visit_create": page(),
    "grid:visit_detail": page(kwargs=pk("visit"), member_user_a=404),
    "grid:visit_update": page(kwargs=pk("visit"), member_user_a=404),
    "grid:visit_comment": action(kwargs=pk("visit")),
    "grid:visit_follow_up_done": action(kwargs=pk("visit"), member_user_a=404),
    "grid:visit_to_appeal": page(kwargs=pk("visit")),
    "grid:visit_to_case": page(kwargs=pk("visit")),
    # Appeals: residents' pages (no account) and staff pages
    "grid:appeal_new": public(),
    "grid:appeal_submitted": everyone(To("grid:appeal_new")),  # nothing submitted in this session
    "grid:appeal_track": public(),
    "grid:appeal_track_reopen": everyone(To("grid:appeal_track"), method="post"),  # nothing looked up
    "grid:appeal_track_close": everyone(To("grid:appeal_track"), method="post"),
    "grid:appeal_track_rate": everyone(To("grid:appeal_track"), method="post"),  # nothing looked up
    "grid:appeal_list": page(),
    "grid:appeal_record": page(),
    "grid:appeal_detail": page(kwargs=pk("appeal")),
    "grid:appeal_photo": page(kwargs=pk("appeal")),
    "grid:appeal_assign": action(kwargs=pk("appeal")),
    "grid:appeal_answer": action(kwargs=pk("appeal")),  # a grid worker answers what is assigned to them
    "grid:appeal_close": action(kwargs=pk("appeal")),
    "grid:appeal_urgency": action(kwargs=pk("appeal")),
    "grid:appeal_contact": action(kwargs=pk("appeal")),
    "grid:appeal_rate": action(kwargs=pk("appeal")),
    "grid:appeal_to_topic": action(kwargs=pk("appeal")),
    "grid:appeal_remove_personal_data": page(kwargs=pk("appeal")),
    # Stations and micro party schools
    "grid:station_list": page(),
    "grid:station_create": page(),
    "grid:station_detail": page(kwargs=pk("station")),
    "grid:station_update": page(kwargs=pk("station")),
    "grid:station_update_create": page(kwargs=pk("station")),
    "grid:station_update_photo": page(kwargs=pk("station_update")),
    "grid:station_update_delete": action(kwargs=pk("station_update")),
    # Micro-wishes: residents' pages
    "wishes:wall": public(),
    "wishes:new": public(),
    "wishes:submitted": everyone(To("wishes:new")),  # nothing submitted in this session
    "wishes:track": public(),
    "wishes:track_confirm": everyone(To("wishes:track"), method="post"),  # nothing looked up
    "wishes:track_rate": everyone(To("wishes:track"), method="post"),  # nothing looked up
    "wishes:poster": public(COMMUNITY_CODE),
    # Micro-wishes: staff, grid workers, holders
    "wishes:list": page(),
    "wishes:proxy_new": page(),
    "wishes:detail": page(kwargs=pk("wish")),
    "wishes:edit": page(kwargs=pk("wish")),
    "wishes:approve": action(kwargs=pk("wish")),
    "wishes:reject": action(kwargs=pk("wish")),
    "wishes:confirm": action(kwargs=pk("wish")),
    "wishes:rate": action(kwargs=pk("wish")),
    "wishes:remove_personal_data": page(kwargs=pk("wish")),
    "wishes:claim": action(kwargs=pk("open_wish")),
    # Only the holder (member_a claimed it) or the office; the liaison's unit does not hold it.
    "wishes:deliver": page(kwargs=pk("claimed_wish"), liaison_a=403),
    "wishes:cancel": action(kwargs=pk("claimed_wish")),  # the liaison gets the service's refusal
    "wishes:photo": page(
        GRID | HOLDERS, lambda world: {"pk": world.claimed_wish.pk, "which": "wish"}, liaison_a=403
    ),
    "wishes:claimable": page(),
    "wishes:mine": page(),
    # Volunteer service: public and member pages
    "volunteers:calendar": public(),
    "volunteers:event_public": public(pk("event")),
    "volunteers:sign_up": action(kwargs=pk("event")),
    "volunteers:withdraw": action(kwargs=pk("event")),
    "volunteers:checkin_sheet": page(kwargs=pk("event")),
    "volunteers:checked_in": page(kwargs=pk("event")),
    "volunteers:checkin": page(),
    "volunteers:checkin_code": page(kwargs=lambda world: {"code": world.event.checkin_code}),
    "volunteers:my": page(),
    "volunteers:my_certificate": page(),
    # Volunteer service: staff pages (grid workers read events and keep the cases assigned to them)
    "volunteers:event_list": page(),
    "volunteers:event_create": page(),
    "volunteers:event_detail": page(kwargs=pk("event")),
    "volunteers:event_update": page(kwargs=pk("event")),
    "volunteers:event_cancel": action(kwargs=pk("event")),
    "volunteers:event_held": page(kwargs=pk("event")),
    "volunteers:event_copy": page(kwargs=pk("event")),
    "volunteers:event_photo": page(kwargs=pk("event")),
    "volunteers:roster": page(kwargs=pk("event")),
    "volunteers:member_certificate": page(kwargs=pk("member")),
    "volunteers:roster_export": page(kwargs=pk("event")),
    "volunteers:kind_list": page(),
    "volunteers:kind_create": page(),
    "volunteers:team_list": page(),
    "volunteers:team_create": page(),
    "volunteers:team_detail": page(kwargs=pk("team")),
    "volunteers:team_update": page(kwargs=pk("team")),
    "volunteers:project_list": page(),
    "volunteers:project_create": page(),
    "volunteers:project_detail": page(kwargs=pk("project")),
    "volunteers:project_update": page(kwargs=pk("project")),
    "volunteers:case_list": page(),  # grid workers and members: the cases assigned to them
    "volunteers:case_create": page(),
    "volunteers:case_detail": page(kwargs=pk("case"), member_user_a=403),  # in community A, not assigned to this member
    "volunteers:case_update": page(kwargs=pk("case")),
    "volunteers:case_status": action(kwargs=pk("case"), member_user_a=403),
    "volunteers:points_rule": page(),
    "volunteers:points_adjust": page(),
    # The deliberation hall, property companies, the proxy window
    "council:topic_list": page(),
    "council:topic_create": page(),
    "council:topic_detail": page(kwargs=pk("topic")),
    "council:topic_update": page(kwargs=pk("topic")),
    "council:topic_move": action(kwargs=pk("topic")),
    "council:session_create": page(kwargs=pk("topic")),
    "council:session_update": page(kwargs=pk("session")),
    "council:public_topics": public(),
    "council:public_topic": public(pk("topic")),
    "council:company_list": page(),
    "council:company_create": page(),
    "council:company_detail": page(kwargs=pk("company")),
    "council:company_update": page(kwargs=pk("company")),
    "council:proxy_list": page(),
    "council:proxy_create": page(),
    "council:proxy_detail": page(kwargs=pk("proxy")),
    "council:proxy_update": page(kwargs=pk("proxy")),
    "council:proxy_status": action(kwargs=pk("proxy")),
    # A resident's request to see or delete their data (nothing looked up: back to the page)
    "privacy:resident": page(),
    "privacy:resident_remove": action(staff_b=REDIRECT),
    # Notifications: the office's outbox; everyone's own inbox; the SMS opt-out link
    "notices:outbox": page(),
    "notices:resend": action(kwargs=pk("notification")),
    "notices:inbox": page(set(ROLES)),
    "notices:inbox_read": action(set(ROLES), staff_b=REDIRECT),
    "notices:stop": public(lambda world: world.stop_token),
    # The security log: area admins and security auditors only
    "audit:event_list": page(),
    "audit:event_export": page(),
}

VISITOR_ROLES = {
    "area_admin": User.Role.AREA_ADMIN,
    "staff_a": User.Role.STAFF,
    "grid_worker_a": User.Role.GRID_WORKER,
    "member_user_a": User.Role.MEMBER,
    "liaison_a": User.Role.LIAISON,
    "auditor": User.Role.AUDITOR,
}


def declared_actions(patterns=None, namespace=""):
    """URL name -> the action its view declares (portal.permissions), for views that declare one."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= declared_actions(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = pattern.callback
            required = getattr(view, "required_action", None) or getattr(getattr(view, "view_class", None), "required_action", None)
            if required:
                found[namespace + pattern.name] = required
    return found


DECLARED = declared_actions()


def allowed_by_table(name):
    assert name in DECLARED, f"{name}: its view declares no action; give the allowed roles in the registry"
    roles = roles_for(DECLARED[name])
    return {visitor for visitor in ROLES if VISITOR_ROLES[visitor] in roles}


REGISTRY = {name: rule.access(name) if isinstance(rule, Protected) else rule for name, rule in REGISTRY.items()}

# Not in the matrix: Django's admin (its own login, checked below) and the language switch.
SKIPPED_NAMESPACES = ("admin",)
SKIPPED_NAMES = {"set_language"}


def url_names(patterns=None, namespace=""):
    """Every named URL pattern of the project, namespaced ("wishes:detail")."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def covered_names():
    return {
        name
        for name in url_names()
        if name not in SKIPPED_NAMES and not name.startswith(tuple(f"{ns}:" for ns in SKIPPED_NAMESPACES))
    }


def test_every_url_has_an_access_rule():
    missing = sorted(covered_names() - set(REGISTRY))
    assert not missing, f"New view without an access rule: add it to the registry in {__name__}: {missing}"


def test_every_access_rule_has_a_url():
    stale = sorted(set(REGISTRY) - covered_names())
    assert not stale, f"These URL names no longer exist: remove them from the registry: {stale}"


def test_every_rule_names_each_visitor():
    for name, rule in REGISTRY.items():
        assert set(rule.expect) == set(VISITORS), name


# The records of community A -------------------------------------------------------------------------


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")


class World:
    """One record of each kind in community A, made when a test first asks for it."""

    def __init__(self, request):
        self._request = request

    def fixture(self, name):
        return self._request.getfixturevalue(name)

    @cached_property
    def community(self):
        return self.fixture("community_a")

    @cached_property
    def export_job(self):
        job = ExportJob(kind="figures", requested_by=self.fixture("staff_a"), community=self.community, status="done",
                        filename="f.xlsx", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
        job.file.save("f.xlsx", ContentFile(b"x"), save=False)
        job.save()
        return job

    @cached_property
    def notification(self):
        return Notification.objects.create(
            event="wish.claimed", key="wish:1:claimed", channel="sms", to="13800001234", community=self.community,
            template="wish_claimed", text="……", status="failed",
        )

    @cached_property
    def stop_token(self):
        return {"token": stop_token_of(self.notification)}

    @cached_property
    def cell(self):
        return self.fixture("cell_a")

    @cached_property
    def building(self):
        return self.fixture("building_a")

    @cached_property
    def unit(self):
        return self.fixture("unit_a")

    @cached_property
    def member(self):
        return self.fixture("member_a")

    @cached_property
    def grid_worker(self):
        return self.fixture("grid_worker_a")

    @cached_property
    def staff(self):
        return self.fixture("staff_a")

    @cached_property
    def visit(self):
        """Logged by the grid worker of cell 1, with a follow-up to do."""
        return VisitLog.objects.create(
            community=self.community, grid_cell=self.cell, building=self.building, household="3单元502室",
            kind=VisitLog.Kind.CARE, findings="独居老人，热水器坏了。", follow_up_needed=True, visitor=self.grid_worker,
        )

    @cached_property
    def appeal(self):
        appeal = appeal_submit(
            appeal=Appeal(
                community=self.community, grid_cell=self.cell, category=Appeal.Category.FACILITIES, title="2号门路灯坏了",
                resident_name="王秀英", resident_phone="13700001111", address_detail="3单元502室",
            )
        )
        appeal.photo.save("x.jpg", jpeg(), save=True)
        return appeal

    @cached_property
    def station(self):
        return Station.objects.create(community=self.community, grid_cell=self.cell, name="沙河街红色先锋驿站")

    @cached_property
    def station_update(self):
        update = StationUpdate.objects.create(
            station=self.station, updated_on=timezone.localdate(), title="垃圾分类宣传画", kind=StationUpdate.Kind.SLOGANS
        )
        update.photo.save("x.jpg", jpeg(), save=True)
        return update

    def _wish(self, **fields):
        data = {
            "community": self.community, "grid_cell": self.cell, "category": MicroWish.Category.STUDY,
            "title": "给孙子买一个书包", "wisher_name": "王秀英", "wisher_phone": "13700001111",
        }
        return wish_submit(wish=MicroWish(**{**data, **fields}))

    @cached_property
    def wish(self):
        """Awaiting review: the staff pages that correct and review it answer."""
        return self._wish()

    @cached_property
    def open_wish(self):
        return wish_approve(wish=self._wish(title="修一盏楼道灯"), by=self.staff)

    @cached_property
    def claimed_wish(self):
        """Claimed by member_a, with the resident's photo."""
        wish = self._wish(title="陪老人聊聊天")
        wish.photo.save("x.jpg", jpeg(), save=True)
        wish = wish_approve(wish=wish, by=self.staff)
        return wish_claim(wish=wish, by=self.fixture("member_user_a"))

    @cached_property
    def event(self):
        """Upcoming, with a photo; member_a is checked in (for the 'checked in' page)."""
        starts = timezone.now() + datetime.timedelta(days=3)
        event = VolunteerEvent.objects.create(
            community=self.community, title="政策宣传进楼院", kind=EventKind.objects.filter(community=None).first(),
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), place="社区党群服务中心",
        )
        event.photo.save("x.jpg", jpeg(), save=True)
        Participation.objects.create(event=event, member=self.member, signed_up_at=timezone.now(), checked_in_at=timezone.now())
        return event

    @cached_property
    def team(self):
        return VolunteerTeam.objects.create(community=self.community, name="小红兴一队")

    @cached_property
    def project(self):
        return ServiceProject.objects.create(community=self.community, name="爱心助餐", start_date=datetime.date(2023, 1, 1))

    @cached_property
    def case(self):
        """Assigned to the grid worker: the member (not assigned) is refused."""
        return SpecialGroupCase.objects.create(
            community=self.community, group="elderly_alone", resident_name="王奶奶", grid_cell=self.cell, problem="灯坏了",
            assigned_to=self.grid_worker,
        )

    @cached_property
    def topic(self):
        """Being deliberated: on the public page of the hall."""
        topic = Topic.objects.create(
            community=self.community, title="小区停车难", description="晚上车辆乱停。", source=Topic.Source.BENCH,
            proposed_on=datetime.date(2023, 5, 1), status=Topic.Status.DELIBERATING, deliberating_on=datetime.date(2023, 5, 8),
        )
        topic.grid_cells.add(self.cell)
        return topic

    @cached_property
    def session(self):
        return Session.objects.create(
            topic=self.topic, held_on=datetime.date(2023, 5, 8), form=Session.Form.BENCH, place="3号楼前", residents_count=12
        )

    @cached_property
    def company(self):
        return PropertyCompany.objects.create(community=self.community, name="兴泽物业")

    @cached_property
    def proxy(self):
        return ProxyService.objects.create(
            community=self.community, company=self.company, kind=ProxyService.Kind.PAYMENT, resident_name="王秀英",
            resident_phone="13912345678", received_on=datetime.date(2023, 5, 1),
        )


@pytest.fixture
def auditor(db):
    return make_user("auditor", User.Role.AUDITOR)


@pytest.fixture
def world(request, db, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return World(request)


def check(response, outcome, world, where):
    if outcome == LOGIN:
        assert response.status_code == 302, where
        assert response["Location"].startswith(reverse("portal:login")), where
    elif outcome == REDIRECT:
        assert response.status_code == 302, where
        assert not response["Location"].startswith(reverse("portal:login")), where
    elif isinstance(outcome, To):
        assert response.status_code == 302, where
        assert response["Location"] == outcome.url(world), where
    else:
        assert response.status_code == outcome, where


MATRIX = [(name, visitor) for name in sorted(REGISTRY) for visitor in VISITORS]


@pytest.mark.parametrize("name,visitor", MATRIX, ids=[f"{name}-{visitor}" for name, visitor in MATRIX])
def test_access(client, world, request, name, visitor):
    rule = REGISTRY[name]
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue(visitor))
    outcome = rule.expect[visitor]
    if rule.method == "post":
        check(client.get(url), 405, world, f"GET {url} (POST only) as {visitor}")
        check(client.post(url), outcome, world, f"POST {url} as {visitor}")
    else:
        check(client.get(url), outcome, world, f"GET {url} as {visitor}")


@pytest.mark.parametrize("status", ["submitted", "open", "claimed", "delivered", "fulfilled", "rejected"])
def test_wish_pages_in_each_state(client, world, staff_b, grid_worker_a, member_user_a, status):
    from wishes import services

    wish = world.claimed_wish if status in ("claimed", "delivered", "fulfilled") else world.wish
    if status == "open":
        wish = services.wish_approve(wish=wish, by=world.staff)
    elif status == "rejected":
        wish = services.wish_reject(wish=wish, by=world.staff, reason="不属于微心愿范围")
    if status in ("delivered", "fulfilled"):
        wish = services.wish_deliver(wish=wish, by=member_user_a)
    if status == "fulfilled":
        wish = services.wish_confirm(wish=wish)
    assert wish.status == status
    urls = [reverse(name, args=[wish.pk]) for name in ("wishes:detail", "wishes:remove_personal_data")]
    for user, statuses in [(world.staff, [200, 200]), (grid_worker_a, [200, 403]), (staff_b, [404, 404])]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == statuses, (user, status)


@pytest.mark.parametrize("status", ["received", "assigned", "answered", "reopened", "closed"])
def test_appeal_pages_in_each_state(client, world, staff_b, grid_worker_a, status):
    from grid import services_work as services

    appeal = world.appeal
    if status == "assigned":
        appeal = services.appeal_assign(appeal=appeal, by=world.staff, to_user=grid_worker_a)
    if status in ("answered", "reopened", "closed"):
        appeal = services.appeal_answer(appeal=appeal, by=world.staff, answer="已修好")
    if status == "reopened":
        appeal = services.appeal_reopen(appeal=appeal, reason="还是不亮")
    if status == "closed":
        appeal = services.appeal_close(appeal=appeal, by=world.staff)
    assert appeal.status == status
    urls = [reverse(name, args=[appeal.pk]) for name in ("grid:appeal_detail", "grid:appeal_photo", "grid:appeal_remove_personal_data")]
    for user, statuses in [(world.staff, [200, 200, 200]), (grid_worker_a, [200, 200, 403]), (staff_b, [404, 404, 404])]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == statuses, (user, status)


def test_admin_requires_an_admin_login(client, staff_a, area_admin):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(staff_a)  # community staff are not Django staff
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(area_admin)
    assert client.get("/admin/").status_code == 200
