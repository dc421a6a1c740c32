"""`manage.py seed_demo`: build the story's community with synthetic data.

The portal's own figures for 2023 then give the story's numbers: 26 co-building
units, 268 in-service party members registered and reported (100%), micro-wishes
fulfilled for 76 residents, 4 "小红兴" volunteer teams, 66 volunteer events held
(23 of them haircuts, free clinics or performances), 46 special-group cases
solved, 8 issues settled in the red deliberation hall (parking and merging small
compounds among them), 2 red vanguard stations and 6 micro party schools; plus
the year's door-knocking visits, appeals and proxy-window errands. Five demo
logins (admin, staff, grid, member, unit) share one password.

Running it again updates the same records (natural keys: community code, grid
cell number, building name, unit name, member phone, username, wish tracking
code, team and project name, a held or cancelled event's title and start, a
planned event's title and kind, (event, member) for attendance, the
participation or (wish, member) for points, a case's resident, problem and
opening day, a visit's household, day and kind, an appeal's tracking code, a
topic's title, a session's topic, day and form, a property company's or
station's name, a content update's station, day and title, a proxy service's
resident, kind and day received), so the counts never grow. The data come from
`demo.demo_data` and are the same every run, except that planned events move
to the weeks after the day of the run, and so does the latest content of the
stations and schools (known by station and title).

To add another app's part of the story, write a step `def seed_xxx(ctx: DemoContext)`
that uses `ctx.community`, `ctx.users`, `ctx.units`, `ctx.members`, ..., creates its
records idempotently, appends a line to `ctx.summary`, and add it to `STEPS`.
"""

import datetime
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from council.models import PropertyCompany, ProxyService, Session, Topic
from council.selectors import council_figures
from demo import demo_data, scale_data
from grid.models import (
    Appeal,
    AppealEvent,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    StationUpdate,
    VisitComment,
    VisitLog,
)
from grid.models.work import CODE_ALPHABET as APPEAL_CODE_ALPHABET
from grid.selectors_figures import grid_work_figures
from grid.services import tags_from_text
from portal.history import record_missing_histories
from portal.models import Area, Community, User
from volunteers import tallies
from volunteers.models import (
    EventKind,
    Participation,
    PointsEntry,
    PointsRule,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from volunteers.selectors import volunteer_figures
from wishes.models import CODE_ALPHABET, MicroWish, WishEvent
from wishes.selectors import wish_figures

URL = "http://127.0.0.1:8000/"


@dataclass
class DemoContext:
    """What the steps share: each step reads what earlier ones made and adds its own."""

    password: str
    community: Community | None = None
    cells: dict[int, GridCell] = field(default_factory=dict)  # by number
    buildings: dict[tuple[int, str], Building] = field(default_factory=dict)  # by (cell number, name)
    units: list[CoBuildingUnit] = field(default_factory=list)  # in demo_data.UNITS order
    users: dict[str, User] = field(default_factory=dict)  # by username
    members: list[PartyMember] = field(default_factory=list)  # in demo_data.member_specs() order
    summary: list[str] = field(default_factory=list)


def seed_community(ctx: DemoContext) -> None:
    data = demo_data.COMMUNITY
    community = (
        Community.objects.filter(code=data["code"]).first()
        or Community.objects.filter(county=data["county"], town=data["town"], name=data["name"]).first()
        or Community()
    )
    areas = {}
    for code, name, level, parent in demo_data.AREAS:
        area = Area.objects.filter(code=code).first() or Area(code=code)
        area.name, area.level, area.parent = name, level, areas.get(parent)
        area.save()
        areas[code] = area
    for key, value in data.items():
        setattr(community, key, value)
    community.area = areas[demo_data.AREAS[-1][0]]  # the street
    community.save()
    ctx.community = community
    ctx.summary.append(f"Community: {community.name} ({community.code}), {community.town}, {community.county}")


def seed_grid(ctx: DemoContext) -> None:
    for spec in demo_data.GRID_CELLS:
        cell, _ = GridCell.objects.update_or_create(
            community=ctx.community,
            number=spec["number"],
            defaults={
                "name": spec["name"],
                "households": spec["households"],
                "population": spec["population"],
                "boundary": spec["boundary"],
            },
        )
        ctx.cells[cell.number] = cell
        for name, households in spec["buildings"]:
            building, _ = Building.objects.update_or_create(
                grid_cell=cell, name=name, defaults={"households": households}
            )
            ctx.buildings[(cell.number, name)] = building
    cells = GridCell.objects.filter(community=ctx.community)
    buildings = Building.objects.filter(grid_cell__community=ctx.community)
    ctx.summary.append(f"Grid cells: {cells.count()}, buildings: {buildings.count()}")


def seed_units(ctx: DemoContext) -> None:
    for spec in demo_data.unit_specs():
        values = {key: value for key, value in spec.items() if key not in ("name", "resource_tags")}
        unit, _ = CoBuildingUnit.objects.update_or_create(
            community=ctx.community, name=spec["name"], defaults={**values, "is_active": True, "inactive_since": None}
        )
        unit.resource_tags.set(tags_from_text(spec["resource_tags"]))
        ctx.units.append(unit)
    count = CoBuildingUnit.objects.filter(community=ctx.community).co_building_as_of(demo_data.REPORT_DAY).count()
    ctx.summary.append(f"Co-building units by {demo_data.REPORT_DAY}: {count}")


def seed_users(ctx: DemoContext) -> None:
    """The five demo logins; their password is (re)set on every run."""
    staff_names = iter(name for name, _ in demo_data.demo_people()["staff"])
    unit_index = next(i for i, spec in enumerate(demo_data.UNITS) if spec["name"] == demo_data.LIAISON_UNIT)
    liaison_unit = ctx.units[unit_index]
    full_names = {
        "admin": next(staff_names),
        "staff": next(staff_names),
        "grid": next(staff_names),
        "member": demo_data.member_specs()[0]["name"],
        "unit": liaison_unit.liaison_name,
    }
    for username, spec in demo_data.DEMO_USERS.items():
        role = spec["role"]
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                **spec,
                "community": None if role == User.Role.AREA_ADMIN else ctx.community,
                "unit": liaison_unit if role == User.Role.LIAISON else None,
                "full_name": full_names[username],
                "is_active": True,
                # One hash (and salt) per account, even though they share the password.
                "password": make_password(ctx.password),
            },
        )
        ctx.users[username] = user

    grid_user = ctx.users["grid"]
    cell_1 = ctx.cells[1]
    cell_1.leader = grid_user
    cell_1.save(update_fields=["leader"])
    for number in (1, 2):
        ctx.cells[number].workers.add(grid_user)


def seed_members(ctx: DemoContext) -> None:
    """The 268 in-service members, all registered and reported in 2023."""
    specs = demo_data.member_specs()
    phones = [spec["phone"] for spec in specs]
    existing = {m.phone: m for m in PartyMember.objects.filter(community=ctx.community, phone__in=phones)}
    confirmed_by = ctx.users["staff"]
    fields = [
        "name",
        "gender",
        "employer_unit",
        "employer_name",
        "grid_cell",
        "building",
        "joined_party_year",
        "is_active",
        "inactive_since",
        "source",
        "registered_on",
        "reported_on",
        "reported_confirmed_by",
    ]
    new, changed = [], []
    for spec in specs:
        member = existing.get(spec["phone"])
        if member is None:
            member = PartyMember(community=ctx.community, phone=spec["phone"])
            new.append(member)
        else:
            changed.append(member)
        member.name = spec["name"]
        member.gender = spec["gender"]
        member.employer_unit = ctx.units[spec["unit_index"]]
        member.employer_name = ""
        member.grid_cell = ctx.cells[spec["cell_number"]]
        member.building = ctx.buildings[(spec["cell_number"], spec["building"])]
        member.joined_party_year = spec["joined_party_year"]
        member.is_active = True
        member.inactive_since = None
        member.source = spec["source"]
        member.registered_on = spec["registered_on"]
        member.reported_on = spec["reported_on"]
        member.reported_confirmed_by = confirmed_by
    PartyMember.objects.bulk_create(new)
    PartyMember.objects.bulk_update(changed, fields)

    by_phone = {m.phone: m for m in PartyMember.objects.filter(community=ctx.community, phone__in=phones)}
    ctx.members = [by_phone[phone] for phone in phones]

    # Skills: reset to the demo's.
    tags = {tag.name: tag for tag in tags_from_text(", ".join(demo_data.SKILLS))}
    through = PartyMember.skills.through
    through.objects.filter(partymember__in=ctx.members).delete()
    through.objects.bulk_create(
        through(partymember_id=member.pk, tag_id=tags[name].pk)
        for member, spec in zip(ctx.members, specs)
        for name in spec["skills"]
    )

    # The `member` login is the first member's account.
    member_user = ctx.users["member"]
    first = ctx.members[0]
    PartyMember.objects.filter(user=member_user).exclude(pk=first.pk).update(user=None)
    PartyMember.objects.filter(pk=first.pk).update(user=member_user)
    first.user = member_user

    counts = PartyMember.objects.filter(community=ctx.community).reporting_summary(demo_data.REPORT_DAY)
    ctx.summary.append(
        f"Party members by {demo_data.REPORT_DAY}: registered {counts['registered']}, "
        f"reported {counts['reported']}, rate {counts['rate']:.0%}"
    )


# The fields of a demo wish that `seed_wishes` (re)sets on every run.
WISH_FIELDS = [
    "community", "status", "category", "title", "description", "photo",
    "wisher_name", "wisher_phone", "wisher_key", "grid_cell", "building", "address_detail", "consent_at", "entered_by",
    "submitted_at", "published_at", "claimed_at", "delivered_at", "fulfilled_at", "rejected_at", "reject_reason",
    "claimed_by_member", "claimed_by_unit", "delivery_note", "delivery_photo", "thank_you_note",
    "respond_by", "responded_at", "rating", "rating_comment", "rated_at",
]
EVENT_FIELDS = ["from_status", "to_status", "actor_id", "by_resident", "note", "created_at"]


def _wish_state(wish: MicroWish) -> tuple:
    """The values of WISH_FIELDS (ids for relations, names for files), to skip unchanged wishes."""
    values = []
    for name in WISH_FIELDS:
        value = getattr(wish, MicroWish._meta.get_field(name).attname)
        values.append(value.name or "" if hasattr(value, "name") else value)
    return tuple(values)


def demo_wishes(community: Community):
    """The community's demo wishes: those whose tracking code has the demo's form (DEMW...)."""
    width = len(demo_data.wish_code(0)) - len(demo_data.WISH_CODE_PREFIX)
    pattern = rf"^{demo_data.WISH_CODE_PREFIX}[{CODE_ALPHABET}]{{{width}}}$"
    return MicroWish.objects.filter(community=community, code__regex=pattern)


