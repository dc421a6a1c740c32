"""`manage.py seed_demo` builds the story's community: 26 units, 268 members, 100%,
micro-wishes fulfilled for 76 residents in 2023."""

import datetime
import io
import itertools
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from council.models import PropertyCompany, ProxyService, Session, Topic
from council.selectors import council_figures
from demo import demo_data
from demo.management.commands import seed_demo as seed_demo_command
from demo.management.commands.seed_demo import (
    STEPS,
    DemoContext,
    seed_grid_work,
    seed_volunteers,
    seed_wishes,
)
from grid.models import (
    Appeal,
    AppealEvent,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    StationUpdate,
    Tag,
    VisitComment,
    VisitLog,
)
from grid.models.work import CODE_ALPHABET as APPEAL_ALPHABET
from grid.selectors_figures import grid_work_figures
from portal.models import Community, User
from portal.privacy import resident_key
from portal.validators import mobile_validator, phone_validator
from volunteers.models import (
    Participation,
    PointsEntry,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from volunteers import tallies
from volunteers.selectors import events_by, member_service, volunteer_figures
from wishes.models import CODE_ALPHABET, CODE_LENGTH, MicroWish, WishEvent
from wishes.selectors import wish_figures

PW = "Demo-Pass-2023"
END_2023 = datetime.date(2023, 12, 31)
ROLES = {
    "admin": User.Role.AREA_ADMIN,
    "staff": User.Role.STAFF,
    "grid": User.Role.GRID_WORKER,
    "member": User.Role.MEMBER,
    "unit": User.Role.LIAISON,
}


@pytest.fixture(autouse=True)
def demo_settings(settings):
    settings.DEBUG = True
    return settings


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        "communities": Community.objects.count(),
        "cells": GridCell.objects.count(),
        "buildings": Building.objects.count(),
        "units": CoBuildingUnit.objects.count(),
        "members": PartyMember.objects.count(),
        "users": User.objects.count(),
        "tags": Tag.objects.count(),
        "skills": PartyMember.skills.through.objects.count(),
        "resource_tags": CoBuildingUnit.resource_tags.through.objects.count(),
        "wishes": MicroWish.objects.count(),
        "wish_events": WishEvent.objects.count(),
        **volunteer_counts(),
    }


def volunteer_counts():
    return {
        "teams": VolunteerTeam.objects.count(),
        "team_members": VolunteerTeam.members.through.objects.count(),
        "projects": ServiceProject.objects.count(),
        "events": VolunteerEvent.objects.count(),
        "participations": Participation.objects.count(),
        "points_entries": PointsEntry.objects.count(),
        "cases": SpecialGroupCase.objects.count(),
    }


def snapshot():
    return list(
        PartyMember.objects.order_by("phone").values_list(
            "phone", "name", "gender", "employer_unit__name", "grid_cell__number", "building__name",
            "joined_party_year", "source", "registered_on", "reported_on", "user__username",
        )
    )


def wish_snapshot():
    wishes = list(MicroWish.objects.order_by("code").values_list())
    events = list(WishEvent.objects.order_by("wish__code", "created_at", "pk").values_list())
    return wishes, events


@pytest.mark.django_db
def test_story_figures_for_2023():
    output = seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    assert (community.name, community.town, community.county) == ("沙河街社区", "沙河镇", "临泽县")

    units = CoBuildingUnit.objects.filter(community=community)
    assert units.count() == 26
    assert units.filter(is_active=True).count() == 26
    assert units.co_building_as_of(END_2023).count() == 26
    assert len(set(units.values_list("kind", flat=True))) == len(CoBuildingUnit.Kind)
    for unit in units:
        assert datetime.date(2021, 1, 1) <= unit.agreement_signed_on <= datetime.date(2023, 6, 30)
        assert unit.agreement_signed_on < unit.reported_on
        assert unit.members.count() >= 3
        assert unit.resource_tags.exists()
        unit.full_clean()

    members = PartyMember.objects.filter(community=community)
    assert members.count() == 268
    assert members.reporting_summary(END_2023) == {"registered": 268, "reported": 268, "rate": 1.0}
    assert members.reporting_summary(datetime.date(2022, 12, 31))["registered"] == 0
    assert not members.filter(employer_unit__isnull=True).exists()
    assert not members.filter(reported_on__gt=datetime.date(2023, 12, 27)).exists()
    assert not members.exclude(reported_confirmed_by__username="staff").exists()
    assert set(members.values_list("gender", flat=True)) == {"male", "female"}
    assert members.filter(skills__isnull=False).distinct().count() > 150

    assert GridCell.objects.filter(community=community).count() == 6
    for cell in GridCell.objects.filter(community=community):
        assert 3 <= cell.buildings.count() <= 5
        assert 150 <= cell.households <= 300
        assert cell.members.exists()
    for member in members.select_related("building"):
        assert member.building.grid_cell_id == member.grid_cell_id

    assert "registered 268, reported 268, rate 100%" in output
    assert "http://127.0.0.1:8000/" in output


@pytest.mark.django_db
def test_running_twice_gives_the_same_data():
    seed("--password", PW)
    first_counts, first_snapshot, first_wishes = counts(), snapshot(), wish_snapshot()
    seed("--password", PW)
    assert counts() == first_counts
    assert snapshot() == first_snapshot
    assert wish_snapshot() == first_wishes  # the same rows, ids included
    assert first_counts["members"] == 268 and first_counts["units"] == 26 and first_counts["users"] == 5
    assert first_counts["wishes"] > 100 and first_counts["wish_events"] > 400


def test_demo_data_are_deterministic():
    assert demo_data.member_specs() == demo_data.member_specs()
    assert demo_data.unit_specs() == demo_data.unit_specs()
    assert demo_data.wisher_specs() == demo_data.wisher_specs()
    assert demo_data.wish_specs() == demo_data.wish_specs()
    assert demo_data.team_specs() == demo_data.team_specs()
    assert demo_data.volunteer_event_specs() == demo_data.volunteer_event_specs()
    assert demo_data.case_specs() == demo_data.case_specs()
    today = datetime.date(2024, 6, 1)
    assert demo_data.planned_event_specs(today) == demo_data.planned_event_specs(today)
    assert len(demo_data.UNITS) == demo_data.UNIT_COUNT == 26


