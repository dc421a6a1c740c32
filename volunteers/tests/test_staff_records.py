"""Staff pages for teams, service projects, special-group cases, the points rule and
points adjustments, and the volunteer to-dos on the dashboard.

The permission matrix of these views is in `test_staff.py`."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grid.models import PartyMember
from portal.figures_cache import bump
from volunteers.models import (
    Participation,
    PointsEntry,
    PointsRule,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from volunteers.tests.test_staff import at, errors, form_errors, successes

S = SpecialGroupCase.Status


@pytest.fixture
def team_a(community_a, member_a):
    team = VolunteerTeam.objects.create(community=community_a, name="小红兴一队", leader=member_a)
    team.members.add(member_a)
    return team


@pytest.fixture
def project_a(community_a):
    return ServiceProject.objects.create(community=community_a, name="爱心助餐·聚爱成河", start_date=datetime.date(2023, 1, 1))


@pytest.fixture
def case_a(community_a, cell_a):
    return SpecialGroupCase.objects.create(
        community=community_a, group="elderly_alone", resident_name="王奶奶", grid_cell=cell_a, problem="灯坏了"
    )


@pytest.fixture
def past_event(make_event):
    return make_event(title="政策宣讲", starts_at=at(days=-1), hours=2)


@pytest.fixture
def attended(past_event, member_a):
    """member_a checked in at yesterday's event with 2 hours, not approved yet."""
    return Participation.objects.create(
        event=past_event, member=member_a, checked_in_at=past_event.starts_at, checked_in_by="self", hours=Decimal("2.0")
    )


@pytest.fixture
def member_a2(community_a, cell_a2):
    return PartyMember.objects.create(
        community=community_a, name="王芳", gender="female", phone="13800005555", grid_cell=cell_a2,
        registered_on=datetime.date(2023, 2, 1),
    )


# Teams -------------------------------------------------------------------------------------------


def test_staff_create_a_team(client, staff_a, community_a, member_a, member_a2, unit_a):
    client.force_login(staff_a)
    form = client.get(reverse("volunteers:team_create")).context["form"]
    assert form.fields["members"].widget.attrs["size"] == 12
    response = client.post(
        reverse("volunteers:team_create"),
        {
            "name": "小红兴二队",
            "sponsor_unit": unit_a.pk,
            "sponsor_branch": "商圈党支部",
            "leader": member_a.pk,
            "members": [member_a.pk, member_a2.pk],
            "resident_volunteers": "刘大爷\n陈阿姨",
            "is_active": "on",
        },
    )
    team = VolunteerTeam.objects.get()
    assert response["Location"] == team.get_absolute_url()
    assert team.community == community_a and team.leader == member_a
    assert set(team.members.all()) == {member_a, member_a2}


def test_team_members_must_be_of_the_community(client, staff_a, member_a, member_b, unit_b):
    client.force_login(staff_a)
    response = client.post(
        reverse("volunteers:team_create"),
        {"name": "混合队", "members": [member_a.pk, member_b.pk], "leader": member_b.pk, "sponsor_unit": unit_b.pk},
    )
    assert response.status_code == 200
    assert {"members", "leader", "sponsor_unit"} <= set(response.context["form"].errors)
    assert not VolunteerTeam.objects.exists()


def test_team_name_is_unique_in_the_community(client, staff_a, team_a):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:team_create"), {"name": team_a.name})
    assert response.status_code == 200
    assert any("already exists" in error for error in form_errors(response, "__all__"))
    assert VolunteerTeam.objects.count() == 1


def test_edit_a_team(client, staff_a, team_a, member_a2):
    client.force_login(staff_a)
    response = client.post(
        reverse("volunteers:team_update", args=[team_a.pk]), {"name": "小红兴一队", "members": [member_a2.pk]}
    )
    assert response.status_code == 302
    team_a.refresh_from_db()
    assert list(team_a.members.all()) == [member_a2] and not team_a.is_active


def test_team_detail_shows_members_events_and_hours(client, staff_a, team_a, past_event, attended, make_event):
    past_event.team = team_a
    past_event.status = "done"
    past_event.residents_served = 12
    past_event.save()
    make_event(title="下周的活动", team=team_a)
    make_event(title="取消了", team=team_a, status="cancelled")
    client.force_login(staff_a)
    client.post(reverse("volunteers:roster", args=[past_event.pk]), {"action": "approve", "scope": "all"})
    response = client.get(reverse("volunteers:team_detail", args=[team_a.pk]))
    context = response.context
    assert context["event_total"] == 2 and context["events_held"] == 1
    assert context["attendances"] == 1 and context["hours_approved"] == Decimal("2.0")
    assert context["residents_served"] == 12
    assert [m.team_hours for m in context["members"]] == [Decimal("2.0")]
    page = response.content.decode()
    assert "下周的活动" in page and "张建国" in page


