"""Large synthetic data: `manage.py seed_demo --scale county` (or `--scale city`).

Next to the story's community, a county of 100 communities with three years of
records, to measure the portal at a hundred times the demo's size:

    100 communities, 2,000 grid cells, 6,000 buildings, 500 co-building units,
    10,000 party members, 50,000 micro-wishes in every state (with their steps),
    20,000 volunteer events with 200,000 attendances, 20,000 visit logs,
    10,000 appeals (with their steps), and a few special-group cases, topics,
    property companies, proxy services and stations per community;
    per community three logins: `county-NNN-staff`, `county-NNN-grid`,
    `county-NNN-member` (the demo's password; the area admin is the demo's `admin`).

Everything is made up: names are drawn from the demo's syllable pools with a
fixed seed, phone numbers come from the reserved range 1991xxxxxxx-1996xxxxxxx
(the demo uses 1990xxxxxxx), tracking codes start with `Z` and check-in codes with
`Z` (random codes can start with Z too: existing ones are skipped). Rows are written
with `bulk_create` in batches, in one transaction, without record histories.

The city set (`--scale city`) is ten counties' worth in a city's tree of areas:
示例市 > 10 districts > 10 streets each > 10 communities each, 1,000 communities
with the county's records per community (500,000 wishes, 2,000,000 attendances),
codes `city-0001` ... `city-1000`, the same three logins per community
(`city-0001-staff`, ...), and an area admin per area: `city-admin` (the city),
`city-d01-admin` (a district), `city-d01-s01-admin` (a street). It is built a
hundred communities at a time, so that memory stays bounded.

Running it again does nothing (a set's communities are known by their codes);
one database holds one of the sets: delete the database to build another.
"""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from council.models import PropertyCompany, ProxyService, Session, Topic
from demo import demo_data
from grid.models import (
    Appeal,
    AppealEvent,
    Building,
    CoBuildingUnit,
    GridCell,
    PartyMember,
    Station,
    StationUpdate,
    VisitLog,
)
from portal.models import Area, Community, RoleGrant, User
from portal.privacy import resident_key
from portal.tracking import CODE_ALPHABET, CODE_LENGTH
from volunteers import tallies
from volunteers.models import (
    CHECKIN_ALPHABET,
    EventKind,
    Participation,
    ServiceProject,
    SpecialGroupCase,
    VolunteerEvent,
    VolunteerTeam,
)
from wishes.models import MicroWish, WishEvent

SEED = 20230
CODE_PREFIX = "county-"  # the county set's (SCALES["county"].prefix)
TZ = ZoneInfo("Asia/Shanghai")
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    communities: int
    cells: int  # per community
    buildings: int  # per cell
    units: int  # per community
    members: int  # per community
    wishes: int  # per community
    events: int  # per community
    attendances: int  # per event
    visits: int  # per community
    appeals: int  # per community
    cases: int  # per community
    topics: int  # per community
    proxies: int  # per community
    stations: int  # per community
    years: int = 3
    districts: int = 0  # 0: one county (示例县) with TOWN_NAMES' streets; else a city of this many districts
    streets: int = 0  # per district (a city only)
    prefix: str = CODE_PREFIX  # of the communities' codes and logins


SCALES = {
    "county": Scale(
        communities=100, cells=20, buildings=3, units=5, members=100, wishes=500, events=200, attendances=10,
        visits=200, appeals=100, cases=10, topics=3, proxies=20, stations=2,
    ),
    "city": Scale(
        communities=1000, cells=20, buildings=3, units=5, members=100, wishes=500, events=200, attendances=10,
        visits=200, appeals=100, cases=10, topics=3, proxies=20, stations=2, districts=10, streets=10, prefix="city-",
    ),
    # Small ones for the tests of this module.
    "tiny": Scale(
        communities=3, cells=2, buildings=2, units=2, members=12, wishes=30, events=8, attendances=4,
        visits=10, appeals=8, cases=2, topics=1, proxies=2, stations=1,
    ),
    "tiny-city": Scale(
        communities=8, cells=2, buildings=2, units=2, members=6, wishes=10, events=4, attendances=3,
        visits=4, appeals=4, cases=1, topics=1, proxies=1, stations=1, districts=2, streets=2, prefix="city-",
    ),
}
PREFIXES = sorted({scale.prefix for scale in SCALES.values()})
CHUNK = 100  # communities built at a time (their records are dropped from memory after each)
CITY_NAME = "示例市"
DISTRICT_NAMES = ["东城区", "西城区", "南湖区", "北山区", "河东区", "河西区", "高新区", "新城区", "滨江区", "开发区"]

