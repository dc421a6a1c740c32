"""`manage.py seed_demo`: build the story's community with synthetic data.

The portal's own figures for 2023 then give the story's numbers: 26 co-building
units, 268 in-service party members registered and reported (100%), micro-wishes
fulfilled for 76 residents. Five demo logins (admin, staff, grid, member, unit)
share one password.

Running it again updates the same records (natural keys: community code, grid
cell number, building name, unit name, member phone, username, wish tracking
code), so the counts never grow. The data come from `portal.demo_data` and are
the same every run.

To add another app's part of the story, write a step `def seed_xxx(ctx: DemoContext)`
that uses `ctx.community`, `ctx.users`, `ctx.units`, `ctx.members`, ..., creates its
records idempotently, appends a line to `ctx.summary`, and add it to `STEPS`.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grid.models import Building, CoBuildingUnit, Community, GridCell, PartyMember
from grid.services import tags_from_text
from portal import demo_data
from portal.models import User
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
    for key, value in data.items():
        setattr(community, key, value)
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
            community=ctx.community, name=spec["name"], defaults={**values, "is_active": True}
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
    "wisher_name", "wisher_phone", "grid_cell", "building", "address_detail", "consent_at", "entered_by",
    "submitted_at", "published_at", "claimed_at", "delivered_at", "fulfilled_at", "rejected_at", "reject_reason",
    "claimed_by_member", "claimed_by_unit", "delivery_note", "delivery_photo", "thank_you_note",
]
EVENT_FIELDS = ["from_status", "to_status", "actor_id", "by_resident", "note", "created_at"]


def _wish_state(wish: MicroWish) -> tuple:
    """The values of WISH_FIELDS (ids for relations, names for files), to skip unchanged wishes."""
    values = []
    for name in WISH_FIELDS:
        value = getattr(wish, MicroWish._meta.get_field(name).attname)
        values.append(value.name or "" if hasattr(value, "name") else value)
    return tuple(values)


def seed_wishes(ctx: DemoContext) -> None:
    """Micro-wishes 2022-2024 with their whole history: in 2023, wishes of 76 residents came true.

    Demo wishes are known by their tracking codes (DEMW...): a run updates them
    in place (bulk), rewrites the events of those whose history differs, and
    removes demo wishes the demo data no longer has. Other wishes are left alone.
    """
    specs = demo_data.wish_specs()
    codes = [spec["code"] for spec in specs]
    demo_code = rf"^{demo_data.WISH_CODE_PREFIX}[{CODE_ALPHABET}]{{{len(codes[0]) - len(demo_data.WISH_CODE_PREFIX)}}}$"
    MicroWish.objects.filter(community=ctx.community, code__regex=demo_code).exclude(code__in=codes).delete()

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
        ):
            setattr(wish, name, spec[name])
        wish.photo = wish.delivery_photo = ""
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


# Run in this order; other apps' steps (wishes, volunteers) go after seed_members.
STEPS = [
    seed_community,
    seed_grid,
    seed_units,
    seed_users,
    seed_members,
    seed_wishes,
]


class Command(BaseCommand):
    help = (
        "Create the demo community 沙河街社区 with synthetic grid cells, co-building units, "
        "party members, micro-wishes and five demo logins. Safe to run again. For development only."
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
            password = secrets.token_urlsafe(12)

        ctx = DemoContext(password=password)
        with transaction.atomic():
            for step in STEPS:
                step(ctx)

        self.write_summary(ctx, generated)

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