def test_team_list_counts(client, staff_a, team_a, make_event, member_a2):
    team_a.members.add(member_a2)
    make_event(team=team_a)
    make_event(team=team_a)
    client.force_login(staff_a)
    response = client.get(reverse("volunteers:team_list"), {"q": "小红兴"})
    [team] = response.context["object_list"]
    assert (team.member_count, team.event_count) == (2, 2)
    assert client.get(reverse("volunteers:team_list"), {"is_active": "false"}).context["object_list"].count() == 0


# Projects ------------------------------------------------------------------------------------------


def test_staff_create_and_edit_a_project(client, staff_a, community_a, team_a):
    client.force_login(staff_a)
    url = reverse("volunteers:project_create")
    data = {"name": "情系残疾人·关爱暖人心", "lead_team": team_a.pk, "start_date": "2023-03-01", "end_date": "2023-12-31"}
    response = client.post(url, data)
    project = ServiceProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.community == community_a and project.lead_team == team_a
    response = client.post(reverse("volunteers:project_update", args=[project.pk]), {**data, "description": "每月一次"})
    project.refresh_from_db()
    assert response.status_code == 302 and project.description == "每月一次"


def test_a_project_cannot_end_before_it_starts(client, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("volunteers:project_create"), {"name": "项目", "start_date": "2023-03-01", "end_date": "2023-02-01"}
    )
    assert response.status_code == 200
    assert form_errors(response, "end_date") == ["The project cannot end before it starts."]


def test_project_list_and_detail_count_events(client, staff_a, project_a, make_event):
    make_event(project=project_a)
    make_event(project=project_a, status="done", starts_at=at(days=-3))
    make_event(project=project_a, status="cancelled")
    client.force_login(staff_a)
    [project] = client.get(reverse("volunteers:project_list")).context["object_list"]
    assert (project.event_count, project.events_held) == (2, 1)
    context = client.get(reverse("volunteers:project_detail", args=[project_a.pk])).context
    assert context["event_total"] == 2 and context["events_held"] == 1 and len(context["events"]) == 3


@pytest.mark.parametrize("page", ["project", "team"])
def test_project_and_team_detail_queries_do_not_grow_with_their_events(
    client, staff_a, community_a, project_a, team_a, make_event, django_assert_max_num_queries, page
):
    """Each event of the table names its team and project: read with the events,
    not one query per row (seen at city scale: 25 queries on a project's page)."""
    url = reverse(f"volunteers:{page}_detail", args=[(project_a if page == "project" else team_a).pk])
    client.force_login(staff_a)
    make_event(project=project_a, team=team_a)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(6):
        other = VolunteerTeam.objects.create(community=community_a, name=f"第{number}队")
        other_project = ServiceProject.objects.create(community=community_a, name=f"项目{number}", start_date=datetime.date(2023, 1, 1))
        make_event(project=project_a if page == "project" else other_project, team=team_a if page == "team" else other)
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


# Special-group cases -----------------------------------------------------------------------------------


def case_data(**overrides):
    data = {"group": "disabled", "resident_name": "刘大爷", "resident_phone": "138 0000 2222", "problem": "轮椅坏了", "opened_on": "2023-05-01"}
    data.update(overrides)
    return data


def test_staff_create_a_case_linked_to_an_event(client, staff_a, community_a, cell_a2, past_event, member_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("volunteers:case_create"), case_data(grid_cell=cell_a2.pk, event=past_event.pk, taken_by_member=member_a.pk)
    )
    case = SpecialGroupCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert case.community == community_a and case.event == past_event and case.status == S.OPEN
    assert case.resident_phone == "13800002222"


def test_case_form_offers_the_last_years_events_and_keeps_a_linked_old_one(client, staff_a, case_a, past_event, make_event):
    old = make_event(title="两年前的活动", starts_at=at(days=-730), status=VolunteerEvent.Status.DONE)
    client.force_login(staff_a)
    offered = set(client.get(reverse("volunteers:case_create")).context["form"].fields["event"].queryset)
    assert past_event in offered and old not in offered
    case_a.event = old
    case_a.save()
    offered = set(client.get(reverse("volunteers:case_update", args=[case_a.pk])).context["form"].fields["event"].queryset)
    assert {past_event, old} <= offered


def test_case_links_must_be_of_the_community(client, staff_a, make_event, community_b, member_b):
    other_event = make_event(community=community_b)
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:case_create"), case_data(event=other_event.pk, taken_by_member=member_b.pk))
    assert response.status_code == 200
    assert {"event", "taken_by_member"} <= set(response.context["form"].errors)