@pytest.mark.django_db
def test_demo_users_have_their_roles_and_can_log_in(client):
    seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    for username, role in ROLES.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.full_name
        assert client.login(username=username, password=PW), username
        client.logout()

    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.community is None
    staff = User.objects.get(username="staff")
    assert staff.community == community and not staff.is_staff and not staff.is_superuser

    grid = User.objects.get(username="grid")
    assert grid.community == community
    assert GridCell.objects.get(community=community, number=1).leader == grid
    assert set(grid.grid_cells.values_list("number", flat=True)) == {1, 2}

    member = User.objects.get(username="member")
    assert member.community == community
    assert member.party_member.community == community
    assert member.full_name == member.party_member.name

    liaison = User.objects.get(username="unit")
    assert liaison.community == community
    assert liaison.unit.name == "沙河街商圈经济联合党支部"
    assert liaison.full_name == liaison.unit.liaison_name


@pytest.mark.django_db
def test_password_is_reset_on_every_run(client):
    seed("--password", PW)
    seed("--password", "Another-Pass-2024")
    assert client.login(username="staff", password="Another-Pass-2024")
    client.logout()
    assert not client.login(username="staff", password=PW)


@pytest.mark.django_db
def test_without_password_a_random_one_is_printed(client):
    output = seed()
    password = re.search(r"password for all five: (\S+)\)", output).group(1)
    assert len(password) >= 12
    for username in ROLES:
        assert client.login(username=username, password=password), username
        client.logout()
    assert re.search(r"password for all five: (\S+)\)", seed()).group(1) != password


@pytest.mark.django_db
def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        seed("--password", PW)
    assert not Community.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_force_runs_when_debug_is_off(settings):
    settings.DEBUG = False
    seed("--password", PW, "--force")
    assert PartyMember.objects.count() == 268
    assert MicroWish.objects.exists()


@pytest.mark.django_db
def test_if_empty_skips_when_a_community_exists(community_b):
    output = seed("--if-empty", "--password", PW)
    assert "Database already has data; demo not seeded." in output
    assert list(Community.objects.all()) == [community_b]
    assert not User.objects.exists()
    assert not PartyMember.objects.exists()
    assert not MicroWish.objects.exists()


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database():
    seed("--if-empty", "--password", PW)
    assert PartyMember.objects.count() == 268


@pytest.mark.django_db
def test_phones_are_unique_synthetic_and_valid():
    seed("--password", PW)
    members = list(PartyMember.objects.all())
    phones = [m.phone for m in members]
    assert len(set(phones)) == len(phones) == 268
    assert len({(m.name, m.phone) for m in members}) == 268
    assert len({m.name for m in members}) == 268
    for member in members:
        mobile_validator(member.phone)
        assert member.phone.startswith("1990000")
    liaison_phones = list(CoBuildingUnit.objects.values_list("liaison_phone", flat=True))
    assert len(set(liaison_phones)) == 26
    for phone in liaison_phones:
        phone_validator(phone)
    assert not set(liaison_phones) & set(phones)
    for member in members:
        member.full_clean()


# --- Micro-wishes ---------------------------------------------------------------

S = MicroWish.Status
START_2023 = datetime.date(2023, 1, 1)
LIFE = [S.SUBMITTED, S.OPEN, S.CLAIMED, S.DELIVERED, S.FULFILLED]


def demo_wishes():
    return MicroWish.objects.filter(community__code="shahejie")