TOWN_NAMES = ["城关镇", "沙河镇", "平川镇", "板桥镇", "鸭暖镇", "倪家营镇", "新华镇", "蓼泉镇", "明海镇", "小屯镇"]
NAME_FIRST = "东西南北中新和平安康乐民兴富裕春华秋实丰泽宁兰"
NAME_SECOND = "苑园湖桥林山河川庄城门街巷坊里亭塘"
WISH_ITEMS = {
    "study": ["一个新书包", "一套课外读物", "一盏护眼台灯", "一套文具", "一本新华字典"],
    "daily": ["一床厚棉被", "一袋大米和一桶油", "一件冬季棉衣", "一台电饭煲", "一双保暖鞋"],
    "repair": ["修好漏水的水龙头", "换一个楼道灯泡", "修理坏掉的门锁", "修好窗户纱窗", "疏通下水道"],
    "company": ["有人陪我聊聊天", "周末陪老人散步", "帮我读读报纸", "陪孩子做作业", "教我用智能手机"],
    "health": ["量一次血压", "一副老花镜", "一台血压计", "一个助行器", "一次上门体检"],
    "other": ["帮忙拍一张全家福", "一盆绿植", "帮忙写一封信", "一台收音机", "一套象棋"],
}
APPEAL_TITLES = {
    "environment": ["楼道堆放杂物", "垃圾清运不及时", "绿化带无人修剪"],
    "property": ["小区停车难", "物业费公示不清", "电梯经常停运"],
    "facilities": ["路灯不亮", "健身器材损坏", "单元门禁坏了"],
    "neighbours": ["楼上噪音扰民", "邻居占用公共空间", "宠物扰民"],
    "safety": ["电动车楼道充电", "消防通道被占", "井盖松动"],
    "assistance": ["申请临时救助", "咨询低保办理", "高龄补贴未到账"],
    "other": ["咨询政策", "建议增设休息椅", "反映快递乱放"],
}
VISIT_FINDINGS = [
    "家中一切正常，宣传了垃圾分类政策。", "独居老人，身体尚好，叮嘱注意保暖。", "反映楼道灯不亮，已记录。",
    "邻里因噪音有矛盾，已初步调解。", "登记家庭人口变动信息。", "了解就业需求，推荐了招聘信息。",
]
EVENT_TITLES = ["政策宣传进楼院", "义务理发", "义诊进社区", "文艺汇演", "爱心助餐", "结对帮扶走访", "矛盾纠纷调解", "环境卫生整治"]
CASE_PROBLEMS = ["家中电路老化", "行动不便需助浴", "孩子课业辅导", "房屋漏雨", "申请轮椅", "独居需定期探访"]
TOPIC_TITLES = ["小区停车位规划", "老旧小区加装电梯", "合并小散院落管理", "楼道杂物清理公约", "增设充电桩"]


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _code(index: int, alphabet: str, length: int, prefix: str = "Z") -> str:
    """A deterministic code: `prefix` + `index` in base len(alphabet), zero-padded."""
    digits = []
    base = len(alphabet)
    for _ in range(length - len(prefix)):
        index, rest = divmod(index, base)
        digits.append(alphabet[rest])
    return prefix + "".join(reversed(digits))


class Codes:
    """Unique codes of a kind, skipping those already in the database."""

    def __init__(self, taken, alphabet, length):
        self.taken, self.alphabet, self.length, self.next = set(taken), alphabet, length, 0

    def __call__(self) -> str:
        while True:
            code = _code(self.next, self.alphabet, self.length)
            self.next += 1
            if code not in self.taken:
                return code