def seed_wishes(ctx: DemoContext) -> None:
    """Micro-wishes 2022-2024 with their whole history: in 2023, wishes of 76 residents came true.

    Demo wishes are known by their tracking codes (DEMW...): a run updates them
    in place (bulk), rewrites the events of those whose history differs, and
    removes demo wishes the demo data no longer has. Other wishes are left alone.
    """
    specs = demo_data.wish_specs()
    codes = [spec["code"] for spec in specs]
    stale = demo_wishes(ctx.community).exclude(code__in=codes)
    PointsEntry.objects.filter(wish__in=stale).delete()  # points of wishes the demo no longer has
    stale.delete()

    users = {name: user.pk for name, user in ctx.users.items()}
    existing = {wish.code: wish for wish in MicroWish.objects.filter(code__in=codes)}
    new, changed = [], []
    for spec in specs:
        wish = existing.get(spec["code"])
        if wish is None:
            wish = MicroWish(code=spec["code"])
            new.append(wish)
            before = None
        else:
            before = _wish_state(wish)
        wish.community = ctx.community
        for name in (
            "status", "category", "title", "description", "wisher_name", "wisher_phone", "address_detail",
            "consent_at", "submitted_at", "published_at", "claimed_at", "delivered_at", "fulfilled_at",
            "rejected_at", "reject_reason", "delivery_note", "thank_you_note",
            "respond_by", "responded_at", "rating", "rating_comment", "rated_at",
        ):
            setattr(wish, name, spec[name])
        wish.photo = wish.delivery_photo = ""
        wish.set_wisher_key()
        wish.grid_cell = ctx.cells[spec["cell_number"]]
        wish.building = ctx.buildings[(spec["cell_number"], spec["building"])]
        wish.entered_by_id = users[spec["entered_by"]] if spec["entered_by"] else None
        member, unit = spec["member_index"], spec["unit_index"]
        wish.claimed_by_member = ctx.members[member] if member is not None else None
        wish.claimed_by_unit = ctx.units[unit] if unit is not None else None
        if before is not None and before != _wish_state(wish):
            changed.append(wish)
    MicroWish.objects.bulk_create(new)
    MicroWish.objects.bulk_update(changed, WISH_FIELDS)
    wishes = {wish.code: wish.pk for wish in MicroWish.objects.filter(code__in=codes)}

    # Events: keep a wish's history if it is already the demo's, else write it again.
    wanted = {
        wishes[spec["code"]]: [
            (event["from_status"], event["to_status"], users.get(event["actor"]), event["by_resident"],
             event["note"], event["created_at"])
            for event in spec["events"]
        ]
        for spec in specs
    }
    stored = {pk: [] for pk in wanted}
    for row in WishEvent.objects.filter(wish_id__in=wanted).order_by("created_at", "pk").values_list("wish_id", *EVENT_FIELDS):
        stored[row[0]].append(row[1:])
    stale = [pk for pk, events in wanted.items() if stored[pk] != events]
    WishEvent.objects.filter(wish_id__in=stale).delete()
    WishEvent.objects.bulk_create(
        WishEvent(wish_id=pk, **dict(zip(EVENT_FIELDS, event))) for pk in stale for event in wanted[pk]
    )

    figures = wish_figures(
        MicroWish.objects.filter(community=ctx.community), datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
    )
    ctx.summary.append(
        f"Micro-wishes 2023: submitted {figures['wishes_submitted']}, fulfilled {figures['wishes_fulfilled']}, "
        f"wishers fulfilled {figures['wishers_fulfilled']}"
    )


# --- Volunteer service ----------------------------------------------------------

VOLUNTEER_EVENT_FIELDS = [
    "title", "kind", "project", "team", "unit", "starts_at", "ends_at", "place", "grid_cell", "capacity",
    "description", "status", "residents_served", "special_groups", "summary", "created_by",
]
PARTICIPATION_FIELDS = [
    "signed_up_at", "withdrawn_at", "checked_in_at", "checked_in_by", "hours", "hours_approved_at", "hours_approved_by",
]
POINTS_FIELDS = ["community", "member", "kind", "points", "reason", "participation", "wish", "created_by", "created_at"]
CASE_FIELDS = [
    "group", "resident_name", "resident_phone", "grid_cell", "address_detail", "problem", "description",
    "taken_by_member", "taken_by_unit", "taken_by_team", "status", "opened_on", "started_on", "solved_on",
    "action_taken", "event", "wish",
]


def _state(obj, fields) -> tuple:
    """The values of `fields` (ids for relations), to skip unchanged rows."""
    return tuple(getattr(obj, obj._meta.get_field(name).attname) for name in fields)


def _save_all(model, rows: list, fields: list[str]) -> None:
    """Create the new rows and update those whose fields changed (bulk).

    `rows` are (obj, its `_state` before the changes, or None for a new object).
    Later steps use the new objects' pks, which bulk_create sets on SQLite and PostgreSQL.
    """
    model.objects.bulk_create([obj for obj, before in rows if before is None])
    model.objects.bulk_update([obj for obj, before in rows if before is not None and before != _state(obj, fields)], fields)


def _seed_teams(ctx: DemoContext) -> dict[str, VolunteerTeam]:
    """The four "小红兴" teams of the business-district branch, by key."""
    branch = ctx.units[demo_data.unit_index(demo_data.LIAISON_UNIT)]
    specs = demo_data.team_specs()
    existing = {t.name: t for t in VolunteerTeam.objects.filter(community=ctx.community, name__in=[s["name"] for s in specs])}
    fields = ["sponsor_unit", "sponsor_branch", "leader", "resident_volunteers", "active_since", "is_active", "inactive_since"]
    rows, teams = [], {}
    for spec in specs:
        team = existing.get(spec["name"])
        before = _state(team, fields) if team else None
        team = team or VolunteerTeam(community=ctx.community, name=spec["name"])
        team.sponsor_unit = branch
        team.sponsor_branch = branch.party_organization
        team.leader = ctx.members[spec["leader"]]
        team.resident_volunteers = spec["resident_volunteers"]
        team.active_since = demo_data.PLACES_SINCE
        team.is_active, team.inactive_since = True, None
        rows.append((team, before))
        teams[spec["key"]] = team
    _save_all(VolunteerTeam, rows, fields)

    # Members: exactly the demo's.
    through = VolunteerTeam.members.through
    wanted = {(teams[s["key"]].pk, ctx.members[i].pk) for s in specs for i in s["members"]}
    stored = {
        (team_id, member_id): pk
        for pk, team_id, member_id in through.objects.filter(volunteerteam__in=teams.values()).values_list(
            "pk", "volunteerteam_id", "partymember_id"
        )
    }
    through.objects.filter(pk__in=[pk for key, pk in stored.items() if key not in wanted]).delete()
    through.objects.bulk_create(through(volunteerteam_id=t, partymember_id=m) for t, m in sorted(wanted - stored.keys()))
    return teams