def test_grid_worker_creates_cases_in_their_cells_only(client, grid_worker_a, cell_a, cell_a2):
    client.force_login(grid_worker_a)
    url = reverse("volunteers:case_create")
    assert list(client.get(url).context["form"].fields["grid_cell"].queryset) == [cell_a]
    response = client.post(url, case_data())
    assert "grid_cell" in response.context["form"].errors  # required for them
    response = client.post(url, case_data(grid_cell=cell_a2.pk))
    assert "grid_cell" in response.context["form"].errors
    response = client.post(url, case_data(grid_cell=cell_a.pk))
    assert response.status_code == 302
    assert SpecialGroupCase.objects.get().grid_cell == cell_a


def test_grid_worker_sees_and_updates_only_the_cases_assigned_to_them(client, grid_worker_a, case_a, community_a, cell_a2):
    other = SpecialGroupCase.objects.create(community=community_a, group="child", resident_name="小明", grid_cell=cell_a2, problem="缺书包")
    # In their own cell, but not assigned to them: sensitive data of someone else's case.
    unassigned = SpecialGroupCase.objects.create(community=community_a, group="disabled", resident_name="李伯", grid_cell=case_a.grid_cell, problem="轮椅坏了")
    SpecialGroupCase.objects.filter(pk=case_a.pk).update(assigned_to=grid_worker_a)
    client.force_login(grid_worker_a)
    listing = client.get(reverse("volunteers:case_list"))
    assert list(listing.context["object_list"]) == [case_a]
    for case in (other, unassigned):
        assert client.get(reverse("volunteers:case_detail", args=[case.pk])).status_code == 403
        assert client.get(reverse("volunteers:case_update", args=[case.pk])).status_code == 403
        assert client.post(reverse("volunteers:case_status", args=[case.pk]), {"status": "in_progress"}).status_code == 403
    response = client.post(reverse("volunteers:case_status", args=[case_a.pk]), {"status": "in_progress"})
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == S.IN_PROGRESS and case_a.started_on == timezone.localdate()


def test_case_list_filters(client, staff_a, case_a, community_a, cell_a2):
    SpecialGroupCase.objects.create(
        community=community_a, group="child", resident_name="小明", grid_cell=cell_a2, problem="缺书包", status="solved",
        solved_on=timezone.localdate(), action_taken="送了书包",
    )
    client.force_login(staff_a)
    url = reverse("volunteers:case_list")

    def problems(**params):
        return {case.problem for case in client.get(url, params).context["object_list"]}

    assert problems() == {"灯坏了", "缺书包"}
    assert problems(group="child") == {"缺书包"}
    assert problems(status="open") == {"灯坏了"}
    assert problems(grid_cell=cell_a2.pk) == {"缺书包"}
    assert problems(q="王奶奶") == {"灯坏了"}
    assert problems(q="书包") == {"缺书包"}


def test_solving_a_case_requires_what_was_done(client, staff_a, case_a):
    client.force_login(staff_a)
    url = reverse("volunteers:case_status", args=[case_a.pk])
    response = client.post(url, {"status": "solved", "action_taken": "  "})
    assert errors(response) == ["Please say what was done before closing the case."]
    case_a.refresh_from_db()
    assert case_a.status == S.OPEN and case_a.solved_on is None
    response = client.post(url, {"status": "solved", "action_taken": "换了新灯泡"})
    assert successes(response) == ["The case is now “Solved”."]
    case_a.refresh_from_db()
    assert case_a.status == S.SOLVED and case_a.solved_on == timezone.localdate() and case_a.action_taken == "换了新灯泡"
    response = client.post(url, {"status": "closed"})
    assert errors(response)
    # Reopened: no longer solved.
    client.post(url, {"status": "in_progress"})
    case_a.refresh_from_db()
    assert case_a.status == S.IN_PROGRESS and case_a.solved_on is None


def test_edit_a_case(client, staff_a, case_a):
    client.force_login(staff_a)
    url = reverse("volunteers:case_update", args=[case_a.pk])
    response = client.post(url, case_data(problem="楼道灯坏了", opened_on=str(timezone.localdate() + datetime.timedelta(days=2))))
    assert form_errors(response, "opened_on") == ["The date cannot be in the future."]
    response = client.post(url, case_data(problem="楼道灯坏了"))
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.problem == "楼道灯坏了" and case_a.status == S.OPEN


# Points --------------------------------------------------------------------------------------------------