@pytest.mark.django_db
def test_wish_figures_give_the_story_76_wishers_in_2023():
    output = seed("--password", PW)
    figures = wish_figures(demo_wishes(), START_2023, END_2023)
    assert figures["wishers_fulfilled"] == 76
    assert figures["wishes_fulfilled"] > 76  # some wishers had two wishes come true
    assert figures["wishes_submitted"] >= figures["wishes_published"] >= figures["wishes_claimed"] > 76
    line = (
        f"Micro-wishes 2023: submitted {figures['wishes_submitted']}, "
        f"fulfilled {figures['wishes_fulfilled']}, wishers fulfilled 76"
    )
    assert line in output
    # All of them by the day the story was published.
    assert wish_figures(demo_wishes(), START_2023, demo_data.STORY_DAY)["wishers_fulfilled"] == 76

    # The years around 2023 have wishes too, and some cross the new year.
    for year in (2022, 2024):
        other = wish_figures(demo_wishes(), datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        assert other["wishers_fulfilled"] > 0
    fulfilled = demo_wishes().filter(status=S.FULFILLED)
    assert fulfilled.filter(submitted_at__year=2022, fulfilled_at__year=2023).exists()
    assert fulfilled.filter(submitted_at__year=2023, fulfilled_at__year=2024).exists()


@pytest.mark.django_db
def test_demo_wishes_in_2023_have_every_status():
    seed("--password", PW)
    in_2023 = demo_wishes().filter(submitted_at__date__range=(START_2023, END_2023))
    for status in S:
        assert in_2023.filter(status=status).exists(), status
    for wish in in_2023.filter(status=S.REJECTED):
        assert wish.reject_reason and wish.rejected_at and wish.published_at is None
    assert demo_wishes().filter(status=S.OPEN, submitted_at__year=2024).exists()
    assert demo_wishes().exclude(thank_you_note="").exists()

    held = demo_wishes().filter(status__in=MicroWish.HELD_STATUSES)
    by_members = held.filter(claimed_by_member__isnull=False).count()
    by_units = held.filter(claimed_by_unit__isnull=False).count()
    assert by_members + by_units == held.count()
    assert by_members > 3 * by_units > 0
    # Nobody claims before reporting in to the community.
    for wish in held.select_related("claimed_by_member", "claimed_by_unit"):
        reported_on = (wish.claimed_by_member or wish.claimed_by_unit).reported_on
        assert reported_on <= wish.claimed_at.date()

    # The demo logins hold wishes: done ones and one still in hand.
    for username in ("member", "unit"):
        user = User.objects.get(username=username)
        mine = demo_wishes().held_by(user)
        assert mine.filter(status=S.FULFILLED).exists(), username
        assert mine.filter(status__in=[S.CLAIMED, S.DELIVERED]).exists(), username


@pytest.mark.django_db
def test_demo_wishes_pass_validation():
    seed("--password", PW)
    wishes = list(demo_wishes().select_related("grid_cell", "building"))
    for wish in wishes[::5] + [demo_wishes().filter(status=status).first() for status in S]:
        wish.full_clean()
    for wish in wishes:
        assert wish.building.grid_cell_id == wish.grid_cell_id
        assert wish.code.startswith(demo_data.WISH_CODE_PREFIX) and len(wish.code) == CODE_LENGTH
        assert set(wish.code) <= set(CODE_ALPHABET)
        assert (wish.consent_at is None) == wish.is_proxy
        if wish.status in (S.SUBMITTED, S.OPEN, S.REJECTED):
            assert wish.holder is None and wish.claimed_at is None
        else:
            assert wish.holder is not None and wish.claimed_at is not None
    # Wishers: synthetic phones, apart from members' and liaisons'.
    phones = {wish.wisher_phone for wish in wishes}
    for phone in phones:
        mobile_validator(phone)
        assert phone.startswith("1990001")
    assert not phones & set(PartyMember.objects.values_list("phone", flat=True))
    assert not phones & set(CoBuildingUnit.objects.values_list("liaison_phone", flat=True))
    assert len({(w.wisher_phone, w.wisher_name) for w in wishes}) == len(phones)  # one name per phone
    assert {w.grid_cell.number for w in wishes} == {1, 2, 3, 4, 5, 6}


@pytest.mark.django_db
def test_each_fulfilled_wish_has_its_whole_history():
    seed("--password", PW)
    staff = User.objects.get(username="staff")
    fulfilled = demo_wishes().filter(status=S.FULFILLED).prefetch_related("events")
    assert fulfilled.count() > 85
    for wish in fulfilled:
        assert wish.submitted_at < wish.published_at <= wish.claimed_at <= wish.delivered_at <= wish.fulfilled_at
        events = list(wish.events.all())
        assert [e.to_status for e in events] == LIFE
        assert [e.from_status for e in events] == ["", *LIFE[:-1]]
        times = [e.created_at for e in events]
        assert times == sorted(times)
        assert times == [wish.submitted_at, wish.published_at, wish.claimed_at, wish.delivered_at, wish.fulfilled_at]
        submit, approve, claim, deliver, confirm = events
        assert submit.by_resident == (wish.entered_by_id is None)
        assert submit.actor_id == wish.entered_by_id
        assert approve.actor == staff and not approve.by_resident
        assert claim.actor_id == deliver.actor_id
        if claim.actor_id is None:
            assert "线下认领" in claim.note  # recorded by the office for a member without a login
        assert deliver.note == wish.delivery_note
        assert confirm.by_resident and confirm.actor is None and confirm.note == wish.thank_you_note
        for local in times:
            assert 9 <= local.astimezone(demo_data.TZ).hour < 18  # far from midnight


@pytest.mark.django_db
def test_other_wishes_have_their_history():
    seed("--password", PW)
    staff = User.objects.get(username="staff")
    expected = {
        S.SUBMITTED: [S.SUBMITTED],
        S.REJECTED: [S.SUBMITTED, S.REJECTED],
        S.CLAIMED: LIFE[:3],
        S.DELIVERED: LIFE[:4],
    }
    for wish in demo_wishes().exclude(status=S.FULFILLED).prefetch_related("events"):
        events = list(wish.events.all())
        steps = [e.to_status for e in events]
        if wish.status == S.OPEN:
            # Published, possibly claimed and given back.
            assert steps in (LIFE[:2], [*LIFE[:3], S.OPEN]), steps
        else:
            assert steps == expected[wish.status]
        assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        if wish.status == S.REJECTED:
            assert events[1].actor == staff and events[1].note == wish.reject_reason
    assert demo_wishes().filter(status=S.OPEN, events__from_status=S.CLAIMED, events__to_status=S.OPEN).count() == 1


@pytest.mark.django_db
def test_a_second_run_restores_demo_wishes_and_leaves_others_alone(community_b):
    seed("--password", PW)
    wish = demo_wishes().filter(status=S.FULFILLED).first()
    restored = (wish.pk, wish.title, wish.thank_you_note)
    MicroWish.objects.filter(pk=wish.pk).update(title="改过的标题", thank_you_note="改过")
    WishEvent.objects.filter(wish=wish, to_status=S.FULFILLED).delete()
    community = Community.objects.get(code="shahejie")

    def other_wish(community, **fields):
        return MicroWish.objects.create(
            community=community, category="daily", title="一个心愿", wisher_name="某某", wisher_phone="13700000000",
            wisher_key=resident_key("13700000000"), **fields
        )

    own = other_wish(community)  # a resident's real wish
    elsewhere = other_wish(community_b, code="DEMW999999")
    stale = other_wish(community, code="DEMW999999".replace("9", "8"))  # from an older demo

    seed("--password", PW)
    wish.refresh_from_db()
    assert (wish.pk, wish.title, wish.thank_you_note) == restored
    assert list(wish.events.values_list("to_status", flat=True)) == LIFE
    assert MicroWish.objects.filter(pk__in=[own.pk, elsewhere.pk]).count() == 2
    assert not MicroWish.objects.filter(pk=stale.pk).exists()
    assert wish_figures(demo_wishes(), START_2023, END_2023)["wishers_fulfilled"] == 76


@pytest.mark.django_db
def test_seed_wishes_runs_in_a_few_queries(django_assert_max_num_queries):
    ctx = DemoContext(password=PW)
    for step in STEPS:
        if step is not seed_wishes:
            step(ctx)
    with django_assert_max_num_queries(30):
        seed_wishes(ctx)  # bulk: not one query per wish
    with django_assert_max_num_queries(30):
        seed_wishes(ctx)



# --- Volunteer service ------------------------------------------------------------


def demo_events():
    return VolunteerEvent.objects.filter(community__code="shahejie")


def figures_2023(community):
    return volunteer_figures(START_2023, END_2023, community_ids=[community.pk])


def volunteer_snapshot():
    """Every volunteer row the demo makes, ids included."""
    return {
        "teams": list(VolunteerTeam.objects.order_by("pk").values_list()),
        "team_members": list(VolunteerTeam.members.through.objects.order_by("pk").values_list()),
        "projects": list(ServiceProject.objects.order_by("pk").values_list()),
        "events": list(VolunteerEvent.objects.order_by("pk").values_list()),
        "participations": list(Participation.objects.order_by("pk").values_list()),
        "points": list(PointsEntry.objects.order_by("pk").values_list()),
        "cases": list(SpecialGroupCase.objects.order_by("pk").values_list()),
    }


@pytest.mark.django_db
def test_volunteer_figures_give_the_story_for_2023():
    output = seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    figures = figures_2023(community)
    assert figures["volunteer_events"] == 66
    assert figures["special_services"] == 23
    assert figures["special_group_cases_resolved"] == 46
    assert figures["volunteer_teams"] == 4
    assert figures["attendances"] > 66 * 5
    assert figures["volunteer_hours"] > 0 and figures["residents_served"] > 0
    assert tallies.stale() == []  # the bulk-written participations recounted into the events' tallies
    line = (
        "Volunteer service 2023: events held 66 (special services 23), cases solved 46, teams 4, "
        f"hours approved {figures['volunteer_hours']}"
    )
    assert line in output
    # All of it by the day the story was published.
    assert volunteer_figures(START_2023, demo_data.STORY_DAY, community_ids=[community.pk])["volunteer_events"] == 66

    # The special services are haircuts, free clinics and performances.
    special = demo_events().held().filter(starts_at__year=2023, kind__is_special_service=True)
    assert set(special.values_list("kind__code", flat=True)) == {"haircut", "clinic", "performance"}
    by_kind = {row["kind"]: row["count"] for row in events_by(START_2023, END_2023, "kind", community_ids=[community.pk])}
    assert sum(by_kind.values()) == 66 and len(by_kind) >= 10

    # The years around 2023 have events and cases too; 2023 has cancelled ones.
    for year in (2022, 2024):
        other = volunteer_figures(datetime.date(year, 1, 1), datetime.date(year, 12, 31), community_ids=[community.pk])
        assert other["volunteer_events"] > 0 and other["special_group_cases_resolved"] > 0
    assert demo_events().filter(status=VolunteerEvent.Status.CANCELLED, starts_at__year=2023).exists()


@pytest.mark.django_db
def test_demo_teams_and_projects():
    seed("--password", PW)
    teams = VolunteerTeam.objects.filter(community__code="shahejie")
    assert teams.count() == 4
    for team in teams.select_related("sponsor_unit", "leader"):
        assert team.name.startswith("小红兴·")
        assert team.is_active
        assert team.sponsor_unit.name == demo_data.LIAISON_UNIT
        assert team.sponsor_branch == "沙河街商圈经济联合党支部"
        assert team.leader.employer_unit_id == team.sponsor_unit_id
        assert 8 <= team.members.count() <= 15
        assert team.members.filter(pk=team.leader_id).exists()
        assert team.events.held().exists()
    names = {"爱心助餐·聚爱成河", "情系困难妇女·真情送温暖", "情系残疾人·关爱暖人心"}
    projects = ServiceProject.objects.filter(community__code="shahejie")
    assert set(projects.values_list("name", flat=True)) == names
    for project in projects:
        assert project.start_date.year in (2022, 2023)
        assert project.lead_team and project.lead_unit
        assert project.events.held().filter(starts_at__year=2023).exists()
        for event in project.events.all():
            assert event.starts_at.date() >= project.start_date


@pytest.mark.django_db
def test_demo_events_in_2023_look_real():
    seed("--password", PW)
    held = demo_events().held().filter(starts_at__year=2023).select_related("kind", "grid_cell").prefetch_related("participations")
    days = []
    for event in held:
        starts = timezone.localtime(event.starts_at)
        days.append(starts.date())
        assert datetime.date(2023, 1, 5) <= starts.date() <= datetime.date(2023, 12, 26)
        assert datetime.time(8, 30) <= starts.time() <= datetime.time(16, 0)
        assert 1.5 <= event.duration_hours <= 3
        assert event.place and event.grid_cell and event.summary and event.description
        assert event.residents_served > 0
        assert set(event.special_groups) <= {"elderly_alone", "disabled", "woman", "child", "low_income", "other"}
        assert event.team_id or event.unit_id
        participations = list(event.participations.all())
        attended = [p for p in participations if p.checked_in_at]
        assert 5 <= len(attended) <= len(participations) <= 20
        assert event.capacity is None or len(participations) <= event.capacity
        for p in participations:
            assert p.signed_up_at < event.starts_at and p.withdrawn_at is None
            if p.checked_in_at:
                opens, closes = event.checkin_window()
                assert opens <= p.checked_in_at <= closes
                assert p.hours == Decimal(str(event.duration_hours))
            else:
                assert p.hours is None and p.hours_approved_at is None
    assert min(days) == datetime.date(2023, 1, 5) and max(days) == datetime.date(2023, 12, 26)
    assert len(set(days)) == len(days) == 66
    for event in held[::7]:
        event.full_clean()


@pytest.mark.django_db
def test_approved_hours_have_one_points_entry_each():
    seed("--password", PW)
    staff = User.objects.get(username="staff")
    participations = Participation.objects.filter(event__community__code="shahejie")
    approved = participations.approved()
    assert approved.count() > 0.9 * participations.attended().count()
    assert not approved.exclude(hours_approved_by=staff).exists()
    assert participations.attended().filter(hours_approved_at__isnull=True).exists()  # some await approval
    entries = PointsEntry.objects.filter(kind=PointsEntry.Kind.EVENT)
    assert entries.count() == approved.count()
    for p in approved.select_related("points_entry", "event"):
        assert p.points_entry.points == p.hours * 10
        assert p.points_entry.member_id == p.member_id
        assert p.points_entry.created_at == p.hours_approved_at > p.event.ends_at
    assert not entries.filter(participation__hours_approved_at__isnull=True).exists()

    # Points for the demo wishes fulfilled by members (20 each), and none for units' wishes.
    fulfilled = MicroWish.objects.filter(status=S.FULFILLED, claimed_by_member__isnull=False)
    wish_entries = PointsEntry.objects.filter(kind=PointsEntry.Kind.WISH)
    assert wish_entries.count() == fulfilled.count() > 0
    assert set(wish_entries.values_list("wish_id", "member_id")) == set(fulfilled.values_list("pk", "claimed_by_member_id"))
    assert set(wish_entries.values_list("points", flat=True)) == {Decimal(20)}


@pytest.mark.django_db
def test_demo_member_has_hours_and_points():
    seed("--password", PW)
    member = User.objects.get(username="member").party_member
    record = member_service(member)
    assert record["events_attended"] >= 5
    assert record["hours_approved"] > 0
    assert record["hours_pending"] > 0
    assert record["points"] > 0
    approved = member.participations.approved()
    pending = member.participations.attended().filter(hours_approved_at__isnull=True)
    assert approved.count() >= 4 and pending.count() == 1
    assert record["points"] == record["hours_approved"] * 10 + 20 * member.claimed_wishes.filter(status=S.FULFILLED).count()
    # Nothing before the member registered with the community.
    assert not member.participations.filter(event__starts_at__date__lt=member.registered_on).exists()
    # Signed up for a planned event.
    assert member.participations.filter(event__status=VolunteerEvent.Status.PLANNED, signed_up_at__isnull=False).exists()


@pytest.mark.django_db
def test_planned_events_lie_ahead_and_move_forward(monkeypatch):
    seed("--password", PW)
    now = timezone.now()
    planned = demo_events().filter(status=VolunteerEvent.Status.PLANNED)
    assert 4 <= planned.count() <= 6
    first = {event.pk: event.starts_at for event in planned}
    for event in planned:
        assert now < event.starts_at < now + datetime.timedelta(weeks=8)
        assert event.participations.exists()
        for p in event.participations.all():
            assert p.signed_up_at < now and p.checked_in_at is None
    counts_before = volunteer_counts()

    # A month later the same events are planned again, a month further on.
    later = timezone.localdate() + datetime.timedelta(days=30)
    monkeypatch.setattr(seed_demo_command.timezone, "localdate", lambda *args: later)
    seed("--password", PW)
    assert volunteer_counts() == counts_before
    moved = {event.pk: event.starts_at for event in demo_events().filter(status=VolunteerEvent.Status.PLANNED)}
    assert moved.keys() == first.keys()
    assert all(moved[pk] - first[pk] == datetime.timedelta(days=30) for pk in first)


@pytest.mark.django_db
def test_demo_cases():
    seed("--password", PW)
    cases = SpecialGroupCase.objects.filter(community__code="shahejie")
    solved = cases.filter(status=SpecialGroupCase.Status.SOLVED, solved_on__year=2023)
    assert solved.count() == 46
    groups = {row["group"]: row["n"] for row in solved.values("group").annotate(n=Count("pk"))}
    assert set(groups) == {"elderly_alone", "disabled", "woman", "child", "low_income"}
    assert min(groups.values()) >= 5
    member_names = set(PartyMember.objects.values_list("name", flat=True))
    for case in solved.select_related("event"):
        assert case.opened_on <= case.started_on <= case.solved_on
        assert case.action_taken and case.grid_cell_id and case.address_detail
        assert case.resident_name not in member_names
        assert case.taken_by_member_id or case.taken_by_unit_id or case.taken_by_team_id
        if case.event:
            assert case.event.status == VolunteerEvent.Status.DONE and case.event.starts_at.year == 2023
            assert case.opened_on <= timezone.localtime(case.event.starts_at).date() <= case.solved_on
            assert case.group in case.event.special_groups
        case.full_clean()
    assert solved.filter(event__isnull=False).count() >= 5
    assert solved.filter(opened_on__year=2022).exists()  # opened the year before
    assert cases.filter(status=SpecialGroupCase.Status.OPEN).exists()
    assert cases.filter(status=SpecialGroupCase.Status.IN_PROGRESS).exists()
    assert cases.filter(status=SpecialGroupCase.Status.SOLVED, solved_on__year=2022).exists()
    assert cases.filter(status=SpecialGroupCase.Status.SOLVED, solved_on__year=2024, opened_on__year=2023).exists()
    for phone in cases.values_list("resident_phone", flat=True):
        mobile_validator(phone)
        assert phone.startswith("1990002")


@pytest.mark.django_db
def test_running_twice_keeps_the_volunteer_rows():
    seed("--password", PW)
    first = volunteer_snapshot()
    seed("--password", PW)
    assert volunteer_snapshot() == first
    assert {key: len(rows) for key, rows in first.items()} == {key: len(rows) for key, rows in volunteer_snapshot().items()}


@pytest.mark.django_db
def test_a_second_run_restores_demo_volunteer_data(community_b):
    seed("--password", PW)
    community = Community.objects.get(code="shahejie")
    event = demo_events().held().filter(starts_at__year=2023).first()
    participation = event.participations.approved().first()
    PointsEntry.objects.filter(participation=participation).delete()
    Participation.objects.filter(pk=participation.pk).update(hours_approved_at=None, hours_approved_by=None)
    VolunteerEvent.objects.filter(pk=event.pk).update(status=VolunteerEvent.Status.CANCELLED, summary="改过")
    solved = SpecialGroupCase.objects.filter(community=community, status="solved").first()
    SpecialGroupCase.objects.filter(pk=solved.pk).update(status="in_progress", solved_on=None)
    stale = SpecialGroupCase.objects.create(
        community=community, group="other", resident_name="旧演示", resident_phone="19900029999", problem="旧的演示案例"
    )
    own = SpecialGroupCase.objects.create(community=community, group="other", resident_name="某居民", problem="居民自己的案例")

    seed("--password", PW)
    assert figures_2023(community)["volunteer_events"] == 66
    assert figures_2023(community)["special_group_cases_resolved"] == 46
    participation.refresh_from_db()
    assert participation.hours_approved_at and participation.points_entry
    assert not SpecialGroupCase.objects.filter(pk=stale.pk).exists()
    assert SpecialGroupCase.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_seed_volunteers_runs_in_a_few_queries(django_assert_max_num_queries):
    ctx = DemoContext(password=PW)
    for step in STEPS:
        if step is not seed_volunteers:
            step(ctx)
    with django_assert_max_num_queries(50):
        seed_volunteers(ctx)  # bulk: not one query per event, participation or case
    with django_assert_max_num_queries(25):
        seed_volunteers(ctx)


# --- Grid work and the deliberation hall --------------------------------------------

A = Appeal.Status


def shahejie():
    return Community.objects.get(code="shahejie")


def grid_figures_2023(community):
    return grid_work_figures(START_2023, END_2023, community_ids=[community.pk])


def hall_figures_2023(community):
    return council_figures(START_2023, END_2023, community_ids=[community.pk])


def grid_work_snapshot():
    """Every row the grid work step makes, ids included."""
    models = {
        "visits": VisitLog, "comments": VisitComment, "appeals": Appeal, "appeal_events": AppealEvent, "topics": Topic,
        "sessions": Session, "companies": PropertyCompany, "proxy": ProxyService, "stations": Station,
        "station_updates": StationUpdate, "topic_cells": Topic.grid_cells.through, "session_members": Session.members.through,
        "session_units": Session.units.through, "compounds": PropertyCompany.compounds.through,
    }
    return {key: list(model.objects.order_by("pk").values_list()) for key, model in models.items()}


@pytest.mark.django_db
def test_deliberation_hall_settled_8_topics_in_2023():
    output = seed("--password", PW)
    community = shahejie()
    figures = hall_figures_2023(community)
    assert figures["deliberation_topics_resolved"] == 8
    settled = Topic.objects.filter(community=community, status=Topic.Status.SETTLED, settled_on__range=(START_2023, END_2023))
    assert settled.count() == 8
    titles = list(settled.values_list("title", flat=True))
    assert any("停车" in title for title in titles)
    assert any("小区并大区" in title for title in titles)
    forms = set()
    for topic in settled.prefetch_related("sessions", "grid_cells"):
        sessions = list(topic.sessions.all())
        assert len(sessions) >= 2, topic.title
        forms |= {s.form for s in sessions}
        assert topic.proposed_on <= topic.deliberating_on <= topic.agreed_on <= topic.implementing_on <= topic.settled_on
        assert topic.outcome and topic.description and topic.grid_cells.exists()
        assert sessions[0].held_on == topic.deliberating_on
        for session in sessions:
            assert topic.deliberating_on <= session.held_on <= topic.settled_on
            assert session.residents_count > 0 and session.place and session.minutes and session.decision
            assert session.representatives
    assert {Session.Form.BENCH, Session.Form.COURTYARD, Session.Form.HALL} <= forms
    assert Session.members.through.objects.filter(session__topic__in=settled).exists()
    assert Session.units.through.objects.filter(session__topic__in=settled).exists()
    # Members take part only once reported in to the community.
    for session in Session.objects.filter(topic__community=community).prefetch_related("members"):
        for member in session.members.all():
            assert member.reported_on <= session.held_on
    # Around 2023: still deliberating, being carried out, dropped, settled the year before and after.
    topics = Topic.objects.filter(community=community)
    for status in (Topic.Status.DELIBERATING, Topic.Status.IMPLEMENTING, Topic.Status.DROPPED):
        assert topics.filter(status=status).exists(), status
    assert topics.filter(status=Topic.Status.SETTLED, settled_on__year=2024, proposed_on__year=2023).exists()
    assert topics.filter(status=Topic.Status.SETTLED, settled_on__year=2022).exists()
    # Topics that came from appeals carry them.
    from_appeals = settled.filter(source=Topic.Source.APPEAL)
    assert from_appeals.exists()
    for topic in from_appeals:
        assert topic.appeals.count() >= 2
        for appeal in topic.appeals.all():
            assert appeal.events.filter(note__contains=topic.title).exists()
    assert figures["sessions_held"] == Session.objects.filter(topic__community=community, held_on__year=2023).count()
    assert figures["sessions_held"] == sum(figures["sessions_by_form"].values())
    line = f"Deliberation hall 2023: topics settled 8, sessions {figures['sessions_held']} "
    assert line in output
    assert "stations 2, micro party schools 6" in output


@pytest.mark.django_db
def test_grid_work_figures_for_2023():
    output = seed("--password", PW)
    community = shahejie()
    figures = grid_figures_2023(community)
    assert set(figures["visits_by_kind"]) == set(VisitLog.Kind.values)  # visits of every kind
    assert 120 <= figures["visits"] == sum(figures["visits_by_kind"].values())
    assert set(figures["visits_by_cell"]) == set(GridCell.objects.filter(community=community).values_list("pk", flat=True))
    assert 35 <= figures["appeals_received"] <= 50
    assert figures["appeals_answered"] >= 30
    assert figures["appeals_reopened"] >= 3
    assert figures["appeals_overdue"] == 2
    assert (figures["stations"], figures["micro_schools"]) == (2, 6)
    assert figures["stations_updated"] == 8
    line = (
        f"Grid work 2023: visits {figures['visits']} (7 kinds), appeals received {figures['appeals_received']}, "
        f"answered {figures['appeals_answered']}, reopened {figures['appeals_reopened']}"
    )
    assert line in output
    # The years around it have some too.
    def year(number):
        return grid_work_figures(datetime.date(number, 1, 1), datetime.date(number, 12, 31), community_ids=[community.pk])

    assert year(2022)["visits"] > 0 and year(2022)["appeals_received"] == 1  # answered in January 2023
    assert year(2024)["visits"] > 0 and year(2024)["appeals_answered"] == 1  # received in December 2023


@pytest.mark.django_db
def test_demo_visits_look_real():
    seed("--password", PW)
    community = shahejie()
    visits = VisitLog.objects.filter(community=community).select_related("visitor", "building", "grid_cell")
    grid, member = User.objects.get(username="grid"), User.objects.get(username="member")
    reported_on = member.party_member.reported_on
    assert {v.visitor.username for v in visits} == {"grid", "staff", "member"}
    for visit in visits:
        assert visit.building.grid_cell_id == visit.grid_cell_id
        assert visit.findings and visit.household
        if visit.visitor == grid:
            assert visit.grid_cell.number in (1, 2)  # the grid worker's own cells
        if visit.visitor == member:
            assert visit.grid_cell_id == member.party_member.grid_cell_id and visit.visited_on > reported_on
        if visit.follow_up_done_on:
            assert visit.follow_up_needed and visit.follow_up_done_on >= visit.visited_on
    assert visits.filter(follow_up_needed=True, follow_up_done_on__isnull=True).exists()
    assert visits.filter(follow_up_needed=True, follow_up_done_on__isnull=False).exists()
    turned = visits.filter(appeal__isnull=False).select_related("appeal")
    assert turned.count() == Appeal.objects.filter(community=community, source=Appeal.Source.VISIT).count() > 5
    for visit in turned:
        assert visit.appeal.received_at.astimezone(demo_data.TZ).date() == visit.visited_on
        assert visit.appeal.grid_cell_id == visit.grid_cell_id and visit.appeal.entered_by_id == visit.visitor_id
    cases = visits.filter(special_case__isnull=False).select_related("special_case")
    assert cases.count() == demo_data.CASE_VISITS
    for visit in cases:
        assert visit.special_case.opened_on == visit.visited_on and visit.special_case.grid_cell_id == visit.grid_cell_id
    assert VisitComment.objects.filter(visit__community=community).exists()
    for visit in visits[::10]:
        visit.full_clean()


@pytest.mark.django_db
def test_demo_appeals_have_consistent_histories():
    seed("--password", PW)
    community = shahejie()
    staff, grid = User.objects.get(username="staff"), User.objects.get(username="grid")
    appeals = Appeal.objects.filter(community=community).prefetch_related("events")
    assert appeals.count() > 35
    for status in A:
        assert appeals.filter(status=status).exists(), status
    assert set(appeals.values_list("source", flat=True)) == set(Appeal.Source.values)
    assert len(set(appeals.values_list("category", flat=True))) >= 5
    for appeal in appeals:
        assert appeal.code.startswith(demo_data.APPEAL_CODE_PREFIX) and len(appeal.code) == 10
        assert set(appeal.code) <= set(APPEAL_ALPHABET)
        mobile_validator(appeal.resident_phone)
        assert appeal.resident_phone.startswith(demo_data.GRID_PHONE_PREFIX)
        events = list(appeal.events.all())
        times = [e.created_at for e in events]
        assert times == sorted(times) and len(set(times)) == len(times)
        submit = events[0]
        assert (submit.from_status, submit.to_status, submit.created_at) == ("", A.RECEIVED, appeal.received_at)
        assert submit.actor_id == appeal.entered_by_id and submit.by_resident == (appeal.entered_by_id is None)
        assert (appeal.source == Appeal.Source.ONLINE) == (appeal.entered_by_id is None)
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status
        assert events[-1].to_status == appeal.status
        answers = [e for e in events if e.to_status == A.ANSWERED]
        reopens = [e for e in events if e.to_status == A.REOPENED and e.from_status != A.REOPENED]
        closes = [e for e in events if e.to_status == A.CLOSED]
        assert appeal.reopened_count == len(reopens)
        assert appeal.waiting_since == (reopens[-1].created_at if reopens else appeal.received_at)
        assert appeal.answered_at == (answers[-1].created_at if answers else None)
        if answers:
            assert appeal.answer == answers[-1].note and answers[-1].actor in (staff, grid)
        assert appeal.closed_at == (closes[-1].created_at if appeal.status == A.CLOSED else None)
        for event in reopens:
            assert event.by_resident and event.actor is None and event.note
            answered = [e for e in answers if e.created_at < event.created_at][-1]
            assert event.created_at - answered.created_at <= datetime.timedelta(days=Appeal.REOPEN_DAYS)
        for event in closes:
            assert (event.actor is None) == event.by_resident
            assert event.actor in (None, staff)
        for event in events:
            if event.to_status == A.ASSIGNED:
                assert event.actor == staff
                assert appeal.assigned_to_user_id or appeal.assigned_to_unit_id
            assert 9 <= event.created_at.astimezone(demo_data.TZ).hour < 18
    # Four appeals wait at the end of 2023, two of them overdue by then; all four are overdue today.
    waiting = appeals.filter(status__in=Appeal.WAITING_STATUSES)
    assert waiting.count() == 4
    end_of_2023 = datetime.datetime(2024, 1, 1, tzinfo=demo_data.TZ)
    assert waiting.overdue(now=end_of_2023).count() == 2
    assert waiting.overdue().count() == 4
    for appeal in appeals.filter(status=A.CLOSED)[::6]:
        appeal.full_clean()


@pytest.mark.django_db
def test_demo_property_companies_and_proxy_services():
    seed("--password", PW)
    community = shahejie()
    companies = PropertyCompany.objects.filter(community=community)
    assert 1 <= companies.count() <= 2
    linked = companies.get(party_unit__isnull=False)
    assert linked.name == linked.party_unit.name and linked.party_organization
    for company in companies:
        assert company.compounds.exists() and company.window_place and company.window_hours
        assert company.proxy_services.exists()
        company.full_clean()
    services = ProxyService.objects.filter(community=community)
    in_2023 = services.filter(received_on__year=2023)
    assert 50 <= in_2023.count() <= 70
    assert len(set(in_2023.values_list("kind", flat=True))) == len(ProxyService.Kind)
    assert in_2023.filter(status=ProxyService.Status.IN_PROGRESS).exists()
    assert in_2023.filter(status=ProxyService.Status.DONE).count() > in_2023.count() * 0.8
    by_staff = in_2023.filter(company__isnull=True)
    assert by_staff.exists() and not by_staff.exclude(handled_by__username="staff").exists()
    assert not in_2023.filter(company__isnull=False, handled_by_name="").exists()
    for service in services:
        assert (service.done_on is not None) == (service.status == ProxyService.Status.DONE)
        assert service.done_on is None or service.done_on >= service.received_on
    assert hall_figures_2023(community)["proxy_services_handled"] == in_2023.filter(
        status="done", done_on__year=2023
    ).count() + services.filter(received_on__year=2022, done_on__year=2023).count()


@pytest.mark.django_db
def test_demo_stations_and_micro_party_schools():
    seed("--password", PW)
    community = shahejie()
    today = timezone.localdate()
    places = Station.objects.filter(community=community).with_last_update().select_related("building")
    assert places.filter(kind=Station.Kind.STATION).count() == 2
    assert places.filter(kind=Station.Kind.SCHOOL).count() == 6
    stale = [p for p in places if p.is_stale(p.last_updated_on, today)]
    assert [p.name for p in stale] == [demo_data.STALE_SCHOOL]
    assert stale[0].kind == Station.Kind.SCHOOL
    assert (today - stale[0].last_updated_on).days > 365
    for place in places:
        assert 3 <= place.updates.filter(updated_on__year=2023).count() <= 8
        assert place.contact_name and place.opening_hours
        if place.kind == Station.Kind.SCHOOL:
            assert place.building.grid_cell_id == place.grid_cell_id
        place.full_clean()
    assert {u.kind for u in StationUpdate.objects.filter(station__community=community)} == set(StationUpdate.Kind.values)


@pytest.mark.django_db
def test_running_twice_keeps_the_grid_work_rows():
    seed("--password", PW)
    first = grid_work_snapshot()
    seed("--password", PW)
    second = grid_work_snapshot()
    assert {key: len(rows) for key, rows in second.items()} == {key: len(rows) for key, rows in first.items()}
    assert second == first
    assert all(first.values()), {key for key, rows in first.items() if not rows}


@pytest.mark.django_db
def test_recent_station_content_moves_with_the_day(monkeypatch):
    seed("--password", PW)
    recent = {title for title, _, _ in demo_data.RECENT_UPDATES}
    before = dict(StationUpdate.objects.filter(title__in=recent).values_list("pk", "updated_on"))
    assert len(before) == len(demo_data.STATIONS) - 1
    later = timezone.localdate() + datetime.timedelta(days=40)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    seed("--password", PW)
    after = dict(StationUpdate.objects.filter(title__in=recent).values_list("pk", "updated_on"))
    assert set(after) == set(before)
    assert all(after[pk] == before[pk] + datetime.timedelta(days=40) for pk in before)


@pytest.mark.django_db
def test_a_second_run_restores_demo_appeals_and_leaves_others_alone():
    seed("--password", PW)
    community = shahejie()
    appeal = Appeal.objects.filter(community=community, status=A.CLOSED, reopened_count=1).first()
    restored = (appeal.pk, appeal.title, appeal.status, list(appeal.events.values_list("to_status", flat=True)))
    Appeal.objects.filter(pk=appeal.pk).update(title="改过", status=A.RECEIVED)
    AppealEvent.objects.filter(appeal=appeal, to_status=A.REOPENED).delete()
    own = Appeal.objects.create(community=community, category="other", title="居民自己的诉求", resident_name="某某", resident_phone="13700000000")
    stale = Appeal.objects.create(
        community=community, code=demo_data.APPEAL_CODE_PREFIX + "ZZZZZZ", category="other", title="旧演示", resident_name="某某",
        resident_phone="13700000000",
    )
    seed("--password", PW)
    appeal.refresh_from_db()
    assert (appeal.pk, appeal.title, appeal.status, list(appeal.events.values_list("to_status", flat=True))) == restored
    assert Appeal.objects.filter(pk=own.pk).exists()
    assert not Appeal.objects.filter(pk=stale.pk).exists()


def test_grid_work_demo_data_are_deterministic():
    assert demo_data.appeal_specs() == demo_data.appeal_specs()
    assert demo_data.visit_specs() == demo_data.visit_specs()
    assert demo_data.topic_specs() == demo_data.topic_specs()
    assert demo_data.proxy_service_specs() == demo_data.proxy_service_specs()
    today = datetime.date(2024, 6, 1)
    assert demo_data.station_specs(today) == demo_data.station_specs(today)
    settled = [t for t in demo_data.topic_specs() if t["status"] == "settled" and t["settled_on"].year == 2023]
    assert len(settled) == demo_data.TOPICS_SETTLED_2023 == 8


@pytest.mark.django_db
def test_seed_grid_work_runs_in_a_few_queries(django_assert_max_num_queries):
    ctx = DemoContext(password=PW)
    for step in STEPS:
        if step is not seed_grid_work:
            step(ctx)
    with django_assert_max_num_queries(70):
        seed_grid_work(ctx)  # bulk: not one query per visit, appeal, event or session
    with django_assert_max_num_queries(70):
        seed_grid_work(ctx)