def _seed_projects(ctx: DemoContext, teams: dict[str, VolunteerTeam]) -> dict[str, ServiceProject]:
    existing = {
        p.name: p
        for p in ServiceProject.objects.filter(community=ctx.community, name__in=[s["name"] for s in demo_data.SERVICE_PROJECTS])
    }
    fields = ["description", "lead_team", "lead_unit", "start_date", "end_date"]
    rows, projects = [], {}
    for spec in demo_data.SERVICE_PROJECTS:
        project = existing.get(spec["name"])
        before = _state(project, fields) if project else None
        project = project or ServiceProject(community=ctx.community, name=spec["name"])
        project.description = spec["description"]
        project.lead_team = teams[spec["team"]]
        project.lead_unit = ctx.units[demo_data.unit_index(spec["unit"])]
        project.start_date, project.end_date = spec["start_date"], spec["end_date"]
        rows.append((project, before))
        projects[spec["name"]] = project
    _save_all(ServiceProject, rows, fields)
    return projects


def _seed_events(ctx, specs, planned_specs, teams, projects) -> list[VolunteerEvent]:
    """The demo events, in the order of `specs + planned_specs`.

    Past events are known by (title, starts_at); planned ones by (title, kind)
    among the community's planned events, and move to their new days.
    """
    kinds = {kind.code: kind for kind in EventKind.objects.filter(community__isnull=True)}
    all_specs = specs + planned_specs
    stored = list(
        VolunteerEvent.objects.filter(community=ctx.community, title__in={s["title"] for s in all_specs}).order_by("pk")
    )
    by_time = {(e.title, e.starts_at): e for e in stored}
    taken = set()
    events = []
    rows = []
    for spec in all_specs:
        kind = kinds[spec["kind"]]
        if spec["status"] == VolunteerEvent.Status.PLANNED:
            event = next(
                (e for e in stored if e.pk not in taken and e.status == "planned" and e.title == spec["title"] and e.kind_id == kind.pk),
                None,
            )
        else:
            event = by_time.get((spec["title"], spec["starts_at"]))
            event = event if event is not None and event.pk not in taken else None
        if event is not None:
            taken.add(event.pk)
        before = _state(event, VOLUNTEER_EVENT_FIELDS) if event else None
        event = event or VolunteerEvent(community=ctx.community)
        event.title = spec["title"]
        event.kind = kind
        event.project = projects[spec["project"]] if spec["project"] else None
        event.team = teams[spec["team"]] if spec["team"] else None
        event.unit = ctx.units[spec["unit_index"]] if spec["unit_index"] is not None else None
        event.starts_at, event.ends_at = spec["starts_at"], spec["ends_at"]
        event.place = spec["place"]
        event.grid_cell = ctx.cells[spec["cell_number"]]
        event.capacity = spec["capacity"]
        event.description = spec["description"]
        event.status = spec["status"]
        event.residents_served = spec["residents_served"]
        event.special_groups = spec["special_groups"]
        event.summary = spec["summary"]
        event.created_by = ctx.users["staff"]
        rows.append((event, before))
        events.append(event)
    _save_all(VolunteerEvent, rows, VOLUNTEER_EVENT_FIELDS)
    return events


def _seed_participations(ctx, events, all_specs, rule: PointsRule) -> None:
    """Sign-ups, attendance and hours as the demo has them, and one points entry per approved hours."""
    staff = ctx.users["staff"]
    existing = {(p.event_id, p.member_id): p for p in Participation.objects.filter(event__in=events)}
    rows, wanted = [], {}
    for event, spec in zip(events, all_specs):
        for item in spec["participants"]:
            member = ctx.members[item["member"]]
            participation = existing.get((event.pk, member.pk))
            before = _state(participation, PARTICIPATION_FIELDS) if participation else None
            participation = participation or Participation(event=event, member=member)
            participation.signed_up_at = item["signed_up_at"]
            participation.withdrawn_at = None
            participation.checked_in_at = item["checked_in_at"]
            participation.checked_in_by = item["checked_in_by"]
            participation.hours = Decimal(item["hours"]) if item["hours"] else None
            participation.hours_approved_at = item["approved_at"]
            participation.hours_approved_by = staff if item["approved_at"] else None
            rows.append((participation, before))
            wanted[(event.pk, member.pk)] = participation
    extra = [p.pk for key, p in existing.items() if key not in wanted]
    if extra:
        PointsEntry.objects.filter(participation__in=extra).delete()
        Participation.objects.filter(pk__in=extra).delete()
    _save_all(Participation, rows, PARTICIPATION_FIELDS)
    tallies.recount([event.pk for event in events])  # the bulk writes sent no signals

    # Points for approved hours: hours × the community's points per hour, when approved.
    titles = {event.pk: event.title for event in events}
    approved = {p.pk: p for p in wanted.values() if p.hours_approved_at}
    entries = {e.participation_id: e for e in PointsEntry.objects.filter(participation__event__in=events)}
    PointsEntry.objects.filter(pk__in=[e.pk for pk, e in entries.items() if pk not in approved]).delete()
    rows = []
    for pk, participation in approved.items():
        entry = entries.get(pk)
        before = _state(entry, POINTS_FIELDS) if entry else None
        entry = entry or PointsEntry(participation=participation)
        entry.community = ctx.community
        entry.member_id = participation.member_id
        entry.kind = PointsEntry.Kind.EVENT
        entry.points = (participation.hours * rule.points_per_hour).quantize(Decimal("0.1"))
        entry.reason = titles[participation.event_id][:200]
        entry.wish = None
        entry.created_by = staff
        entry.created_at = participation.hours_approved_at
        rows.append((entry, before))
    _save_all(PointsEntry, rows, POINTS_FIELDS)


def _seed_wish_points(ctx: DemoContext, rule: PointsRule) -> None:
    """Points for the members who made demo wishes come true, as `points_for_wish` gives them."""
    fulfilled = demo_wishes(ctx.community).filter(status=MicroWish.Status.FULFILLED, claimed_by_member__isnull=False)
    wanted = {(w.pk, w.claimed_by_member_id): w for w in fulfilled.only("pk", "title", "fulfilled_at", "claimed_by_member")}
    entries = {(e.wish_id, e.member_id): e for e in PointsEntry.objects.filter(wish__in=demo_wishes(ctx.community))}
    PointsEntry.objects.filter(pk__in=[e.pk for key, e in entries.items() if key not in wanted]).delete()
    rows = []
    for (wish_pk, member_pk), wish in wanted.items():
        entry = entries.get((wish_pk, member_pk))
        before = _state(entry, POINTS_FIELDS) if entry else None
        entry = entry or PointsEntry(wish=wish, member_id=member_pk)
        entry.community = ctx.community
        entry.kind = PointsEntry.Kind.WISH
        entry.points = rule.points_per_wish
        entry.reason = wish.title[:200]
        entry.participation = None
        entry.created_by = None
        entry.created_at = wish.fulfilled_at
        rows.append((entry, before))
    _save_all(PointsEntry, rows, POINTS_FIELDS)