class People:
    """Synthetic (name, gender) pairs from the demo's pools; names may repeat, as in life."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> tuple[str, str]:
        rng = self.rng
        while True:
            gender = "male" if rng.random() < 0.55 else "female"
            own = demo_data.MALE_CHARS if gender == "male" else demo_data.FEMALE_CHARS
            given = rng.choice(own) if rng.random() < 0.3 else rng.choice(demo_data.COMMON_CHARS + own) + rng.choice(own)
            name = rng.choice(demo_data.SURNAMES) + given
            if name not in demo_data.RESERVED_NAMES:
                return name, gender


def _bulk(model, objs: list) -> list:
    model.objects.bulk_create(objs, batch_size=BATCH)
    return objs


def _with_grants(users: list) -> list:
    """Bulk-created users, each with the grant of its role (what User.save() adds one
    by one), so that "My roles" lists it as for any account."""
    _bulk(User, users)
    _bulk(RoleGrant, [RoleGrant(user=user, **{name: getattr(user, name) for name in RoleGrant.FIELDS}) for user in users])
    return users


class CountyBuilder:
    def __init__(self, scale: Scale, password_hash: str, today: datetime.date, log=print):
        self.s = scale
        self.password_hash = password_hash
        self.today = today
        self.start = today - datetime.timedelta(days=365 * scale.years - 1)
        self.rng = random.Random(SEED)
        self.person = People(self.rng)
        self.log = log
        self.counts: dict[str, int] = {}
        self._codes: dict = {}

    # helpers -----------------------------------------------------------------------

    def day(self, low=None, high=None) -> datetime.date:
        low, high = low or self.start, high or self.today
        return low + datetime.timedelta(days=self.rng.randint(0, max((high - low).days, 0)))

    def left_on(self, record, since: datetime.date):
        """An inactive record's last day: a year after it started, or today (no random draw:
        the records after it stay the same)."""
        return None if record.is_active else min(since + datetime.timedelta(days=365), self.today)

    def at(self, day: datetime.date) -> datetime.datetime:
        return _local(day, self.rng.randint(8, 19), self.rng.choice((0, 10, 20, 30, 40, 50)))

    def later(self, when: datetime.datetime, low_hours: int, high_hours: int) -> datetime.datetime:
        return when + datetime.timedelta(hours=self.rng.randint(low_hours, high_hours), minutes=self.rng.randint(0, 59))

    def phone(self, kind: int, community: int, index: int) -> str:
        """199 + kind (1-6) + community (3 digits; the city's 1000th is 000) + index (4 digits):
        11 digits, reserved range, unique within a data set."""
        return f"199{kind}{community % 1000:03d}{index:04d}"

    def count(self, label, n):
        self.counts[label] = self.counts.get(label, 0) + n

    # steps -------------------------------------------------------------------------

    def numbered(self):
        """(the community's number in the data set, from 1; the community) of this chunk."""
        return ((self.number[c.pk], c) for c in self.communities_)

    def codes(self, model, field, alphabet, length) -> Codes:
        """The data set's source of unique codes for `model.field` (read once, kept across chunks)."""
        key = (model, field)
        if key not in self._codes:
            self._codes[key] = Codes(model.objects.values_list(field, flat=True), alphabet, length)
        return self._codes[key]

    def build(self):
        self.areas()
        self.communities()
        every = self.communities_
        steps = [self.grid, self.units, self.users, self.members, self.wishes, self.volunteers, self.grid_work, self.council]
        took = dict.fromkeys((step.__name__ for step in steps), 0.0)
        for first in range(0, len(every), CHUNK):
            # A chunk of communities with all their records, then its objects are let go.
            self.communities_ = every[first:first + CHUNK]
            began = time.monotonic()
            for step in steps:
                started = time.monotonic()
                step()
                took[step.__name__] += time.monotonic() - started
            if len(every) > CHUNK:
                self.log(f"  communities {first + 1}-{first + len(self.communities_)}: {time.monotonic() - began:.1f} s")
        self.communities_ = every
        self.area_admins()
        for name, seconds in took.items():
            self.log(f"  {name}: {seconds:.1f} s")
        return self.counts

    def areas(self):
        """The tree above the communities; self.streets: the street of each community, in order."""
        s = self.s
        if not s.districts:
            county = Area.objects.create(code=f"{s.prefix}county", name="示例县", level=Area.Level.DISTRICT)
            streets = [
                Area.objects.create(code=f"{s.prefix}street-{n:02d}", name=town, level=Area.Level.STREET, parent=county)
                for n, town in enumerate(TOWN_NAMES, start=1)
            ]
            self.top = county
        else:
            city = Area.objects.create(code=s.prefix.rstrip("-"), name=CITY_NAME, level=Area.Level.CITY)
            streets = []
            for d in range(1, s.districts + 1):
                district = Area.objects.create(
                    code=f"{s.prefix}d{d:02d}", name=DISTRICT_NAMES[(d - 1) % len(DISTRICT_NAMES)]
                    + ("" if d <= len(DISTRICT_NAMES) else str(d)), level=Area.Level.DISTRICT, parent=city,
                )
                names = set()
                for n in range(1, s.streets + 1):
                    while True:
                        name = self.rng.choice(NAME_FIRST) + self.rng.choice(NAME_SECOND) + "街道"
                        if name not in names:
                            names.add(name)
                            break
                    streets.append(Area.objects.create(
                        code=f"{district.code}-s{n:02d}", name=name, level=Area.Level.STREET, parent=district,
                    ))
            self.top = city
        # Communities go round the streets (the county's) or fill them in turn (a city's).
        per_street = -(-s.communities // len(streets))
        self.streets = [
            streets[(i - 1) % len(streets)] if not s.districts else streets[min((i - 1) // per_street, len(streets) - 1)]
            for i in range(1, s.communities + 1)
        ]
        self.count("areas", Area.objects.within(self.top).count())

    def communities(self):
        names, rows = set(), []
        width = 4 if self.s.communities >= 1000 else 3
        for i, street in enumerate(self.streets, start=1):
            county = street.parent.name if street.parent.level == Area.Level.DISTRICT else ""
            while True:
                name = self.rng.choice(NAME_FIRST) + self.rng.choice(NAME_SECOND) + "社区"
                if (street.pk, name) not in names:
                    names.add((street.pk, name))
                    break
            rows.append(
                Community(
                    code=f"{self.s.prefix}{i:0{width}d}", name=name, town=street.name, county=county, area=street,
                    address=f"{county}{street.name}示例路{i}号（演示地址）", phone=f"0936-{5550000 + i}",
                )
            )
        self.communities_ = _bulk(Community, rows)
        self.number = {c.pk: i for i, c in enumerate(rows, start=1)}
        self.count("communities", len(rows))

    def area_admins(self):
        """A city's area admins: one for the city and one for each district and street
        (a county has none of its own: the demo's `admin` sees everything)."""
        if not self.s.districts:
            return
        areas = Area.objects.within(self.top).order_by("path")
        rows = [
            User(
                username=f"{area.code}-admin", role=User.Role.AREA_ADMIN, area=area, full_name=self.person()[0],
                password=self.password_hash, is_active=True,
            )
            for area in areas
        ]
        _with_grants(rows)
        self.count("area admins", len(rows))

    def grid(self):
        cells = []
        for c in self.communities_:
            for n in range(1, self.s.cells + 1):
                cells.append(GridCell(
                    community=c, number=n, name=f"第{n}网格", households=self.rng.randint(150, 400),
                    population=self.rng.randint(400, 1100), boundary="（演示）",
                ))
        _bulk(GridCell, cells)
        self.cells = {}
        for cell in cells:
            self.cells.setdefault(cell.community_id, []).append(cell)
        buildings = [
            Building(grid_cell=cell, name=f"{cell.number}区{b}号楼", households=self.rng.randint(40, 120))
            for cell in cells
            for b in range(1, self.s.buildings + 1)
        ]
        _bulk(Building, buildings)
        self.buildings = {}
        for building in buildings:
            self.buildings.setdefault(building.grid_cell_id, []).append(building)
        self.count("grid cells", len(cells))
        self.count("buildings", len(buildings))

    def units(self):
        kinds = [k for k, _ in CoBuildingUnit.Kind.choices]
        rows = []
        for ci, c in self.numbered():
            for u in range(1, self.s.units + 1):
                liaison, _ = self.person()
                signed = self.day()
                rows.append(CoBuildingUnit(
                    community=c, name=f"{c.name}共建单位{u}", kind=kinds[(ci + u) % len(kinds)],
                    party_organization=f"共建单位{u}党支部", liaison_name=liaison,
                    liaison_phone=self.phone(1, ci, 9000 + u), agreement_signed_on=signed,
                    reported_on=signed if self.rng.random() < 0.8 else None, resources="场地、志愿者（演示）",
                    commitments="每年开展志愿服务（演示）", is_active=self.rng.random() < 0.95,
                ))
                rows[-1].inactive_since = self.left_on(rows[-1], signed)
        _bulk(CoBuildingUnit, rows)
        self.units_ = {}
        for unit in rows:
            self.units_.setdefault(unit.community_id, []).append(unit)
        self.count("co-building units", len(rows))

    def users(self):
        rows = []
        for ci, c in self.numbered():
            for role, suffix in ((User.Role.STAFF, "staff"), (User.Role.GRID_WORKER, "grid"), (User.Role.MEMBER, "member")):
                rows.append(User(
                    username=f"{c.code}-{suffix}", role=role, community=c, full_name=self.person()[0],
                    password=self.password_hash, is_active=True,
                ))
        _with_grants(rows)
        self.staff, self.grid_user, self.member_user = {}, {}, {}
        for user in rows:
            {"staff": self.staff, "grid_worker": self.grid_user, "member": self.member_user}[user.role][user.community_id] = user
        # The grid worker leads cell 1 and works in cells 1-3.
        through, leaders = GridCell.workers.through, []
        links = []
        for c in self.communities_:
            cells = self.cells[c.pk]
            cells[0].leader = self.grid_user[c.pk]
            leaders.append(cells[0])
            links += [through(gridcell_id=cell.pk, user_id=self.grid_user[c.pk].pk) for cell in cells[:3]]
        GridCell.objects.bulk_update(leaders, ["leader"], batch_size=BATCH)
        through.objects.bulk_create(links, batch_size=BATCH)
        self.count("users", len(rows))

    def members(self):
        rows = []
        for ci, c in self.numbered():
            units = self.units_[c.pk]
            for m in range(1, self.s.members + 1):
                name, gender = self.person()
                cell = self.rng.choice(self.cells[c.pk])
                registered = self.day()
                reported = (
                    min(registered + datetime.timedelta(days=self.rng.randint(0, 30)), self.today)
                    if self.rng.random() < 0.85 else None
                )
                in_unit = self.rng.random() < 0.8
                rows.append(PartyMember(
                    community=c, name=name, gender=gender, phone=self.phone(2, ci, m),
                    employer_unit=self.rng.choice(units) if in_unit else None,
                    employer_name="" if in_unit else "其他单位（演示）",
                    grid_cell=cell, building=self.rng.choice(self.buildings[cell.pk]),
                    joined_party_year=self.rng.randint(1975, 2022), is_active=self.rng.random() < 0.97,
                    source=self.rng.choice(("staff", "self", "import")), registered_on=registered, reported_on=reported,
                    reported_confirmed_by=self.staff[c.pk] if reported else None,
                ))
                rows[-1].inactive_since = self.left_on(rows[-1], registered)
        _bulk(PartyMember, rows)
        self.members_ = {}
        for member in rows:
            self.members_.setdefault(member.community_id, []).append(member)
        users = []
        for c in self.communities_:
            first = self.members_[c.pk][0]
            first.user = self.member_user[c.pk]
            users.append(first)
        PartyMember.objects.bulk_update(users, ["user"], batch_size=BATCH)
        self.count("party members", len(rows))

    def wishes(self):
        """Wishes in every state, spread over the years, each with its steps."""
        statuses = ["submitted"] * 4 + ["open"] * 8 + ["claimed"] * 8 + ["delivered"] * 5 + ["fulfilled"] * 65 + ["rejected"] * 10
        categories = list(WISH_ITEMS)
        codes = self.codes(MicroWish, "code", CODE_ALPHABET, CODE_LENGTH)
        wishes, steps = [], []
        for ci, c in self.numbered():
            staff = self.staff[c.pk]
            for w in range(1, self.s.wishes + 1):
                status = self.rng.choice(statuses)
                category = self.rng.choice(categories)
                name, _ = self.person()
                cell = self.rng.choice(self.cells[c.pk])
                # Recent wishes are the ones still waiting; older ones went further.
                low = self.today - datetime.timedelta(days=60) if status in ("submitted", "open", "claimed", "delivered") else None
                submitted = self.at(self.day(low=low))
                wish = MicroWish(
                    community=c, code=codes(), status=status, category=category,
                    title=self.rng.choice(WISH_ITEMS[category]), description="（演示数据）",
                    wisher_name=name, wisher_phone=self.phone(3, ci, w), wisher_key=resident_key(self.phone(3, ci, w)), grid_cell=cell,
                    building=self.rng.choice(self.buildings[cell.pk]), address_detail=f"{self.rng.randint(1, 6)}单元{self.rng.randint(1, 6)}0{self.rng.randint(1, 4)}室",
                    consent_at=submitted, entered_by=staff if self.rng.random() < 0.2 else None, submitted_at=submitted,
                )
                events = [("", "submitted", None, True, submitted)]
                now = submitted
                if status == "rejected":
                    wish.rejected_at = self.later(now, 2, 72)
                    wish.reject_reason = "不属于微心愿范围（演示）"
                    events.append(("submitted", "rejected", staff, False, wish.rejected_at))
                elif status != "submitted":
                    wish.published_at = now = self.later(now, 2, 72)
                    events.append(("submitted", "open", staff, False, now))
                    if status in MicroWish.HELD_STATUSES:
                        wish.claimed_at = now = self.later(now, 4, 200)
                        if self.rng.random() < 0.8:
                            wish.claimed_by_member = self.rng.choice(self.members_[c.pk])
                        else:
                            wish.claimed_by_unit = self.rng.choice(self.units_[c.pk])
                        events.append(("open", "claimed", None, False, now))
                    if status in ("delivered", "fulfilled"):
                        wish.delivered_at = now = self.later(now, 24, 300)
                        wish.delivery_note = "已送到（演示）"
                        events.append(("claimed", "delivered", None, False, now))
                    if status == "fulfilled":
                        wish.fulfilled_at = now = self.later(now, 2, 96)
                        wish.thank_you_note = self.rng.choice(demo_data.THANK_YOU_NOTES)
                        events.append(("delivered", "fulfilled", None, True, now))
                wishes.append(wish)
                steps.append(events)
        _bulk(MicroWish, wishes)
        rows = [
            WishEvent(wish_id=wish.pk, from_status=f, to_status=t, actor=actor, by_resident=by_resident, created_at=at)
            for wish, events in zip(wishes, steps)
            for f, t, actor, by_resident, at in events
        ]
        _bulk(WishEvent, rows)
        self.count("micro-wishes", len(wishes))
        self.count("wish steps", len(rows))

    def volunteers(self):
        kinds = list(EventKind.objects.filter(community__isnull=True).order_by("pk"))
        teams, projects = [], []
        for c in self.communities_:
            for t in (1, 2):
                teams.append(VolunteerTeam(
                    community=c, name=f"志愿服务{t}队", sponsor_unit=self.units_[c.pk][0],
                    leader=self.members_[c.pk][t], resident_volunteers="（演示）", active_since=self.start,
                ))
        _bulk(VolunteerTeam, teams)
        by_community = {}
        for team in teams:
            by_community.setdefault(team.community_id, []).append(team)
        through = VolunteerTeam.members.through
        links = [
            through(volunteerteam_id=team.pk, partymember_id=m.pk)
            for team in teams
            for m in self.rng.sample(self.members_[team.community_id], min(10, self.s.members))
        ]
        _bulk(through, links)
        for c in self.communities_:
            projects.append(ServiceProject(
                community=c, name="爱心助餐（演示）", description="（演示）", lead_team=by_community[c.pk][0],
                lead_unit=self.units_[c.pk][0], start_date=self.start,
            ))
        _bulk(ServiceProject, projects)
        project_of = {p.community_id: p for p in projects}

        codes = self.codes(VolunteerEvent, "checkin_code", CHECKIN_ALPHABET, 6)
        events, people = [], []
        now = datetime.datetime.now(TZ)
        for c in self.communities_:
            cells = self.cells[c.pk]
            for e in range(self.s.events):
                # The last 5% are planned in the coming weeks; the others spread over the years.
                upcoming = e >= self.s.events * 0.95
                day = self.today + datetime.timedelta(days=self.rng.randint(1, 40)) if upcoming else self.day()
                starts = _local(day, self.rng.choice((9, 10, 14, 15)), self.rng.choice((0, 30)))
                ends = starts + datetime.timedelta(minutes=self.rng.choice((90, 120, 150, 180)))
                status = "planned" if starts > now else ("cancelled" if self.rng.random() < 0.05 else "done")
                events.append(VolunteerEvent(
                    community=c, title=self.rng.choice(EVENT_TITLES), kind=self.rng.choice(kinds),
                    project=project_of[c.pk] if self.rng.random() < 0.3 else None,
                    team=self.rng.choice(by_community[c.pk]) if self.rng.random() < 0.6 else None,
                    unit=self.rng.choice(self.units_[c.pk]) if self.rng.random() < 0.3 else None,
                    starts_at=starts, ends_at=ends, place="社区党群服务中心（演示）", grid_cell=self.rng.choice(cells),
                    capacity=self.rng.choice((None, 20, 30)), description="（演示数据）", status=status,
                    residents_served=self.rng.randint(10, 80) if status == "done" else 0,
                    special_groups=["elderly_alone"] if status == "done" and self.rng.random() < 0.3 else [],
                    summary="活动顺利举行（演示）" if status == "done" else "", checkin_code=codes(),
                    created_by=self.staff[c.pk],
                ))
                people.append(self.rng.sample(self.members_[c.pk], min(self.s.attendances, self.s.members)))
        _bulk(VolunteerEvent, events)
        rows = []
        for event, members in zip(events, people):
            staff = self.staff[event.community_id]
            signed = event.starts_at - datetime.timedelta(days=self.rng.randint(1, 7))
            for member in members:
                p = Participation(event=event, member=member, signed_up_at=signed)
                if event.status == "done":
                    if self.rng.random() < 0.9:
                        p.checked_in_at = event.starts_at + datetime.timedelta(minutes=self.rng.randint(-20, 20))
                        p.checked_in_by = "self" if self.rng.random() < 0.8 else "staff"
                        p.hours = Decimal((event.ends_at - event.starts_at).seconds // 1800) / 2
                        if self.rng.random() < 0.85:
                            p.hours_approved_at = event.ends_at + datetime.timedelta(days=1)
                            p.hours_approved_by = staff
                elif event.status == "cancelled" or self.rng.random() < 0.05:
                    p.withdrawn_at = signed + datetime.timedelta(hours=1)
                rows.append(p)
        _bulk(Participation, rows)
        tallies.recount([event.pk for event in events])  # the bulk insert sent no signals
        self.count("volunteer teams", len(teams))
        self.count("volunteer events", len(events))
        self.count("attendances (participations)", len(rows))

        groups = [g for g, _ in SpecialGroupCase._meta.get_field("group").choices]
        cases = []
        for ci, c in self.numbered():
            for k in range(1, self.s.cases + 1):
                name, _ = self.person()
                opened = self.day()
                status = self.rng.choice(("open", "in_progress", "solved", "solved", "solved"))
                started = opened + datetime.timedelta(days=self.rng.randint(0, 5)) if status != "open" else None
                solved = started + datetime.timedelta(days=self.rng.randint(1, 30)) if status == "solved" else None
                cases.append(SpecialGroupCase(
                    community=c, group=self.rng.choice(groups), resident_name=name,
                    resident_phone=self.phone(4, ci, k), grid_cell=self.rng.choice(self.cells[c.pk]),
                    problem=self.rng.choice(CASE_PROBLEMS), description="（演示数据）",
                    taken_by_member=self.rng.choice(self.members_[c.pk]), status=status, opened_on=opened,
                    started_on=started, solved_on=solved, action_taken="已解决（演示）" if solved else "",
                ))
        _bulk(SpecialGroupCase, cases)
        self.count("special-group cases", len(cases))

    def grid_work(self):
        kinds = [k for k, _ in VisitLog.Kind.choices]
        visits = []
        for c in self.communities_:
            visitors = [self.grid_user[c.pk], self.staff[c.pk], self.member_user[c.pk]]
            for v in range(self.s.visits):
                cell = self.rng.choice(self.cells[c.pk])
                day = self.day()
                follow = self.rng.random() < 0.3
                done = follow and day < self.today - datetime.timedelta(days=14) and self.rng.random() < 0.8
                visits.append(VisitLog(
                    community=c, grid_cell=cell, building=self.rng.choice(self.buildings[cell.pk]),
                    household=f"{self.rng.randint(1, 6)}单元{self.rng.randint(1, 6)}0{self.rng.randint(1, 4)}室",
                    visited_on=day, kind=self.rng.choice(kinds), findings=self.rng.choice(VISIT_FINDINGS),
                    follow_up_needed=follow, follow_up_done_on=day + datetime.timedelta(days=self.rng.randint(1, 14)) if done else None,
                    visitor=self.rng.choice(visitors),
                ))
        _bulk(VisitLog, visits)
        self.count("visit logs", len(visits))

        categories = list(APPEAL_TITLES)
        codes = self.codes(Appeal, "code", CODE_ALPHABET, CODE_LENGTH)
        appeals, steps = [], []
        for ci, c in self.numbered():
            staff, grid_user = self.staff[c.pk], self.grid_user[c.pk]
            for a in range(1, self.s.appeals + 1):
                category = self.rng.choice(categories)
                name, _ = self.person()
                cell = self.rng.choice(self.cells[c.pk])
                status = self.rng.choice(("received", "assigned", "answered", "reopened", "closed", "closed", "closed", "closed"))
                low = self.today - datetime.timedelta(days=30) if status in ("received", "assigned", "reopened") else None
                received = self.at(self.day(low=low))
                appeal = Appeal(
                    community=c, code=codes(), source=self.rng.choice(("online", "staff", "visit")), status=status,
                    category=category, title=self.rng.choice(APPEAL_TITLES[category]), description="（演示数据）",
                    resident_name=name, resident_phone=self.phone(5, ci, a), grid_cell=cell,
                    building=self.rng.choice(self.buildings[cell.pk]), consent_at=received, received_at=received,
                    waiting_since=received, entered_by=staff if self.rng.random() < 0.3 else None,
                )
                events = [("", "received", None, True, received)]
                now = received
                if status != "received":
                    appeal.assigned_to_user = grid_user
                    now = self.later(now, 1, 24)
                    events.append(("received", "assigned", staff, False, now))
                if status in ("answered", "reopened", "closed"):
                    appeal.answered_at = now = self.later(now, 4, 120)
                    appeal.answer = "已处理（演示）"
                    events.append(("assigned", "answered", grid_user, False, now))
                if status == "reopened":
                    appeal.waiting_since = now = self.later(now, 4, 120)
                    appeal.reopened_count = 1
                    events.append(("answered", "reopened", None, True, now))
                if status == "closed":
                    appeal.closed_at = now = self.later(now, 4, 120)
                    events.append(("answered", "closed", None, True, now))
                appeals.append(appeal)
                steps.append(events)
        _bulk(Appeal, appeals)
        rows = [
            AppealEvent(appeal_id=appeal.pk, from_status=f, to_status=t, actor=actor, by_resident=by_resident, created_at=at)
            for appeal, events in zip(appeals, steps)
            for f, t, actor, by_resident, at in events
        ]
        _bulk(AppealEvent, rows)
        self.count("appeals", len(appeals))
        self.count("appeal steps", len(rows))

        stations, updates = [], []
        for ci, c in self.numbered():
            for k in range(1, self.s.stations + 1):
                stations.append(Station(
                    community=c, kind="station" if k == 1 else "school", name=f"{c.name}{'红色先锋驿站' if k == 1 else '微党校'}{k}",
                    grid_cell=self.cells[c.pk][k % len(self.cells[c.pk])], contact_phone=self.phone(6, ci, k),
                    active_since=self.start,
                ))
        _bulk(Station, stations)
        for station in stations:
            for u in range(2):
                updates.append(StationUpdate(
                    station=station, updated_on=self.day(), title=f"宣传栏更新{u + 1}", kind="slogans",
                    created_by=self.staff[station.community_id],
                ))
        _bulk(StationUpdate, updates)
        self.count("stations and schools", len(stations))

    def council(self):
        topics = []
        for c in self.communities_:
            for k in range(self.s.topics):
                proposed = self.day(high=self.today - datetime.timedelta(days=60))
                status = self.rng.choice(("proposed", "deliberating", "settled", "settled"))
                topic = Topic(
                    community=c, title=self.rng.choice(TOPIC_TITLES), description="居民反映的问题（演示）",
                    source=self.rng.choice(("appeal", "visit", "bench", "courtyard")), status=status, proposed_on=proposed,
                    created_by=self.staff[c.pk],
                )
                if status != "proposed":
                    topic.deliberating_on = proposed + datetime.timedelta(days=7)
                if status == "settled":
                    topic.agreed_on = proposed + datetime.timedelta(days=14)
                    topic.implementing_on = proposed + datetime.timedelta(days=21)
                    topic.settled_on = proposed + datetime.timedelta(days=50)
                    topic.outcome = "已落实（演示）"
                topics.append(topic)
        _bulk(Topic, topics)
        sessions = [
            Session(topic=t, held_on=t.deliberating_on, form=self.rng.choice(("bench", "courtyard", "hall")),
                    place="小区广场（演示）", residents_count=self.rng.randint(5, 30), decision="（演示）")
            for t in topics
            if t.deliberating_on
        ]
        _bulk(Session, sessions)
        companies = _bulk(PropertyCompany, [
            PropertyCompany(community=c, name=f"{c.name}物业（演示）", window_place="物业服务中心") for c in self.communities_
        ])
        company_of = {company.community_id: company for company in companies}
        proxies = []
        for ci, c in self.numbered():
            for k in range(1, self.s.proxies + 1):
                received = self.day()
                done = self.rng.random() < 0.8
                proxies.append(ProxyService(
                    community=c, company=company_of[c.pk] if self.rng.random() < 0.7 else None,
                    kind=self.rng.choice([k for k, _ in ProxyService.Kind.choices]), resident_name=self.person()[0],
                    resident_phone=self.phone(6, ci, 100 + k), building=self.rng.choice(self.buildings[self.cells[c.pk][0].pk]),
                    status="done" if done else "received", received_on=received,
                    done_on=received + datetime.timedelta(days=self.rng.randint(0, 5)) if done else None,
                ))
        _bulk(ProxyService, proxies)
        self.count("topics", len(topics))
        self.count("proxy services", len(proxies))


def scale_data_exists() -> bool:
    """Is a large data set (the county or the city) in the database already?"""
    from django.db.models import Q

    return Community.objects.filter(Q(*(Q(code__startswith=prefix) for prefix in PREFIXES), _connector=Q.OR)).exists()


def seed_scale(name: str, *, password_hash: str, today: datetime.date | None = None, log=print) -> dict[str, int] | None:
    """Build the data set `name` (SCALES) in one transaction; None when one is already there."""
    from django.utils import timezone

    if scale_data_exists():
        return None
    builder = CountyBuilder(SCALES[name], password_hash, today or timezone.localdate(), log=log)
    with transaction.atomic():
        counts = builder.build()
    # Fresh planner statistics after a bulk load (PostgreSQL's autovacuum would get there
    # later; SQLite has none until ANALYZE), so that the first measurements use the indexes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts
