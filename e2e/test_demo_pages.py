"""Every main page, filled with the demo community (`seed_demo`), as each role sees it.

The journeys check the pages a task passes through; this walk opens the other
lists, records and forms of the menu, full of realistic data, so that axe-core
and the Nu Html Checker see them too. Staff pages at the desktop's viewport,
residents' and members' pages at the phone's, where they are used.
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from council.models import PropertyCompany, ProxyService, Topic
from e2e.browsing import PASSWORD, VIEWPORTS
from grid.models import (
    Appeal,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    VisitLog,
)
from notices.models import Notification
from notices.services import stop_token_of
from portal.models import Community, User
from volunteers.models import (
    BUILTIN_KINDS,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from wishes.models import MicroWish

YEAR = "?from=2023-01-01&to=2023-12-31"


def _url(name, model=None, query="", **filters):
    """The page `name`, for the first record of `model` (matching `filters`) if given."""
    if model is None:
        return reverse(name) + query
    record = model.objects.filter(**filters).order_by("pk").first()
    assert record is not None, f"the demo has no {model.__name__} {filters}"
    return reverse(name, args=[record.pk]) + query


def _pages_of_staff():
    return [
        _url("office:dashboard", query=YEAR),
        _url("office:work_summary", query=YEAR),
        _url("office:feedback_list", query=YEAR),
        _url("office:feedback_unit", CoBuildingUnit, query=YEAR),
        _url("notices:outbox"),
        reverse("volunteers:member_certificate", args=[PartyMember.objects.get(user__username="member").pk]) + YEAR,
        _url("grid:gridcell_list"),
        _url("grid:gridcell_detail", GridCell),
        _url("grid:building_list"),
        _url("grid:building_detail", Building),
        _url("grid:unit_list"),
        _url("grid:unit_detail", CoBuildingUnit),
        _url("grid:unit_update", CoBuildingUnit),
        _url("grid:member_list"),
        _url("grid:member_detail", PartyMember),
        _url("grid:member_create"),
        _url("grid:member_import"),
        _url("grid:visit_list"),
        _url("grid:visit_detail", VisitLog),
        _url("grid:appeal_list"),
        _url("grid:appeal_detail", Appeal, status=Appeal.Status.RECEIVED),
        _url("grid:appeal_detail", Appeal, status=Appeal.Status.CLOSED),
        _url("grid:appeal_record"),
        _url("grid:station_list"),
        _url("grid:station_detail", Station),
        _url("wishes:list"),
        _url("wishes:detail", MicroWish, status=MicroWish.Status.SUBMITTED),
        _url("wishes:detail", MicroWish, status=MicroWish.Status.CLAIMED),
        _url("wishes:detail", MicroWish, status=MicroWish.Status.FULFILLED),
        _url("wishes:proxy_new"),
        _url("volunteers:event_list"),
        _url("volunteers:event_detail", VolunteerEvent, status=VolunteerEvent.Status.DONE),
        _url("volunteers:event_detail", VolunteerEvent, status=VolunteerEvent.Status.PLANNED),
        _url("volunteers:roster", VolunteerEvent, status=VolunteerEvent.Status.DONE),
        _url("volunteers:checkin_sheet", VolunteerEvent, status=VolunteerEvent.Status.PLANNED),
        _url("volunteers:event_create"),
        _url("volunteers:team_list"),
        _url("volunteers:team_detail", VolunteerTeam),
        _url("volunteers:project_list"),
        _url("volunteers:project_detail", ServiceProject),
        _url("volunteers:case_list"),
        _url("volunteers:case_detail", SpecialGroupCase),
        _url("volunteers:points_rule"),
        _url("council:topic_list"),
        _url("council:topic_detail", Topic),
        _url("council:company_list"),
        _url("council:company_detail", PropertyCompany),
        _url("council:proxy_list"),
        _url("council:proxy_detail", ProxyService),
        _url("portal:password_change"),
    ]


def _pages_of_grid_worker():
    return [
        _url("office:dashboard"),
        _url("grid:visit_list"),
        _url("grid:visit_create"),
        _url("grid:appeal_list"),
        _url("wishes:list"),
        _url("grid:gridcell_list"),
    ]


def _pages_of_member():
    return [
        _url("grid:member_me"),
        _url("volunteers:calendar"),
        _url("volunteers:event_public", VolunteerEvent, status=VolunteerEvent.Status.PLANNED),
        _url("volunteers:checkin"),
        _url("volunteers:my"),
        _url("wishes:claimable"),
        _url("wishes:mine"),
        _url("notices:inbox"),
        _url("volunteers:my_certificate", query=YEAR),
    ]


def _pages_of_residents():
    community = Community.objects.get()
    return [
        "/",
        _url("wishes:wall"),
        _url("wishes:new"),
        _url("wishes:track"),
        reverse("wishes:poster", args=[community.code]),
        _url("grid:appeal_new"),
        _url("grid:appeal_track"),
        _url("volunteers:calendar"),
        _url("volunteers:event_public", VolunteerEvent, status=VolunteerEvent.Status.DONE),
        _url("council:public_topics"),
        _url("council:public_topic", Topic),
        reverse("grid:member_register", args=[community.code]),
        _url("portal:login"),
        reverse("notices:stop", args=[stop_token_of(_an_sms())]),
    ]


def _an_sms():
    wish = MicroWish.objects.order_by("pk").first()
    return Notification.objects.create(
        event="wish.claimed", key=f"wish:{wish.pk}:e2e", channel="sms", to=wish.wisher_phone, community=wish.community,
        template="wish_claimed", text="您的微心愿已被认领。",
    )


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_demo_s_pages_for_each_role(browse, builtin_kind):
    for code in BUILTIN_KINDS:  # made by a migration, removed by the flush after an earlier test
        builtin_kind(code)
    call_command("seed_demo", "--force", "--password", PASSWORD, stdout=io.StringIO())
    problems = []

    def walk(actor, pages):
        for path in pages:
            try:
                actor.goto(path)
            except AssertionError as error:
                problems.append(str(error))

    users = {user.username: user for user in User.objects.filter(username__in=["staff", "grid", "member", "unit"])}
    staff = browse.login(users["staff"])
    walk(staff, _pages_of_staff())
    browse.viewport, browse.context_args = "phone", VIEWPORTS["phone"]  # members and residents: phones
    walk(browse.login(users["grid"]), _pages_of_grid_worker())
    walk(browse.login(users["member"]), _pages_of_member())
    liaison = browse.login(users["unit"])
    expect(liaison.page.locator("h1")).to_contain_text(users["unit"].unit.name)
    walk(liaison, [_url("office:feedback_unit", CoBuildingUnit, pk=users["unit"].unit_id, query=YEAR)])
    walk(browse.resident(), _pages_of_residents())
    resident = browse.resident()
    resident.page.goto("/no-such-page/")
    resident.check()
    expect(resident.page.locator("h1")).to_be_visible()
    assert not problems, f"{len(problems)} pages with problems:\n\n" + "\n\n".join(problems)