def _seed_cases(ctx, specs, events_by_key, teams) -> None:
    """Special-group cases, known by (resident's name, problem, opened on); demo cases the
    demo no longer has (residents' phones 1990002xxxx) are removed."""
    demo = SpecialGroupCase.objects.filter(community=ctx.community, resident_phone__regex=rf"^{demo_data.CASE_PHONE_PREFIX}\d{{4}}$")
    existing = {(c.resident_name, c.problem, c.opened_on): c for c in demo}
    keys = {(s["resident_name"], s["problem"], s["opened_on"]) for s in specs}
    demo.exclude(pk__in=[c.pk for key, c in existing.items() if key in keys]).delete()
    rows = []
    for spec in specs:
        case = existing.get((spec["resident_name"], spec["problem"], spec["opened_on"]))
        before = _state(case, CASE_FIELDS) if case else None
        case = case or SpecialGroupCase(community=ctx.community)
        for name in ("group", "resident_name", "resident_phone", "problem", "description", "status",
                     "opened_on", "started_on", "solved_on", "action_taken"):
            setattr(case, name, spec[name])
        case.grid_cell = ctx.cells[spec["cell_number"]]
        case.address_detail = f"{spec['building']}{spec['address_detail']}"
        kind, value = spec["taker"] or (None, None)
        case.taken_by_member = ctx.members[value] if kind == "member" else None
        case.taken_by_unit = ctx.units[value] if kind == "unit" else None
        case.taken_by_team = teams[value] if kind == "team" else None
        case.event = events_by_key[spec["event"]] if spec["event"] else None
        case.wish = None
        rows.append((case, before))
    _save_all(SpecialGroupCase, rows, CASE_FIELDS)


def seed_volunteers(ctx: DemoContext) -> None:
    """The story's 2023 volunteer service: four "小红兴" teams, three projects, 66 events
    held (23 haircuts, free clinics and performances) with the demo members' attendance,
    hours and points, and 46 special-group cases solved; plus the years around it and
    events planned in the coming weeks (their days move forward on every run)."""
    rule, _ = PointsRule.objects.get_or_create(community=ctx.community)
    teams = _seed_teams(ctx)
    projects = _seed_projects(ctx, teams)
    specs = demo_data.volunteer_event_specs()
    planned_specs = demo_data.planned_event_specs(timezone.localdate())
    events = _seed_events(ctx, specs, planned_specs, teams, projects)
    _seed_participations(ctx, events, specs + planned_specs, rule)
    _seed_wish_points(ctx, rule)
    events_by_key = {(spec["title"], spec["starts_at"]): event for spec, event in zip(specs, events)}
    _seed_cases(ctx, demo_data.case_specs(specs), events_by_key, teams)

    figures = volunteer_figures(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), community_ids=[ctx.community.pk])
    ctx.summary.append(
        f"Volunteer service 2023: events held {figures['volunteer_events']} (special services {figures['special_services']}), "
        f"cases solved {figures['special_group_cases_resolved']}, teams {figures['volunteer_teams']}, "
        f"hours approved {figures['volunteer_hours']}"
    )
    first = min(event.starts_at for event in events[len(specs):])
    ctx.summary.append(
        f"Volunteer events planned: {len(planned_specs)}, the next on {timezone.localtime(first):%Y-%m-%d %H:%M}"
    )


# --- Grid work and the deliberation hall ------------------------------------------

COMPANY_FIELDS = ["party_unit", "party_organization", "window_place", "window_hours", "contact_name", "contact_phone", "is_active"]
TOPIC_FIELDS = [
    "description", "source", "status", "proposed_on", "deliberating_on", "agreed_on", "implementing_on", "settled_on",
    "dropped_on", "outcome", "created_by",
]
SESSION_FIELDS = ["place", "residents_count", "representatives", "property_company", "minutes", "decision"]
APPEAL_FIELDS = [
    "community", "source", "status", "category", "title", "description", "resident_name", "resident_phone", "grid_cell",
    "building", "address_detail", "consent_at", "entered_by", "assigned_to_user", "assigned_to_unit", "answer",
    "received_at", "waiting_since", "answered_at", "closed_at", "reopened_count", "topic",
    "respond_by", "responded_at", "rating", "rating_comment", "rated_at", "rated_by",
]
APPEAL_EVENT_FIELDS = ["from_status", "to_status", "actor_id", "by_resident", "note", "created_at", "is_contact"]
VISIT_FIELDS = ["grid_cell", "building", "findings", "follow_up_needed", "follow_up_done_on", "visitor", "appeal", "special_case"]
PROXY_FIELDS = [
    "company", "description", "resident_phone", "building", "handled_by", "handled_by_name", "status", "done_on", "note",
]
STATION_FIELDS = [
    "kind", "grid_cell", "building", "location", "opening_hours", "contact_name", "contact_phone", "update_every_days",
    "active_since", "is_active", "inactive_since",
]
STATION_UPDATE_FIELDS = ["updated_on", "kind", "note", "created_by"]


def _sync_through(through, left: str, right: str, left_ids, wanted: set[tuple[int, int]]) -> None:
    """Make the many-to-many rows of the `left_ids` objects exactly the `wanted` (left id, right id) pairs."""
    stored = {
        (l_id, r_id): pk for pk, l_id, r_id in through.objects.filter(**{f"{left}__in": left_ids}).values_list("pk", left, right)
    }
    through.objects.filter(pk__in=[pk for key, pk in stored.items() if key not in wanted]).delete()
    through.objects.bulk_create(through(**{f"{left}_id": l_id, f"{right}_id": r_id}) for l_id, r_id in sorted(wanted - stored.keys()))