def test_staff_set_the_points_rule(client, staff_a, community_a, attended, past_event):
    client.force_login(staff_a)
    url = reverse("volunteers:points_rule")
    assert client.get(url).status_code == 200
    assert not PointsRule.objects.exists()  # nothing is written by looking
    response = client.post(url, {"points_per_hour": "5", "points_per_wish": "30"})
    assert successes(response)
    rule = PointsRule.objects.get()
    assert rule.community == community_a and rule.points_per_hour == 5 and rule.points_per_wish == 30
    response = client.post(url, {"points_per_hour": "-1", "points_per_wish": "30"})
    assert response.status_code == 200 and "points_per_hour" in response.context["form"].errors
    # Approvals use the rule: 2 hours × 5 points.
    client.post(reverse("volunteers:roster", args=[past_event.pk]), {"action": "approve", "scope": "all"})
    assert PointsEntry.objects.get().points == Decimal("10.0")


def test_area_admin_chooses_the_community_for_the_points_rule(client, area_admin, community_b):
    client.force_login(area_admin)
    url = reverse("volunteers:points_rule")
    response = client.get(url)
    assert response.context["form"] is None and response.context["chooser"] is not None
    response = client.post(f"{url}?community={community_b.pk}", {"points_per_hour": "8", "points_per_wish": "15"})
    assert response.status_code == 302
    assert PointsRule.objects.get().community == community_b


def test_staff_adjust_points(client, staff_a, member_a):
    client.force_login(staff_a)
    url = reverse("volunteers:points_adjust")
    response = client.post(url, {"member": member_a.pk, "points": "-5", "reason": "重复登记的时长"})
    assert response.status_code == 302
    entry = PointsEntry.objects.get()
    assert entry.kind == PointsEntry.Kind.ADJUSTMENT and entry.points == Decimal(-5) and entry.created_by == staff_a
    assert "重复登记的时长" in client.get(url).content.decode()


def test_area_admin_adjusts_points_in_a_chosen_community(client, area_admin, member_a, member_b, community_b):
    client.force_login(area_admin)
    url = reverse("volunteers:points_adjust")
    assert client.get(url).context["form"] is None
    response = client.post(f"{url}?community={community_b.pk}", {"member": member_a.pk, "points": "5", "reason": "奖励"})
    assert "member" in response.context["form"].errors  # member_a lives in community A
    client.post(f"{url}?community={community_b.pk}", {"member": member_b.pk, "points": "5", "reason": "奖励"})
    entry = PointsEntry.objects.get()
    assert entry.member == member_b and entry.community == community_b


@pytest.mark.parametrize(
    "data,field",
    [
        ({"points": "10", "reason": ""}, "reason"),
        ({"points": "10", "reason": "   "}, "reason"),
        ({"points": "0", "reason": "无"}, "points"),
        ({"points": "ten", "reason": "无"}, "points"),
    ],
)
def test_bad_adjustments_are_refused(client, staff_a, member_a, data, field):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:points_adjust"), {"member": member_a.pk, **data})
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not PointsEntry.objects.exists()


def test_adjustment_for_a_member_of_another_community_is_refused(client, staff_a, member_b):
    client.force_login(staff_a)
    response = client.post(reverse("volunteers:points_adjust"), {"member": member_b.pk, "points": "5", "reason": "奖励"})
    assert "member" in response.context["form"].errors
    assert not PointsEntry.objects.exists()


# The dashboard -------------------------------------------------------------------------------------------


def test_dashboard_shows_the_volunteer_to_dos(client, staff_a, attended, make_event, community_b):
    make_event(title="本周活动", starts_at=at(days=0, hour=12))
    make_event(title="别的社区", community=community_b, starts_at=at(days=0, hour=12))
    today = timezone.localdate()
    yesterday_is_this_week = today.weekday() > 0  # `attended` is at yesterday's event
    client.force_login(staff_a)
    response = client.get(reverse("office:dashboard"))
    cards = {card["label"]: card for card in response.context["volunteer_cards"]}
    assert cards["Hours awaiting approval"]["value"] == 1
    assert cards["Events this week"]["value"] == 1 + yesterday_is_this_week
    assert cards["Hours awaiting approval"]["href"] == reverse("volunteers:event_list") + "?pending_hours=yes"
    assert "Wishes awaiting review" in response.content.decode()  # the existing cards stay
    Participation.objects.update(hours_approved_at=timezone.now())
    bump()  # the counts are cached until a change: approving in the portal (a POST) renews them the same way
    response = client.get(reverse("office:dashboard"))
    assert {c["label"]: c["value"] for c in response.context["volunteer_cards"]}["Hours awaiting approval"] == 0


def test_grid_worker_dashboard_has_no_volunteer_cards(client, grid_worker_a):
    client.force_login(grid_worker_a)
    assert "volunteer_cards" not in client.get(reverse("office:dashboard")).context