def _seed_property_companies(ctx: DemoContext) -> dict[str, PropertyCompany]:
    """The property companies (红色物业), by name, with the compounds they manage."""
    specs = demo_data.property_company_specs()
    existing = {
        c.name: c for c in PropertyCompany.objects.filter(community=ctx.community, name__in=[s["name"] for s in specs])
    }
    rows, companies = [], {}
    for spec in specs:
        company = existing.get(spec["name"])
        before = _state(company, COMPANY_FIELDS) if company else None
        company = company or PropertyCompany(community=ctx.community, name=spec["name"])
        company.party_unit = ctx.units[demo_data.unit_index(spec["unit"])] if spec["unit"] else None
        for name in ("party_organization", "window_place", "window_hours", "contact_name", "contact_phone"):
            setattr(company, name, spec[name])
        company.is_active = True
        rows.append((company, before))
        companies[spec["name"]] = company
    _save_all(PropertyCompany, rows, COMPANY_FIELDS)
    wanted = {(companies[s["name"]].pk, ctx.buildings[key].pk) for s in specs for key in s["compounds"]}
    _sync_through(PropertyCompany.compounds.through, "propertycompany", "building", [c.pk for c in companies.values()], wanted)
    return companies


def _seed_topics(ctx: DemoContext, companies: dict[str, PropertyCompany]) -> dict[str, Topic]:
    """The deliberation hall's topics (known by title) and their sessions (by day and form);
    sessions of the demo topics that the demo does not have are removed."""
    specs = demo_data.topic_specs()
    existing = {t.title: t for t in Topic.objects.filter(community=ctx.community, title__in=[s["title"] for s in specs])}
    rows, topics = [], {}
    for spec in specs:
        topic = existing.get(spec["title"])
        before = _state(topic, TOPIC_FIELDS) if topic else None
        topic = topic or Topic(community=ctx.community, title=spec["title"])
        for name in TOPIC_FIELDS[:-2]:
            setattr(topic, name, spec[name])
        topic.outcome = spec["outcome"]
        topic.created_by = ctx.users["staff"]
        rows.append((topic, before))
        topics[spec["title"]] = topic
    _save_all(Topic, rows, TOPIC_FIELDS)
    topic_ids = [t.pk for t in topics.values()]
    wanted = {(topics[s["title"]].pk, ctx.cells[number].pk) for s in specs for number in s["cells"]}
    _sync_through(Topic.grid_cells.through, "topic", "gridcell", topic_ids, wanted)

    stored = {(s.topic_id, s.held_on, s.form): s for s in Session.objects.filter(topic_id__in=topic_ids).order_by("pk")}
    wanted_keys = {(topics[s["title"]].pk, item["held_on"], item["form"]) for s in specs for item in s["sessions"]}
    Session.objects.filter(pk__in=[s.pk for key, s in stored.items() if key not in wanted_keys]).delete()
    rows, sessions = [], []
    for spec in specs:
        topic = topics[spec["title"]]
        for item in spec["sessions"]:
            session = stored.get((topic.pk, item["held_on"], item["form"]))
            before = _state(session, SESSION_FIELDS) if session else None
            session = session or Session(topic=topic, held_on=item["held_on"], form=item["form"])
            for name in ("place", "residents_count", "representatives", "minutes", "decision"):
                setattr(session, name, item[name])
            session.property_company = companies[item["company"]] if item["company"] else None
            rows.append((session, before))
            sessions.append((session, item))
    _save_all(Session, rows, SESSION_FIELDS)
    session_ids = [session.pk for session, _ in sessions]
    _sync_through(
        Session.members.through, "session", "partymember", session_ids,
        {(session.pk, ctx.members[i].pk) for session, item in sessions for i in item["members"]},
    )
    _sync_through(
        Session.units.through, "session", "cobuildingunit", session_ids,
        {(session.pk, ctx.units[demo_data.unit_index(name)].pk) for session, item in sessions for name in item["units"]},
    )
    return topics


def demo_appeals(community: Community):
    """The community's demo appeals: those whose tracking code has the demo's form (DEMA...)."""
    pattern = rf"^{demo_data.APPEAL_CODE_PREFIX}[{APPEAL_CODE_ALPHABET}]{{6}}$"
    return Appeal.objects.filter(community=community, code__regex=pattern)


def _seed_appeals(ctx: DemoContext, specs: list[dict], topics: dict[str, Topic]) -> dict[str, Appeal]:
    """Appeals with their whole history, known by tracking code (DEMA...); demo appeals the
    demo no longer has are removed, events of an appeal whose history differs are written again."""
    codes = [spec["code"] for spec in specs]
    demo_appeals(ctx.community).exclude(code__in=codes).delete()
    users = {name: user.pk for name, user in ctx.users.items()}
    existing = {a.code: a for a in Appeal.objects.filter(code__in=codes)}
    rows, appeals = [], {}
    for spec in specs:
        appeal = existing.get(spec["code"])
        before = _state(appeal, APPEAL_FIELDS) if appeal else None
        appeal = appeal or Appeal(code=spec["code"])
        appeal.community = ctx.community
        for name in (
            "source", "status", "category", "title", "description", "resident_name", "resident_phone", "address_detail",
            "consent_at", "answer", "received_at", "waiting_since", "answered_at", "closed_at", "reopened_count",
            "respond_by", "responded_at", "rating", "rating_comment", "rated_at",
        ):
            setattr(appeal, name, spec[name])
        appeal.rated_by_id = users[spec["rated_by"]] if spec["rated_by"] else None
        appeal.grid_cell = ctx.cells[spec["cell_number"]]
        appeal.building = ctx.buildings[(spec["cell_number"], spec["building"])]
        appeal.entered_by_id = users[spec["entered_by"]] if spec["entered_by"] else None
        assigned = spec["assigned_to"]
        appeal.assigned_to_user_id = users[assigned] if isinstance(assigned, str) else None
        appeal.assigned_to_unit = ctx.units[demo_data.unit_index(assigned[1])] if isinstance(assigned, tuple) else None
        appeal.topic = topics[spec["topic"]] if spec["topic"] else None
        rows.append((appeal, before))
        appeals[spec["code"]] = appeal
    _save_all(Appeal, rows, APPEAL_FIELDS)

    wanted = {
        appeals[spec["code"]].pk: [
            (e["from_status"], e["to_status"], users.get(e["actor"]), e["by_resident"], e["note"], e["created_at"], e["is_contact"])
            for e in spec["events"]
        ]
        for spec in specs
    }
    stored = {pk: [] for pk in wanted}
    for row in AppealEvent.objects.filter(appeal_id__in=wanted).order_by("created_at", "pk").values_list("appeal_id", *APPEAL_EVENT_FIELDS):
        stored[row[0]].append(row[1:])
    stale = [pk for pk, events in wanted.items() if stored[pk] != events]
    AppealEvent.objects.filter(appeal_id__in=stale).delete()
    AppealEvent.objects.bulk_create(
        AppealEvent(appeal_id=pk, **dict(zip(APPEAL_EVENT_FIELDS, event))) for pk in stale for event in wanted[pk]
    )
    return appeals


def _seed_visits(ctx: DemoContext, specs: list[dict], appeals: dict[str, Appeal]) -> None:
    """Visits, known by (household, day, kind), linked to the appeals and cases they turned into,
    and the office's comments on some of them (known by visit, author and text)."""
    users = {name: user.pk for name, user in ctx.users.items()}
    case_keys = {spec["case"] for spec in specs if spec["case"]}
    cases = {
        (c.resident_name, c.problem, c.opened_on): c.pk
        for c in SpecialGroupCase.objects.filter(
            community=ctx.community, resident_name__in={key[0] for key in case_keys}
        ).only("pk", "resident_name", "problem", "opened_on")
    }
    existing = {
        (v.household, v.visited_on, v.kind): v
        for v in VisitLog.objects.filter(community=ctx.community, household__in={s["household"] for s in specs})
    }
    rows, visits = [], []
    for spec in specs:
        visit = existing.get((spec["household"], spec["visited_on"], spec["kind"]))
        before = _state(visit, VISIT_FIELDS) if visit else None
        visit = visit or VisitLog(
            community=ctx.community, household=spec["household"], visited_on=spec["visited_on"], kind=spec["kind"]
        )
        visit.grid_cell = ctx.cells[spec["cell_number"]]
        visit.building = ctx.buildings[(spec["cell_number"], spec["building"])]
        visit.findings = spec["findings"]
        visit.follow_up_needed = spec["follow_up_needed"]
        visit.follow_up_done_on = spec["follow_up_done_on"]
        visit.visitor_id = users[spec["visitor"]]
        visit.appeal = appeals[spec["appeal"]] if spec["appeal"] else None
        visit.special_case_id = cases.get(spec["case"]) if spec["case"] else None
        rows.append((visit, before))
        visits.append(visit)
    _save_all(VisitLog, rows, VISIT_FIELDS)

    stored = set(
        VisitComment.objects.filter(visit__in=visits).values_list("visit_id", "author_id", "text")
    )
    VisitComment.objects.bulk_create(
        VisitComment(visit=visit, author_id=users[author], text=text, created_at=at)
        for visit, spec in zip(visits, specs)
        for author, text, at in spec["comments"]
        if (visit.pk, users[author], text) not in stored
    )


def _seed_proxy_services(ctx: DemoContext, companies: dict[str, PropertyCompany]) -> None:
    """Errands at the proxy windows, known by (resident, kind, day received); demo ones
    (residents' phones 1990003xxxx) the demo no longer has are removed."""
    specs = demo_data.proxy_service_specs()
    demo = ProxyService.objects.filter(
        community=ctx.community, resident_phone__regex=rf"^{demo_data.GRID_PHONE_PREFIX}\d{{4}}$"
    )
    existing = {(p.resident_name, p.kind, p.received_on): p for p in demo}
    keys = {(s["resident_name"], s["kind"], s["received_on"]) for s in specs}
    demo.exclude(pk__in=[p.pk for key, p in existing.items() if key in keys]).delete()
    rows = []
    for spec in specs:
        service = existing.get((spec["resident_name"], spec["kind"], spec["received_on"]))
        before = _state(service, PROXY_FIELDS) if service else None
        service = service or ProxyService(
            community=ctx.community, resident_name=spec["resident_name"], kind=spec["kind"], received_on=spec["received_on"]
        )
        service.company = companies[spec["company"]] if spec["company"] else None
        for name in ("description", "resident_phone", "handled_by_name", "status", "done_on", "note"):
            setattr(service, name, spec[name])
        service.building = ctx.buildings[(spec["cell_number"], spec["building"])]
        service.handled_by = ctx.users[spec["handled_by"]] if spec["handled_by"] else None
        rows.append((service, before))
    _save_all(ProxyService, rows, PROXY_FIELDS)


def _seed_stations(ctx: DemoContext) -> None:
    """Stations and micro party schools (known by name) and their content updates: those of
    2023 known by (day, title), the recent ones by title alone (they move with the day of the run)."""
    specs = demo_data.station_specs(timezone.localdate())
    existing = {s.name: s for s in Station.objects.filter(community=ctx.community, name__in=[s["name"] for s in specs])}
    rows, stations = [], []
    for spec in specs:
        station = existing.get(spec["name"])
        before = _state(station, STATION_FIELDS) if station else None
        station = station or Station(community=ctx.community, name=spec["name"])
        for name in ("kind", "location", "opening_hours", "contact_name", "contact_phone", "update_every_days"):
            setattr(station, name, spec[name])
        station.grid_cell = ctx.cells[spec["cell_number"]]
        station.building = ctx.buildings[(spec["cell_number"], spec["building"])] if spec["building"] else None
        station.active_since = demo_data.PLACES_SINCE
        station.is_active, station.inactive_since = True, None
        rows.append((station, before))
        stations.append(station)
    _save_all(Station, rows, STATION_FIELDS)

    users = {name: user.pk for name, user in ctx.users.items()}
    stored = list(StationUpdate.objects.filter(station__in=stations).order_by("pk"))
    by_day = {(u.station_id, u.updated_on, u.title): u for u in reversed(stored)}
    by_title = {(u.station_id, u.title): u for u in reversed(stored)}
    taken, rows = set(), []
    for station, spec in zip(stations, specs):
        for item in spec["updates"]:
            if item["recent"]:
                update = by_title.get((station.pk, item["title"]))
            else:
                update = by_day.get((station.pk, item["updated_on"], item["title"]))
            update = update if update is not None and update.pk not in taken else None
            if update is not None:
                taken.add(update.pk)
            before = _state(update, STATION_UPDATE_FIELDS) if update else None
            update = update or StationUpdate(station=station, title=item["title"])
            update.updated_on = item["updated_on"]
            update.kind = item["kind"]
            update.note = item["note"]
            update.created_by_id = users[item["created_by"]]
            rows.append((update, before))
    _save_all(StationUpdate, rows, STATION_UPDATE_FIELDS)


def seed_grid_work(ctx: DemoContext) -> None:
    """The story's 2023 grid work and deliberation hall: door-knocking visits of every kind,
    residents' appeals (some reopened, four still waiting at the year's end), two property
    companies with their proxy windows, 8 topics settled in the red deliberation hall in
    bench talks, courtyard evenings and hall meetings (parking and merging small compounds
    among them), 2 red vanguard stations and 6 micro party schools with their content."""
    companies = _seed_property_companies(ctx)
    topics = _seed_topics(ctx, companies)
    appeal_specs = demo_data.appeal_specs()
    appeals = _seed_appeals(ctx, appeal_specs, topics)
    _seed_visits(ctx, demo_data.visit_specs(appeal_specs, demo_data.case_specs()), appeals)
    _seed_proxy_services(ctx, companies)
    _seed_stations(ctx)

    start, end, ids = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31), [ctx.community.pk]
    grid = grid_work_figures(start, end, community_ids=ids)
    hall = council_figures(start, end, community_ids=ids)
    ctx.summary.append(
        f"Grid work 2023: visits {grid['visits']} ({len(grid['visits_by_kind'])} kinds), appeals received "
        f"{grid['appeals_received']}, answered {grid['appeals_answered']}, reopened {grid['appeals_reopened']}, "
        f"overdue at the year's end {grid['appeals_overdue']}"
    )
    forms = hall["sessions_by_form"]
    ctx.summary.append(
        f"Deliberation hall 2023: topics settled {hall['deliberation_topics_resolved']}, sessions {hall['sessions_held']} "
        f"(bench talks {forms.get('bench', 0)}, courtyard evenings {forms.get('courtyard', 0)}, hall meetings "
        f"{forms.get('hall', 0)}); proxy services handled {hall['proxy_services_handled']}; "
        f"stations {grid['stations']}, micro party schools {grid['micro_schools']}"
    )


# Run in this order; other apps' steps go after seed_members (volunteers after wishes: wish points;
# grid work after volunteers: visits link special-group cases).
STEPS = [
    seed_community,
    seed_grid,
    seed_units,
    seed_users,
    seed_members,
    seed_wishes,
    seed_volunteers,
    seed_grid_work,
]


# The models whose changes are recorded (django-simple-history).
HISTORY_MODELS = (PartyMember, CoBuildingUnit, MicroWish, VolunteerEvent, Participation, Appeal, Topic)


class Command(BaseCommand):
    help = (
        "Create the demo community 沙河街社区 with synthetic grid cells, co-building units, "
        "party members, micro-wishes, volunteer service, grid work, the deliberation hall and five demo logins. "
        "Safe to run again. "
        "For development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password of the five demo logins (set again on every run). "
            "Without it a random password is generated and printed.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a community.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off.",
        )
        parser.add_argument(
            "--scale",
            choices=sorted(scale_data.SCALES),
            help="Also build a large synthetic data set next to the demo (county: 100 communities, "
            "city: 1,000 in 10 districts of 10 streets; three years; see demo/scale_data.py). "
            "Done once: a second run leaves it alone.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: refusing to seed demo data. The demo creates accounts with known "
                "passwords, which must not exist in production. Use --force if you really mean it."
            )
        if options["if_empty"] and Community.objects.exists():
            self.stdout.write("Database already has data; demo not seeded.")
            return

        password = options["password"]
        if password is not None and not password.strip():
            raise CommandError("--password must not be empty.")
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12) + "-Aa1"  # all four kinds: passes the password rules

        ctx = DemoContext(password=password)
        with transaction.atomic():
            for step in STEPS:
                step(ctx)
            # The demo's bulk inserts bypass the record histories: give every record
            # its first history entry, so that the first edit shows old -> new values.
            record_missing_histories(HISTORY_MODELS)

        self.write_summary(ctx, generated)
        if options["scale"]:
            self.seed_scale(options["scale"], password)

    def seed_scale(self, name: str, password: str) -> None:
        began = time.monotonic()
        self.stdout.write(f"Building the {name}-scale data set...")
        counts = scale_data.seed_scale(name, password_hash=make_password(password), log=self.stdout.write)
        if counts is None:
            self.stdout.write("A large data set is already there: nothing done (one per database).")
            return
        self.stdout.write(self.style.SUCCESS(f"{name.capitalize()}-scale data ready in {time.monotonic() - began:.1f} s:"))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count:,}")
        prefix = scale_data.SCALES[name].prefix
        self.stdout.write(f"  Logins {prefix}NNN-staff, -grid, -member (password as above).")
        if scale_data.SCALES[name].districts:
            self.stdout.write(f"  Area admins {prefix.rstrip('-')}-admin (the city), {prefix}d01-admin (a district), "
                              f"{prefix}d01-s01-admin (a street).")

    def write_summary(self, ctx: DemoContext, generated: bool) -> None:
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        for line in ctx.summary:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Logins (password for all five: {ctx.password}):")
        width = max(len(username) for username in ctx.users)
        for username, user in ctx.users.items():
            role = User.Role(user.role).label
            self.stdout.write(f"  {username.ljust(width)}  {role} ({user.full_name})")
        if generated:
            self.stdout.write("The password was generated; pass --password to choose one.")
        self.stdout.write(f"Open {URL} and log in.")
