"""Synthetic data for the demo community (`manage.py seed_demo`).

Everything here is made up and free of database access: the community of the
story (沙河街社区, see `/work/shared/seed/article-zh-hans.md`) with invented
grid cells, buildings, co-building units and party members. Person names are
drawn from pools of common surnames and given-name characters with a fixed
random seed, so they are the same on every run and belong to nobody in
particular; phone numbers come from one clearly synthetic range.

The figures of the story that these data must reproduce for 2023:
26 co-building units, 268 in-service members registered and 268 reported (100%),
and micro-wishes fulfilled for 76 residents (许愿者).
"""

import datetime
import random
from zoneinfo import ZoneInfo

SEED = 2023

# The day the story was published; no report is dated after it.
STORY_DAY = datetime.date(2023, 12, 27)
REPORT_DAY = datetime.date(2023, 12, 31)
# The day the demo's volunteer teams were founded and its stations and micro party
# schools opened: before the story's year, so that they count in its report.
PLACES_SINCE = datetime.date(2022, 3, 1)

UNIT_COUNT = 26
MEMBER_COUNT = 268
MIN_MEMBERS_PER_UNIT = 3

COMMUNITY = {
    "code": "shahejie",
    "name": "沙河街社区",
    "town": "沙河镇",
    "county": "临泽县",
    "address": "临泽县沙河镇示例路1号（演示地址）",
    "phone": "0936-0000000",
}

# The areas above the community (市 > 县 > 镇/街道): (code, name, level, parent code).
AREAS = [
    ("zhangye", "张掖市", "city", None),
    ("linze", "临泽县", "district", "zhangye"),
    ("shahezhen", "沙河镇", "street", "linze"),
]

# 网格: number, name, households, population, boundary, and its buildings
# (楼栋 / 楼院) as (name, households). Households of the buildings add up to
# the cell's households.
GRID_CELLS = [
    {
        "number": 1,
        "name": "沙河街东区网格",
        "households": 268,
        "population": 702,
        "boundary": "东至滨河路，西至示例中路，南至幸福巷，北至沙河街（演示）",
        "buildings": [
            ("阳光小区1号楼", 72),
            ("阳光小区2号楼", 72),
            ("阳光小区3号楼", 64),
            ("供销社家属院", 60),
        ],
    },
    {
        "number": 2,
        "name": "沙河街西区网格",
        "households": 231,
        "population": 596,
        "boundary": "东至示例中路，西至西环路，南至幸福巷，北至沙河街（演示）",
        "buildings": [
            ("馨园小区1号楼", 66),
            ("馨园小区2号楼", 66),
            ("粮站家属院", 45),
            ("农机站家属院", 54),
        ],
    },
    {
        "number": 3,
        "name": "沙河街南区网格",
        "households": 296,
        "population": 781,
        "boundary": "东至滨河路，西至西环路，南至南环路，北至幸福巷（演示）",
        "buildings": [
            ("丹霞苑1号楼", 60),
            ("丹霞苑2号楼", 60),
            ("丹霞苑3号楼", 60),
            ("丹霞苑4号楼", 56),
            ("水利局家属院", 60),
        ],
    },
    {
        "number": 4,
        "name": "沙河街北区网格",
        "households": 187,
        "population": 473,
        "boundary": "东至滨河路，西至示例中路，南至沙河街，北至北环路（演示）",
        "buildings": [
            ("商贸城住宅楼", 84),
            ("邮电家属院", 48),
            ("老医院家属院", 55),
        ],
    },
    {
        "number": 5,
        "name": "沙河街商圈网格",
        "households": 164,
        "population": 418,
        "boundary": "沙河街商业街两侧及农贸市场（演示）",
        "buildings": [
            ("商业街1号楼", 52),
            ("商业街2号楼", 52),
            ("农贸市场家属院", 60),
        ],
    },
    {
        "number": 6,
        "name": "沙河街滨河网格",
        "households": 253,
        "population": 655,
        "boundary": "东至黑河堤，西至滨河路，南至南环路，北至北环路（演示）",
        "buildings": [
            ("滨河花园1号楼", 64),
            ("滨河花园2号楼", 64),
            ("滨河花园3号楼", 64),
            ("教师家属院", 61),
        ],
    },
]

# 共驻共建单位: generic names of county-level organisations. `weight` sets
# roughly how many of the 268 members each unit employs (at least 3 each).
UNITS = [
    {
        "name": "临泽县委组织部",
        "kind": "agency",
        "party_organization": "临泽县委组织部机关党支部",
        "resources": "党建指导，党员教育培训资料",
        "resource_tags": "党建指导, 教育",
        "commitments": "每季度到社区开展一次党课，指导社区\"大党委\"建设",
        "weight": 4,
    },
    {
        "name": "临泽县财政局",
        "kind": "agency",
        "party_organization": "临泽县财政局机关党支部",
        "resources": "每年共建经费，财务政策咨询",
        "resource_tags": "资金, 政策咨询",
        "commitments": "认领微心愿不少于10个，参与楼院环境整治",
        "weight": 6,
    },
    {
        "name": "临泽县人力资源和社会保障局",
        "kind": "agency",
        "party_organization": "临泽县人力资源和社会保障局机关党支部",
        "resources": "就业岗位信息，社保政策宣讲",
        "resource_tags": "就业服务, 政策咨询",
        "commitments": "每半年举办一次家门口招聘会",
        "weight": 6,
    },
    {
        "name": "临泽县住房和城乡建设局",
        "kind": "agency",
        "party_organization": "临泽县住房和城乡建设局机关党支部",
        "resources": "老旧小区改造技术指导，维修人员",
        "resource_tags": "维修, 技术指导",
        "commitments": "协助解决楼院管网、路灯等维修问题",
        "weight": 7,
    },
    {
        "name": "临泽县司法局",
        "kind": "agency",
        "party_organization": "临泽县司法局机关党支部",
        "resources": "法律咨询，人民调解员培训",
        "resource_tags": "法律服务, 纠纷调解",
        "commitments": "每月一次法律咨询进社区，参与矛盾纠纷调解",
        "weight": 5,
    },
    {
        "name": "临泽县市场监督管理局",
        "kind": "agency",
        "party_organization": "临泽县市场监督管理局机关党支部",
        "resources": "食品安全宣传，商户经营指导",
        "resource_tags": "政策咨询, 培训",
        "commitments": "指导商圈商户诚信经营，开展食品安全宣传",
        "weight": 6,
    },
    {
        "name": "国家税务总局临泽县税务局",
        "kind": "agency",
        "party_organization": "国家税务总局临泽县税务局机关党支部",
        "resources": "办税咨询，会议室",
        "resource_tags": "政策咨询, 场地",
        "commitments": "为商圈个体户提供税费政策辅导",
        "weight": 5,
    },
    {
        "name": "沙河镇人民政府",
        "kind": "agency",
        "party_organization": "沙河镇机关党支部",
        "resources": "应急物资，活动场地",
        "resource_tags": "场地, 应急物资",
        "commitments": "统筹镇属资源支持社区网格化治理",
        "weight": 12,
    },
    {
        "name": "临泽县疾病预防控制中心",
        "kind": "institution",
        "party_organization": "临泽县疾病预防控制中心党支部",
        "resources": "健康知识讲座，疫苗接种咨询",
        "resource_tags": "医疗服务, 健康宣教",
        "commitments": "每季度开展一次健康讲座",
        "weight": 5,
    },
    {
        "name": "临泽县文化馆",
        "kind": "institution",
        "party_organization": "临泽县文化馆党支部",
        "resources": "文艺辅导，演出设备",
        "resource_tags": "文艺, 场地",
        "commitments": "每年为社区组织文艺义演不少于2场",
        "weight": 4,
    },
    {
        "name": "临泽县融媒体中心",
        "kind": "institution",
        "party_organization": "临泽县融媒体中心党支部",
        "resources": "宣传报道，摄影摄像",
        "resource_tags": "宣传, 电脑",
        "commitments": "宣传社区志愿服务典型",
        "weight": 4,
    },
    {
        "name": "沙河镇中心小学",
        "kind": "school",
        "party_organization": "沙河镇中心小学党支部",
        "resources": "假期课业辅导，操场和教室",
        "resource_tags": "教育, 场地",
        "commitments": "寒暑假开设\"四点半课堂\"",
        "weight": 14,
    },
    {
        "name": "临泽县第二中学",
        "kind": "school",
        "party_organization": "临泽县第二中学党总支",
        "resources": "课业辅导，心理健康教育",
        "resource_tags": "教育, 心理疏导",
        "commitments": "为困难家庭学生结对辅导",
        "weight": 16,
    },
    {
        "name": "沙河镇中心幼儿园",
        "kind": "school",
        "party_organization": "沙河镇中心幼儿园党支部",
        "resources": "亲子活动，育儿指导",
        "resource_tags": "教育",
        "commitments": "每学期开展一次育儿知识讲座",
        "weight": 5,
    },
    {
        "name": "临泽县人民医院",
        "kind": "hospital",
        "party_organization": "临泽县人民医院党委第三党支部",
        "resources": "义诊，健康体检，家庭医生签约",
        "resource_tags": "医疗服务, 义诊",
        "commitments": "每月到社区义诊一次，为独居老人上门巡诊",
        "weight": 22,
    },
    {
        "name": "临泽县中医医院",
        "kind": "hospital",
        "party_organization": "临泽县中医医院党支部",
        "resources": "中医理疗，义诊",
        "resource_tags": "医疗服务, 义诊",
        "commitments": "每季度开展中医义诊和健康讲座",
        "weight": 12,
    },
    {
        "name": "沙河镇卫生院",
        "kind": "hospital",
        "party_organization": "沙河镇卫生院党支部",
        "resources": "慢病随访，上门医疗",
        "resource_tags": "医疗服务",
        "commitments": "为辖区残疾人、独居老人提供上门随访",
        "weight": 9,
    },
    {
        "name": "国网临泽县供电公司",
        "kind": "state_firm",
        "party_organization": "国网临泽县供电公司党委城区供电所党支部",
        "resources": "用电安全检查，电路维修",
        "resource_tags": "维修, 安全检查",
        "commitments": "每半年为楼院免费检查一次线路",
        "weight": 10,
    },
    {
        "name": "临泽县农村商业银行",
        "kind": "state_firm",
        "party_organization": "临泽县农村商业银行沙河支行党支部",
        "resources": "金融知识宣传，防诈骗讲座，共建经费",
        "resource_tags": "资金, 金融知识",
        "commitments": "开展反诈宣传，为老年人提供上门金融服务",
        "weight": 9,
    },
    {
        "name": "中国邮政临泽县分公司",
        "kind": "state_firm",
        "party_organization": "中国邮政临泽县分公司党支部",
        "resources": "代办寄递，便民服务点",
        "resource_tags": "便民服务",
        "commitments": "在代办窗口提供邮件代收代寄",
        "weight": 6,
    },
    {
        "name": "临泽县供排水公司",
        "kind": "state_firm",
        "party_organization": "临泽县供排水公司党支部",
        "resources": "管网维修，水质检测",
        "resource_tags": "维修",
        "commitments": "楼院供水故障24小时内响应",
        "weight": 7,
    },
    {
        "name": "临泽县安居物业服务有限公司",
        "kind": "private_firm",
        "party_organization": "临泽县安居物业服务有限公司党支部",
        "resources": "物业代办窗口，楼院保洁和维修",
        "resource_tags": "维修, 场地, 便民服务",
        "commitments": "推行\"红色物业\"，设立代办窗口",
        "weight": 4,
    },
    {
        "name": "沙河镇惠民商贸有限公司",
        "kind": "private_firm",
        "party_organization": "沙河镇惠民商贸有限公司党支部",
        "resources": "爱心助餐物资，节日慰问品",
        "resource_tags": "物资, 助餐",
        "commitments": "支持\"爱心助餐·聚爱成河\"项目",
        "weight": 3,
    },
    {
        "name": "沙河街商圈经济联合党支部",
        "kind": "social_org",
        "party_organization": "沙河街商圈经济联合党支部",
        "resources": "商户志愿服务，义剪，爱心助餐",
        "resource_tags": "理发, 助餐, 志愿服务",
        "commitments": "组建\"小红兴\"志愿服务队，开展义剪、义诊、义演",
        "weight": 8,
    },
    {
        "name": "临泽县志愿者协会",
        "kind": "social_org",
        "party_organization": "临泽县志愿者协会党支部",
        "resources": "志愿者招募和培训",
        "resource_tags": "志愿服务, 培训",
        "commitments": "协助社区组织大型志愿服务活动",
        "weight": 3,
    },
    {
        "name": "临泽县消防救援大队",
        "kind": "other",
        "party_organization": "临泽县消防救援大队党支部",
        "resources": "消防安全培训，应急演练",
        "resource_tags": "应急管理, 安全检查",
        "commitments": "每年开展消防演练和楼院消防检查",
        "weight": 6,
    },
]

# The unit whose liaison gets the `unit` demo login (the story's business-district branch).
LIAISON_UNIT = "沙河街商圈经济联合党支部"

# Common surnames and given-name characters. Combinations are random and belong
# to nobody in particular; names of well-known public figures that the pools
# could form (RESERVED_NAMES) are skipped all the same.
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯曹彭曾"
    "肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾"
    "夏韦付方白邹孟熊秦邱尹薛闫段雷侯史陶贺顾郝龚邵万钱严武戴"
)
MALE_CHARS = "建军伟强磊涛斌勇杰海波明辉鹏刚峰林志文华东宏亮成俊鑫浩宇飞超晨洪武兴福荣"
FEMALE_CHARS = "丽芳娟霞燕敏静红梅玲婷雪慧琴英兰萍艳洁倩瑞娜琳晶颖欣佳蓉秀"
COMMON_CHARS = "晓春新永德玉金少海天家世立"
RESERVED_NAMES = frozenset(
    {
        "李强", "胡春华", "孙春兰", "王晨", "何立峰", "袁家军", "刘德华", "林俊杰", "周杰",
        "杨丽萍", "赵丽颖", "姚明", "李娜", "郭晶晶", "刘强东", "黄海波", "陈红", "王刚",
    }
)

# Skills of members (special-service tags).
SKILLS = ["维修", "法律咨询", "医疗", "理发", "文艺", "教育辅导", "心理疏导", "电脑", "驾驶", "摄影", "烹饪", "书法"]

# Members' registrations: imported in a few batches, plus single entries by staff.
IMPORT_BATCHES = [
    datetime.date(2023, 2, 20),
    datetime.date(2023, 3, 15),
    datetime.date(2023, 5, 10),
    datetime.date(2023, 8, 28),
]

# The five demo logins: username -> role and flags. Full names are drawn from
# the name pool (the member's and liaison's are those of their records).
DEMO_USERS = {
    "admin": {"role": "area_admin", "is_staff": True, "is_superuser": True},
    "staff": {"role": "staff", "is_staff": False, "is_superuser": False},
    "grid": {"role": "grid_worker", "is_staff": False, "is_superuser": False},
    "member": {"role": "member", "is_staff": False, "is_superuser": False},
    "unit": {"role": "liaison", "is_staff": False, "is_superuser": False},
}


def member_phone(index: int) -> str:
    """Synthetic mobile number of member `index` (0-based): 1990000xxxx."""
    return f"1990000{index + 1:04d}"


def liaison_phone(index: int) -> str:
    """Synthetic mobile number of the liaison of unit `index` (0-based): 1990009xxxx."""
    return f"1990009{index + 1:04d}"


def _given_name(rng: random.Random, gender: str) -> str:
    own = MALE_CHARS if gender == "male" else FEMALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(own)
    first = rng.choice(COMMON_CHARS + own) if rng.random() < 0.35 else rng.choice(own)
    return first + rng.choice(own)


def synthetic_people(count: int, rng: random.Random, exclude=()) -> list[tuple[str, str]]:
    """`count` distinct (name, gender) pairs, about 55% male, none of them in `exclude`."""
    people, seen = [], set(RESERVED_NAMES) | set(exclude)
    while len(people) < count:
        gender = "male" if rng.random() < 0.55 else "female"
        name = rng.choice(SURNAMES) + _given_name(rng, gender)
        if name in seen:
            continue
        seen.add(name)
        people.append((name, gender))
    return people


def _members_per_unit() -> list[int]:
    """How many members each unit employs: at least 3 each, the rest by weight."""
    counts = [MIN_MEMBERS_PER_UNIT] * len(UNITS)
    rest = MEMBER_COUNT - sum(counts)
    total_weight = sum(unit["weight"] for unit in UNITS)
    shares = [rest * unit["weight"] / total_weight for unit in UNITS]
    for i, share in enumerate(shares):
        counts[i] += int(share)
    leftover = MEMBER_COUNT - sum(counts)
    by_remainder = sorted(range(len(UNITS)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    for i in by_remainder[:leftover]:
        counts[i] += 1
    return counts


def demo_people() -> dict:
    """Names of everybody in the demo, always the same.

    Returns {"members": [(name, gender)] * 268, "liaisons": [(name, gender)] * 26,
    "staff": [(name, gender)] * 3} with all names distinct.
    """
    rng = random.Random(SEED)
    people = synthetic_people(MEMBER_COUNT + len(UNITS) + 3, rng)
    return {
        "members": people[:MEMBER_COUNT],
        "liaisons": people[MEMBER_COUNT : MEMBER_COUNT + len(UNITS)],
        "staff": people[MEMBER_COUNT + len(UNITS) :],
    }


def unit_specs() -> list[dict]:
    """The 26 units with their dates and liaisons (deterministic)."""
    rng = random.Random(f"{SEED}:units")
    liaisons = demo_people()["liaisons"]
    first, last = datetime.date(2021, 1, 1), datetime.date(2023, 6, 30)
    specs = []
    for index, unit in enumerate(UNITS):
        signed = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
        spec = {key: value for key, value in unit.items() if key != "weight"}
        spec.update(
            agreement_signed_on=signed,
            reported_on=signed + datetime.timedelta(days=rng.randint(2, 10)),
            liaison_name=liaisons[index][0],
            liaison_phone=liaison_phone(index),
        )
        specs.append(spec)
    return specs


def member_specs() -> list[dict]:
    """The 268 members as plain dicts (deterministic: names from `random.Random(2023)`).

    Units are given by index into UNITS, homes by grid cell number and building name.
    """
    rng = random.Random(f"{SEED}:members")
    people = demo_people()["members"]
    unit_indexes = [i for i, n in enumerate(_members_per_unit()) for _ in range(n)]
    rng.shuffle(unit_indexes)
    cell_weights = [cell["households"] for cell in GRID_CELLS]
    specs = []
    for index, (name, gender) in enumerate(people):
        cell = rng.choices(GRID_CELLS, weights=cell_weights)[0]
        buildings = cell["buildings"]
        building = rng.choices(buildings, weights=[b[1] for b in buildings])[0][0]
        skills = rng.sample(SKILLS, k=rng.choices([0, 1, 2, 3], weights=[2, 5, 3, 1])[0])
        if rng.random() < 0.7:
            source = "import"
            registered = rng.choice(IMPORT_BATCHES)
        else:
            source = "staff"
            registered = datetime.date(2023, 1, 3) + datetime.timedelta(days=rng.randint(0, 330))
        reported = min(registered + datetime.timedelta(days=rng.randint(0, 20)), STORY_DAY)
        specs.append(
            {
                "name": name,
                "gender": gender,
                "phone": member_phone(index),
                "unit_index": unit_indexes[index],
                "cell_number": cell["number"],
                "building": building,
                "skills": skills,
                "joined_party_year": rng.randint(1975, 2020),
                "source": source,
                "registered_on": registered,
                "reported_on": reported,
            }
        )
    return specs


# --- Micro-wishes (微心愿) ----------------------------------------------------
#
# Residents' wishes from late 2022 to mid 2024. In 2023 (all by the story's day)
# wishes came true for exactly 76 distinct wishers, nine of whom had two wishes
# fulfilled; 2023 also leaves a few wishes awaiting review, open, claimed,
# delivered and turned down. A few wishes in 2022 and 2024, and some that cross
# the new year, make the period's edges matter.
#
# Wishers are synthetic residents (names from the pools above, phones
# 1990001xxxx); a wish's claimer is a member who had reported in by the day of
# the claim (most often one living in the same grid cell) or a unit that had.
# Every timestamp lies between 09:00 and 18:00 Asia/Shanghai.

TZ = ZoneInfo("Asia/Shanghai")

WISHERS_FULFILLED_2023 = 76
REPEAT_WISHERS_2023 = 9  # of the 76, those with two wishes fulfilled in 2023

# Tracking codes of the demo wishes: this prefix and the wish's index in base 31,
# written with the tracking-code alphabet ("DEMO" itself is not: it has an O).
WISH_CODE_PREFIX = "DEMW"

# Wishers by group (indexes into wisher_specs()).
_A = range(0, 76)  # one or two wishes fulfilled in 2023
_B = range(76, 86)  # 2023 wishes not (yet) fulfilled
_CROSS = 86  # wish submitted in December 2023, fulfilled in January 2024
_C = range(87, 94)  # 2022
_D = range(94, 99)  # 2024
WISHER_COUNT = 99

# (title, description, delivery note) by category.
WISH_CATALOGUE = {
    "study": [
        ("书包和文具", "孙女今年秋天上一年级，家里条件有限，想给她买一个书包和一套文具。", "书包、文具盒和作业本已送到家中。"),
        ("课外辅导", "孩子上初二，数学跟不上，家里大人辅导不了，希望有人每周来辅导一次。", "每周六上午上门辅导数学，已辅导八次。"),
        ("护眼台灯", "孩子晚上写作业，家里的灯太暗，想要一盏护眼台灯。", "护眼台灯已送到并安装好。"),
        ("新华字典和课外书", "孩子喜欢看书，想要一本新华字典和几本课外书。", "字典和十本课外书已送到。"),
        ("旧电脑上网课", "孩子上网课只能用手机，想要一台能用的旧电脑。", "单位捐赠的旧电脑检修后已送到，装好了学习软件。"),
    ],
    "repair": [
        ("修理楼道灯", "单元楼道的声控灯坏了两个多月，晚上上下楼看不清，老人怕摔。", "楼道灯已全部换成新的声控灯。"),
        ("轮椅维修", "老伴的轮椅刹车失灵，轮胎也漏气，想找人修一修。", "已更换刹车片和内胎，轮椅能正常使用了。"),
        ("修水龙头", "厨房水龙头一直滴水，自己修不好。", "已换上新水龙头。"),
        ("卫生间安装扶手", "腿脚不方便，上厕所起身困难，想在卫生间装一个扶手。", "扶手已安装牢固，老人试用没有问题。"),
        ("换纱窗", "夏天蚊子多，家里纱窗破了，想换新的。", "两扇纱窗已换新。"),
        ("修理电视机", "家里电视机没有图像了，一个人在家就靠看电视解闷。", "电视机已修好，频道也调好了。"),
    ],
    "company": [
        ("陪老人聊天", "老伴去世后一个人住，儿女在外地，希望有人常来坐坐说说话。", "每周上门陪老人聊天，已坚持一个月。"),
        ("陪同去医院复查", "要去县医院复查，一个人行动不便，希望有人陪同。", "已陪同老人到县医院复查并送回家。"),
        ("教用智能手机", "想学会用手机和外地的孙子视频聊天。", "已上门教会老人视频通话和发语音。"),
        ("上门理发", "行动不便出不了门，头发很长了，想请人上门理发。", "已上门理发。"),
        ("读报讲政策", "眼睛不好看不了报纸，想有人来读读报、讲讲新政策。", "已上门读报两次，讲解了医保新政策。"),
    ],
    "health": [
        ("血压计", "有高血压，想要一个电子血压计在家自己量。", "电子血压计已送到，并教会老人使用。"),
        ("血糖仪", "患糖尿病多年，想要一个血糖仪和试纸。", "血糖仪和两盒试纸已送到。"),
        ("助行器", "腿脚不好，走路要扶着东西，想要一个助行器。", "助行器已送到并调好高度。"),
        ("配老花镜", "老花镜摔坏了，看不清东西。", "已陪同验光并配好老花镜。"),
        ("上门量血压", "希望有医生定期上门量血压、看看身体。", "社区医生已上门检查并建立随访记录。"),
    ],
    "daily": [
        ("冬天的棉衣", "冬天快到了，旧棉衣不保暖了，想要一件厚棉衣。", "新棉衣已送到，大小合适。"),
        ("电暖器", "家里暖气不热，想要一个电暖器。", "电暖器已送到，并检查了线路安全。"),
        ("米面油", "家里生活困难，希望有一些米面油。", "米、面、油各一份已送到家中。"),
        ("新棉被", "被子用了十几年，已经不暖和了。", "两床新棉被已送到。"),
        ("帮忙换煤气罐", "一个人搬不动煤气罐，希望有人帮忙换。", "已帮忙换好煤气罐，并检查了灶具。"),
    ],
    "other": [
        ("手写春联", "想要一副手写春联过年贴。", "书法志愿者写好的春联已送到。"),
        ("翻新老照片", "想把和老伴的老照片翻新放大。", "老照片已修复放大并装框送到。"),
        ("代办老年证", "腿脚不便，想请人帮忙办理老年优待证。", "老年优待证已办好送到老人手中。"),
    ],
}
# How often each category is drawn.
WISH_CATEGORY_WEIGHTS = {"study": 4, "repair": 5, "company": 4, "health": 4, "daily": 5, "other": 1}

# Wishes turned down: (category, title, description, reason).
REJECTED_WISHES = [
    ("daily", "想要一台新冰箱", "家里的冰箱坏了，想要一台新的双门冰箱。", "心愿金额较大，超出微心愿范围，已联系县慈善协会评估。"),
    ("other", "帮忙办理低保", "家里困难，想申请低保。", "属于低保申请事项，已转社区民政窗口办理。"),
    ("repair", "整栋楼外墙翻新", "楼房外墙脱落，希望翻新。", "属于老旧小区改造项目，已转住建部门和物业协商。"),
    ("other", "调解邻居噪音纠纷", "楼上邻居晚上很吵，希望有人管一管。", "属于纠纷调解事项，已转网格员上门调解。"),
    ("study", "书包和文具", "孩子上学需要书包。", "重复提交，已与之前的心愿合并。"),
]

THANK_YOU_NOTES = [
    "谢谢党员同志，真是帮了大忙！",
    "感谢社区和党员同志的关心。",
    "太感谢了，你们比亲人还亲。",
    "谢谢你们，心里暖暖的。",
    "东西很好用，谢谢！",
    "谢谢社区，谢谢好心人！",
]
CANCEL_REASON = "临时出差，无法按时送达，退回重新认领。"


def wisher_phone(index: int) -> str:
    """Synthetic mobile number of wisher `index` (0-based): 1990001xxxx."""
    return f"1990001{index + 1:04d}"


def wish_code(index: int) -> str:
    """Tracking code of demo wish `index`: DEMW + 6 base-31 digits, 10 characters."""
    from wishes.models import CODE_ALPHABET, CODE_LENGTH

    base = len(CODE_ALPHABET)
    width = CODE_LENGTH - len(WISH_CODE_PREFIX)
    if not 0 <= index < base**width:
        raise ValueError(f"wish index out of range: {index}")
    digits = []
    for _ in range(width):
        index, digit = divmod(index, base)
        digits.append(CODE_ALPHABET[digit])
    return WISH_CODE_PREFIX + "".join(reversed(digits))


def wisher_specs() -> list[dict]:
    """The 99 wishers: name, phone and home (grid cell number, building name, door)."""
    rng = random.Random(f"{SEED}:wishers")
    taken = {name for group in demo_people().values() for name, _ in group}
    people = synthetic_people(WISHER_COUNT, rng, exclude=taken)
    cell_weights = [cell["households"] for cell in GRID_CELLS]
    specs = []
    for index, (name, gender) in enumerate(people):
        cell = rng.choices(GRID_CELLS, weights=cell_weights)[0]
        buildings = cell["buildings"]
        building = rng.choices(buildings, weights=[b[1] for b in buildings])[0][0]
        if building.endswith("楼"):
            door = f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
        else:
            door = f"{rng.randint(1, 8)}排{rng.randint(1, 6)}号"
        specs.append(
            {
                "name": name,
                "gender": gender,
                "phone": wisher_phone(index),
                "cell_number": cell["number"],
                "building": building,
                "address_detail": door,
            }
        )
    return specs


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time between 09:00 and 17:55 on `day`, Asia/Shanghai: far from midnight."""
    return datetime.datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.randrange(0, 60, 5), tzinfo=TZ)


def _day_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _gaps(rng: random.Random) -> list[int]:
    """Days from submitted to published, to claimed, to delivered, to fulfilled."""
    return [rng.randint(1, 3), rng.randint(1, 7), rng.randint(2, 12), rng.randint(1, 4)]


_STEPS = ["submitted", "published", "claimed", "delivered", "fulfilled"]
_DAY = datetime.timedelta(days=1)


def _days_forward(start: datetime.date, gaps: list[int], steps: int) -> dict:
    days, day = {"submitted": start}, start
    for name, gap in zip(_STEPS[1:steps], gaps):
        day += gap * _DAY
        days[name] = day
    return days


def _days_back(fulfilled: datetime.date, gaps: list[int]) -> dict:
    return _days_forward(fulfilled - sum(gaps) * _DAY, gaps, 5)


class _Claimers:
    """Who may claim on a day: members and units that had reported in by then."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.members = member_specs()
        self.units = unit_specs()

    def pick(self, day: datetime.date, cell_number: int) -> tuple[str, int]:
        rng = self.rng
        members = [i for i, m in enumerate(self.members) if m["reported_on"] <= day]
        if members and rng.random() < 0.88:
            near = [i for i in members if self.members[i]["cell_number"] == cell_number]
            return ("member", rng.choice(near if near and rng.random() < 0.7 else members))
        units = [i for i, u in enumerate(self.units) if u["reported_on"] <= day]
        if not units:
            raise ValueError(f"no co-building unit had reported in by {day}")
        return ("unit", rng.choice(units))

    def may_claim(self, claimer: tuple[str, int], day: datetime.date) -> bool:
        kind, index = claimer
        return (self.members if kind == "member" else self.units)[index]["reported_on"] <= day


def _raw_wish(rng, wisher: int, status: str, days: dict, item=None, rejected=None) -> dict:
    if rejected:
        category, title, description, reason = rejected
        delivery_note = ""
    else:
        category, (title, description, delivery_note) = item
        reason = ""
    return {
        "wisher": wisher,
        "status": status,
        "category": category,
        "title": title,
        "description": description,
        "delivery_note": delivery_note,
        "reject_reason": reason,
        "days": days,
        "claimer": None,
        "cancelled_claim": None,
    }


def wish_specs() -> list[dict]:
    """Every demo wish with its whole history, deterministic (`random.Random("2023:wishes")`).

    Each dict has the wish's fields (times as aware datetimes), `wisher` (index
    into wisher_specs()), `cell_number` and `building` (name), `entered_by`
    (demo username or None), `claimer` (("member", index into member_specs()),
    ("unit", index into UNITS) or None), `code`, and `events`: the steps as dicts
    (from_status, to_status, actor (demo username or None), by_resident, note,
    created_at) in time order.
    """
    rng = random.Random(f"{SEED}:wishes")
    wishers = wisher_specs()
    claimers = _Claimers(rng)
    categories = list(WISH_CATEGORY_WEIGHTS)
    weights = list(WISH_CATEGORY_WEIGHTS.values())

    def item():
        category = rng.choices(categories, weights=weights)[0]
        return category, rng.choice(WISH_CATALOGUE[category])

    raw = []
    d = datetime.date
    # 2023: 76 wishers, nine of them twice (first in the first half, then in the second).
    repeaters = set(rng.sample(list(_A), REPEAT_WISHERS_2023))
    across_new_year = rng.choice(sorted(set(_A) - repeaters))
    for wisher in _A:
        if wisher == across_new_year:
            # Submitted in December 2022, fulfilled in January 2023.
            raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(d(2023, 1, 9), [2, 3, 6, 2]), item()))
        elif wisher in repeaters:
            first = item()
            second = item()
            while second[1] == first[1]:
                second = item()
            raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(_day_in(rng, d(2023, 2, 1), d(2023, 6, 30)), _gaps(rng)), first))
            raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(_day_in(rng, d(2023, 7, 15), STORY_DAY), _gaps(rng)), second))
        else:
            raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(_day_in(rng, d(2023, 1, 5), STORY_DAY), _gaps(rng)), item()))

    # 2023, not fulfilled: five returning wishers and ten new ones.
    others = rng.sample(sorted(set(_A) - repeaters - {across_new_year}), 5) + list(_B)
    rng.shuffle(others)
    plan = (
        [("submitted", d(2023, 12, 20), d(2023, 12, 26))] * 2
        + [("open", d(2023, 11, 10), d(2023, 12, 15))] * 4
        + [("claimed", d(2023, 11, 15), d(2023, 12, 10))] * 3
        + [("delivered", d(2023, 11, 1), d(2023, 12, 5))] * 2
    )
    for (status, first, last), wisher in zip(plan, others):
        steps = _STEPS.index("published" if status == "open" else status) + 1
        raw.append(_raw_wish(rng, wisher, status, _days_forward(_day_in(rng, first, last), _gaps(rng), steps), item()))
    for rejected, wisher in zip(REJECTED_WISHES[:4], others[len(plan) :]):
        submitted = _day_in(rng, d(2023, 3, 1), d(2023, 11, 30))
        raw.append(_raw_wish(rng, wisher, "rejected", {"submitted": submitted, "rejected": submitted + rng.randint(1, 3) * _DAY}, rejected=rejected))
    # One open wish was claimed, then given back.
    cancelled = next(w for w in raw if w["status"] == "open")
    claim_day = cancelled["days"]["published"] + 2 * _DAY
    cancelled["cancelled_claim"] = {"claimed": claim_day, "cancelled": claim_day + 5 * _DAY}

    # Submitted in December 2023, fulfilled in January 2024.
    raw.append(_raw_wish(rng, _CROSS, "fulfilled", _days_forward(d(2023, 12, 18), [1, 3, 10, 3], 5), item()))

    # 2022: six fulfilled (the last one on 30 December) and one turned down.
    fulfilled_2022 = [_day_in(rng, d(2022, 6, 1), d(2022, 12, 20)) for _ in range(5)] + [d(2022, 12, 30)]
    for wisher, day in zip(list(_C)[:6], fulfilled_2022):
        raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(day, _gaps(rng)), item()))
    submitted = d(2022, 9, 14)
    raw.append(_raw_wish(rng, _C[6], "rejected", {"submitted": submitted, "rejected": submitted + 2 * _DAY}, rejected=REJECTED_WISHES[4]))

    # 2024: four fulfilled (one by a returning wisher) and two open.
    returning = rng.choice(sorted(repeaters))
    for wisher in [returning, *list(_D)[:3]]:
        raw.append(_raw_wish(rng, wisher, "fulfilled", _days_back(_day_in(rng, d(2024, 1, 15), d(2024, 6, 30)), _gaps(rng)), item()))
    for wisher in list(_D)[3:]:
        raw.append(_raw_wish(rng, wisher, "open", _days_forward(_day_in(rng, d(2024, 6, 1), d(2024, 6, 20)), _gaps(rng), 2), item()))

    # Claimers: members mostly, units sometimes; nobody before they reported in.
    for wish in raw:
        if wish["status"] in ("claimed", "delivered", "fulfilled"):
            wish["claimer"] = claimers.pick(wish["days"]["claimed"], wishers[wish["wisher"]]["cell_number"])
        if wish["cancelled_claim"]:
            wish["cancelled_claim"]["claimer"] = claimers.pick(wish["cancelled_claim"]["claimed"], wishers[wish["wisher"]]["cell_number"])
    # The demo logins hold some: the `member` login's member (index 0) and the `unit` login's unit.
    liaison_unit = next(i for i, unit in enumerate(UNITS) if unit["name"] == LIAISON_UNIT)
    # Each gets some fulfilled wishes (of the same kind of holder) and one still in hand.
    logins = [("member", 0), ("unit", liaison_unit)]
    for holder, fulfilled in ((logins[0], 3), (logins[1], 2)):

        def free(wish, statuses, same_kind):
            return (
                wish["status"] in statuses
                and wish["claimer"] not in logins
                and (wish["claimer"][0] == holder[0] or not same_kind)
                and claimers.may_claim(holder, wish["days"]["claimed"])
            )

        for wish in rng.sample([w for w in raw if free(w, ["fulfilled"], True)], fulfilled):
            wish["claimer"] = holder
        rng.choice([w for w in raw if free(w, ["claimed", "delivered"], False)])["claimer"] = holder

    specs = [_finish(rng, wish, wishers, claimers, liaison_unit) for wish in raw]
    specs.sort(key=lambda spec: (spec["submitted_at"], spec["wisher_phone"]))
    for index, spec in enumerate(specs):
        spec["code"] = wish_code(index)
    _wish_service(specs)
    return specs


def _finish(rng, wish, wishers, claimers, liaison_unit) -> dict:
    """The wish's fields and its events, from its days and claimer."""
    wisher = wishers[wish["wisher"]]
    status = wish["status"]
    times = {name: _at(day, rng) for name, day in wish["days"].items()}
    # Grid workers enter a third of the wishes for residents who can't (代办);
    # the `grid` login works cells 1 and 2, the `staff` login enters the rest.
    entered_by = None
    if rng.random() < 0.35:
        entered_by = "grid" if wisher["cell_number"] in (1, 2) else "staff"

    def holder_fields(claimer):
        kind, index = claimer or (None, None)
        actor = {("member", 0): "member", ("unit", liaison_unit): "unit"}.get(claimer)
        if kind == "member":
            name = claimers.members[index]["name"]
        elif kind == "unit":
            name = claimers.units[index]["name"]
        else:
            name = ""
        note = "" if actor or not name else f"{name}线下认领，社区代为登记。"
        return actor, note

    thank_you = ""
    if status == "fulfilled" and rng.random() < 0.35:
        thank_you = rng.choice(THANK_YOU_NOTES)

    def event(from_status, to_status, at, actor=None, by_resident=False, note=""):
        return {
            "from_status": from_status,
            "to_status": to_status,
            "actor": actor,
            "by_resident": by_resident,
            "note": note,
            "created_at": at,
        }

    events = [event("", "submitted", times["submitted"], entered_by, entered_by is None)]
    if status == "rejected":
        events.append(event("submitted", "rejected", times["rejected"], "staff", note=wish["reject_reason"]))
    if "published" in times:
        events.append(event("submitted", "open", times["published"], "staff"))
    if wish["cancelled_claim"]:
        actor, note = holder_fields(wish["cancelled_claim"]["claimer"])
        claimed_at = _at(wish["cancelled_claim"]["claimed"], rng)
        events.append(event("open", "claimed", claimed_at, actor, note=note))
        events.append(event("claimed", "open", _at(wish["cancelled_claim"]["cancelled"], rng), actor, note=CANCEL_REASON))
    actor, note = holder_fields(wish["claimer"])
    if "claimed" in times:
        events.append(event("open", "claimed", times["claimed"], actor, note=note))
    delivery_note = wish["delivery_note"] if "delivered" in times else ""
    if "delivered" in times:
        events.append(event("claimed", "delivered", times["delivered"], actor, note=delivery_note))
    if "fulfilled" in times:
        events.append(event("delivered", "fulfilled", times["fulfilled"], None, True, thank_you))

    kind, index = wish["claimer"] or (None, None)
    return {
        "status": status,
        "category": wish["category"],
        "title": wish["title"],
        "description": wish["description"],
        "wisher": wish["wisher"],
        "wisher_name": wisher["name"],
        "wisher_phone": wisher["phone"],
        "cell_number": wisher["cell_number"],
        "building": wisher["building"],
        "address_detail": wisher["address_detail"],
        "entered_by": entered_by,
        "consent_at": None if entered_by else times["submitted"],
        "submitted_at": times["submitted"],
        "published_at": times.get("published"),
        "claimed_at": times.get("claimed"),
        "delivered_at": times.get("delivered"),
        "fulfilled_at": times.get("fulfilled"),
        "rejected_at": times.get("rejected"),
        "reject_reason": wish["reject_reason"],
        "claimer": wish["claimer"],
        "member_index": index if kind == "member" else None,
        "unit_index": index if kind == "unit" else None,
        "delivery_note": delivery_note,
        "thank_you_note": thank_you,
        "events": events,
    }


# --- Volunteer service (志愿服务) ---------------------------------------------
#
# 2023 as the story tells it: the business-district party branch (LIAISON_UNIT)
# runs four "小红兴" teams; three named service projects; exactly 66 events held
# between 5 January and 26 December, 23 of them haircuts, free clinics or
# performances; and 46 livelihood problems of special groups solved. Around
# 2023: a few events held in late 2022 and in 2024, three events cancelled in
# 2023, cases solved in 2022 and 2024 and some still open or in progress, so that
# the period's edges matter. Planned events lie in the weeks after the day the
# demo is seeded (`planned_event_specs(today)`).
#
# Who attends: members who had registered with the community by the event's day,
# and the teams' members at any time (they serve through their branch before
# registering). The `member` login's member (index 0) attends several events
# after registering, with hours approved, and one whose hours await approval.
# Every event starts between 08:30 and 16:00 Asia/Shanghai and lasts 1.5-3 hours.

VOLUNTEER_EVENTS_2023 = 66
SPECIAL_SERVICES_2023 = 23
CASES_SOLVED_2023 = 46
CASE_PHONE_PREFIX = "1990002"  # residents of the special-group cases: 1990002xxxx

VOLUNTEER_TEAMS = [
    {
        "key": "meal",
        "name": "小红兴·助餐队",
        "skill": "烹饪",
        "size": 12,
        "resident_volunteers": ["商业街面馆店主（居民志愿者）", "幸福食堂厨师（居民志愿者）"],
    },
    {
        "key": "haircut",
        "name": "小红兴·义剪队",
        "skill": "理发",
        "size": 10,
        "resident_volunteers": ["商业街美发店店主（居民志愿者）", "退休理发师（居民志愿者）"],
    },
    {
        "key": "arts",
        "name": "小红兴·文艺队",
        "skill": "文艺",
        "size": 14,
        "resident_volunteers": ["社区秧歌队队长（居民志愿者）", "老年大学合唱班学员（居民志愿者）"],
    },
    {
        "key": "care",
        "name": "小红兴·帮扶队",
        "skill": "心理疏导",
        "size": 15,
        "resident_volunteers": ["退休教师（居民志愿者）"],
    },
]

SERVICE_PROJECTS = [
    {
        "name": "爱心助餐·聚爱成河",
        "team": "meal",
        "unit": "沙河镇惠民商贸有限公司",
        "start_date": datetime.date(2022, 9, 1),
        "end_date": None,
        "description": "商圈餐饮店和幸福食堂为独居、高龄和行动不便的老人提供爱心午餐，助餐队每周送餐上门。",
    },
    {
        "name": "情系困难妇女·真情送温暖",
        "team": "care",
        "unit": "临泽县人力资源和社会保障局",
        "start_date": datetime.date(2023, 3, 1),
        "end_date": None,
        "description": "帮扶队与困难妇女结对，上门走访、介绍就业、开展技能培训和健康筛查。",
    },
    {
        "name": "情系残疾人·关爱暖人心",
        "team": "haircut",
        "unit": "沙河镇卫生院",
        "start_date": datetime.date(2023, 5, 1),
        "end_date": None,
        "description": "为辖区残疾人上门理发、康复随访、维修辅具，帮助办理残疾人证和各项补贴。",
    },
]

# Places in the community: key -> (place, grid cell number).
VOLUNTEER_PLACES = {
    "center": ("社区党群服务中心", 1),
    "yangguang": ("阳光小区广场", 1),
    "station1": ("阳光小区红色先锋驿站", 1),
    "gongxiao": ("供销社家属院", 1),
    "xinyuan": ("馨园小区活动室", 2),
    "liangzhan": ("粮站家属院", 2),
    "danxia": ("丹霞苑小区广场", 3),
    "station2": ("丹霞苑红色先锋驿站", 3),
    "daycare": ("社区老年人日间照料中心", 3),
    "shangmao": ("商贸城住宅楼前广场", 4),
    "laoyiyuan": ("老医院家属院", 4),
    "culture": ("商业街文化广场", 5),
    "market": ("农贸市场", 5),
    "canteen": ("社区幸福食堂（爱心助餐点）", 5),
    "binhe": ("滨河花园凉亭", 6),
    "teachers": ("教师家属院", 6),
}
_COURTYARDS = ["gongxiao", "liangzhan", "laoyiyuan", "teachers", "station1", "station2"]
_SQUARES = ["yangguang", "danxia", "shangmao", "culture", "binhe"]


def _variant(title, places, *, team=None, units=(), project=None, groups=(), served=(20, 60), months=None,
             description="", summary=""):
    return {
        "title": title, "places": places, "team": team, "units": list(units), "project": project,
        "groups": list(groups), "served": served, "months": months, "description": description, "summary": summary,
    }


# Kinds of events (codes of the built-in EventKinds) and their variants. Summaries
# take {volunteers} (who attended) and {served} (residents served).
EVENT_CATALOGUE = {
    "haircut": [
        _variant("小红兴·爱心义剪进楼院", _COURTYARDS, team="haircut", groups=["elderly_alone", "disabled"], served=(15, 40),
                 description="义剪队带上工具到楼院为老人免费理发，行动不便的上门服务。",
                 summary="{volunteers}名志愿者为{served}名居民免费理发，其中上门为行动不便的老人理发。"),
        _variant("情系残疾人·上门义剪", ["gongxiao", "laoyiyuan", "teachers"], team="haircut", project="情系残疾人·关爱暖人心",
                 groups=["disabled"], served=(6, 15),
                 description="为辖区残疾人上门理发，顺便了解生活困难。",
                 summary="上门为{served}名残疾人理发，{volunteers}名志愿者参加，记录困难诉求两条。"),
        _variant("迎新春·爱心义剪", ["culture", "center"], team="haircut", groups=["elderly_alone", "low_income"], served=(30, 60),
                 months=[1, 2, 12], description="春节前在商业街为老人和困难群众免费理发。",
                 summary="春节前为{served}名居民免费理发，{volunteers}名志愿者参加。"),
    ],
    "clinic": [
        _variant("党员医生进社区·健康义诊", ["center", "yangguang", "danxia"], units=["临泽县人民医院", "沙河镇卫生院"],
                 groups=["elderly_alone", "disabled", "low_income"], served=(40, 90),
                 description="测血压血糖、健康咨询、慢病用药指导。",
                 summary="为{served}名居民测量血压血糖、提供健康咨询，{volunteers}名党员志愿者参加。"),
        _variant("中医义诊·冬病夏治", ["daycare", "center"], units=["临泽县中医医院"], groups=["elderly_alone"], served=(30, 70),
                 months=[6, 7, 8], description="中医号脉、推拿理疗、三伏贴讲解。",
                 summary="中医专家为{served}名居民号脉问诊，{volunteers}名志愿者协助。"),
        _variant("“两癌”筛查义诊进社区", ["center"], units=["临泽县人民医院"], project="情系困难妇女·真情送温暖",
                 groups=["woman"], served=(25, 50), description="为辖区困难妇女免费开展宫颈癌、乳腺癌筛查。",
                 summary="为{served}名妇女免费筛查，{volunteers}名志愿者参加组织和引导。"),
        _variant("助残康复义诊", ["daycare"], units=["沙河镇卫生院", "临泽县中医医院"], project="情系残疾人·关爱暖人心",
                 groups=["disabled"], served=(12, 30), description="康复评估、辅具使用指导和用药咨询。",
                 summary="为{served}名残疾人做康复评估，{volunteers}名志愿者参加。"),
    ],
    "performance": [
        _variant("迎新春·文艺义演进社区", ["culture", "center"], team="arts", units=["临泽县文化馆"], served=(120, 220),
                 months=[1, 2], description="秧歌、合唱、快板，给居民拜年。",
                 summary="演出节目12个，{served}名居民观看，{volunteers}名志愿者参加。"),
        _variant("“小红兴”文艺义演进楼院", _SQUARES, team="arts", groups=["elderly_alone"], served=(80, 160),
                 description="文艺队在小区广场为居民义演。",
                 summary="演出节目10个，{served}名居民观看，{volunteers}名志愿者参加。"),
        _variant("庆七一·唱支山歌给党听文艺义演", ["culture"], team="arts", units=["临泽县文化馆"], served=(100, 200),
                 months=[6, 7], description="庆祝建党节文艺演出。",
                 summary="演出节目14个，{served}名居民观看，{volunteers}名志愿者参加。"),
        _variant("重阳敬老文艺义演", ["daycare", "danxia"], team="arts", groups=["elderly_alone"], served=(60, 120),
                 months=[10], description="重阳节为老人义演并送上慰问品。",
                 summary="为{served}名老人义演，送上慰问品，{volunteers}名志愿者参加。"),
    ],
    "policy": [
        _variant("民法典宣传进楼院", _COURTYARDS + ["center"], units=["临泽县司法局"], served=(40, 120),
                 description="讲解民法典中与居民生活相关的条款，现场答疑。",
                 summary="发放宣传资料{served}份，解答法律问题，{volunteers}名志愿者参加。"),
        _variant("社保医保政策宣讲", ["center", "daycare"], units=["临泽县人力资源和社会保障局"], served=(50, 120),
                 groups=["low_income"], description="城乡居民医保缴费、养老保险认证等政策宣讲。",
                 summary="向{served}名居民讲解社保医保政策，现场帮助办理认证，{volunteers}名志愿者参加。"),
        _variant("防范电信诈骗宣传", _SQUARES + ["market"], units=["临泽县农村商业银行"], groups=["elderly_alone"],
                 served=(60, 150), description="以案说法，提醒老人防范养老诈骗和电信诈骗。",
                 summary="发放反诈资料{served}份，帮助居民安装反诈软件，{volunteers}名志愿者参加。"),
        _variant("食品安全宣传进商圈", ["market", "culture"], units=["临泽县市场监督管理局"], served=(40, 100),
                 description="向商户和居民宣传食品安全知识。",
                 summary="走访商户和居民{served}人次，{volunteers}名志愿者参加。"),
        _variant("税费政策进商圈", ["culture"], units=["国家税务总局临泽县税务局"], served=(30, 60),
                 description="为商圈个体户讲解税费优惠政策。",
                 summary="为{served}名个体户讲解税费优惠政策，{volunteers}名志愿者参加。"),
    ],
    "mediation": [
        _variant("“民声板凳”矛盾纠纷调解", _COURTYARDS, units=["临泽县司法局"], served=(3, 10),
                 description="在楼院摆上板凳，听居民说事，当面调解邻里纠纷。",
                 summary="调解邻里纠纷{served}起，{volunteers}名志愿者参加。"),
        _variant("楼院议事·物业纠纷调解", ["gongxiao", "liangzhan", "teachers"], team="care", units=["临泽县安居物业服务有限公司"],
                 served=(4, 12), description="物业、居民和党员志愿者一起协商楼院物业问题。",
                 summary="协商解决物业问题{served}件，{volunteers}名志愿者参加。"),
    ],
    "information": [
        _variant("入户走访·特殊群体信息采集", ["gongxiao", "liangzhan", "laoyiyuan", "teachers"], units=["沙河镇人民政府"],
                 groups=["elderly_alone", "disabled", "low_income"], served=(30, 90),
                 description="网格员和党员志愿者入户核实独居老人、残疾人、低收入家庭信息。",
                 summary="入户走访{served}户，更新特殊群体台账，{volunteers}名志愿者参加。"),
        _variant("流动人口和出租房屋信息登记", ["market", "culture", "shangmao"], units=["沙河镇人民政府"], served=(40, 120),
                 description="登记商圈流动人口和出租房屋信息。",
                 summary="登记流动人口{served}人，{volunteers}名志愿者参加。"),
    ],
    "appeal": [
        _variant("“敲门行动”居民诉求收集", ["gongxiao", "liangzhan", "laoyiyuan", "teachers", "shangmao"], units=["沙河镇人民政府"],
                 served=(20, 60), description="党员志愿者敲门入户，收集居民诉求。",
                 summary="入户{served}户，收集诉求，{volunteers}名志愿者参加。"),
        _variant("居民诉求办理情况回访", ["center"], units=["沙河镇人民政府"], served=(10, 30),
                 description="对已办理的居民诉求逐一电话和上门回访。",
                 summary="回访居民{served}户，满意率100%，{volunteers}名志愿者参加。"),
    ],
    "emergency": [
        _variant("消防安全演练进社区", _SQUARES, units=["临泽县消防救援大队"], served=(50, 120),
                 description="灭火器使用和楼栋疏散演练。",
                 summary="{served}名居民参加演练，{volunteers}名志愿者参加。"),
        _variant("防汛应急演练", ["binhe"], units=["沙河镇人民政府", "临泽县消防救援大队"], served=(30, 80),
                 months=[5, 6, 7, 8], description="黑河堤沿线防汛应急演练。",
                 summary="{served}名居民参加演练，检查防汛物资，{volunteers}名志愿者参加。"),
        _variant("冬季用电用气安全检查", _COURTYARDS, units=["国网临泽县供电公司", "临泽县消防救援大队"],
                 groups=["elderly_alone"], served=(30, 80), months=[1, 2, 10, 11, 12],
                 description="入户检查老旧线路、燃气灶具和取暖炉具。",
                 summary="入户检查{served}户，排除隐患，{volunteers}名志愿者参加。"),
    ],
    "meal": [
        _variant("爱心助餐·送餐上门", ["canteen"], team="meal", project="爱心助餐·聚爱成河",
                 groups=["elderly_alone", "disabled"], served=(15, 40),
                 description="助餐队为独居和行动不便的老人送午餐上门。",
                 summary="为{served}名老人送餐上门，{volunteers}名志愿者参加。"),
        _variant("幸福食堂爱心午餐", ["canteen"], team="meal", units=["沙河镇惠民商贸有限公司"], project="爱心助餐·聚爱成河",
                 groups=["elderly_alone", "low_income"], served=(30, 60), description="幸福食堂为老人提供爱心午餐。",
                 summary="为{served}名老人提供午餐，{volunteers}名志愿者参加。"),
        _variant("爱心助餐·包饺子送温暖", ["canteen", "daycare"], team="meal", project="爱心助餐·聚爱成河",
                 groups=["elderly_alone", "low_income"], served=(30, 60), months=[1, 2, 12],
                 description="和老人一起包饺子，给行动不便的送上门。",
                 summary="包饺子送给{served}名老人，{volunteers}名志愿者参加。"),
    ],
    "pairing": [
        _variant("情系困难妇女·结对走访", ["gongxiao", "liangzhan", "laoyiyuan", "teachers"], team="care",
                 project="情系困难妇女·真情送温暖", groups=["woman", "child"], served=(6, 15),
                 description="帮扶队与困难妇女家庭结对，上门走访了解需求。",
                 summary="走访结对家庭{served}户，{volunteers}名志愿者参加。"),
        _variant("情系残疾人·结对帮扶", ["gongxiao", "laoyiyuan", "teachers", "shangmao"], team="care",
                 project="情系残疾人·关爱暖人心", groups=["disabled"], served=(5, 12),
                 description="帮扶队上门看望结对的残疾人，帮助解决实际困难。",
                 summary="看望结对残疾人{served}名，{volunteers}名志愿者参加。"),
        _variant("“三八”节慰问困难妇女", ["center"], team="care", project="情系困难妇女·真情送温暖",
                 groups=["woman"], served=(10, 20), months=[3], description="节日慰问困难妇女，送上慰问品。",
                 summary="慰问困难妇女{served}名，{volunteers}名志愿者参加。"),
        _variant("助残日·结对帮扶", ["daycare"], team="care", project="情系残疾人·关爱暖人心",
                 groups=["disabled"], served=(10, 20), months=[5], description="全国助残日走访慰问残疾人家庭。",
                 summary="慰问残疾人家庭{served}户，{volunteers}名志愿者参加。"),
    ],
    "education": [
        _variant("“四点半课堂”课业辅导", ["xinyuan", "station1"], units=["沙河镇中心小学", "临泽县第二中学"],
                 groups=["child"], served=(15, 35), description="党员教师为双职工和困境家庭孩子辅导作业。",
                 summary="辅导学生{served}名，{volunteers}名志愿者参加。"),
        _variant("楼栋“微党校”学习会", ["station1", "station2"], units=["临泽县委组织部"], served=(15, 30),
                 description="在楼栋微党校学习党的二十大精神，更新学习园地。",
                 summary="{served}名党员和居民参加学习，更新学习园地，{volunteers}名志愿者参加。"),
        _variant("青少年心理健康讲座", ["xinyuan"], units=["临泽县第二中学"], groups=["child"], served=(20, 40),
                 description="心理老师讲解青春期心理健康，家长和孩子一起参加。",
                 summary="{served}名家长和学生参加，{volunteers}名志愿者参加。"),
    ],
}

# How many of the 66 held 2023 events are of each kind (23 special services).
KIND_COUNTS_2023 = {
    "haircut": 10, "clinic": 8, "performance": 5,
    "policy": 8, "mediation": 5, "information": 5, "appeal": 4, "emergency": 4,
    "meal": 8, "pairing": 6, "education": 3,
}
SPECIAL_KINDS = ("haircut", "clinic", "performance")

# Held events around 2023: (day, kind) and the ones cancelled in 2023: (day, kind, reason).
EVENTS_2022 = [(datetime.date(2022, 10, 18), "meal"), (datetime.date(2022, 11, 22), "haircut"), (datetime.date(2022, 12, 30), "performance")]
EVENTS_2024 = [(datetime.date(2024, 1, 3), "haircut"), (datetime.date(2024, 3, 8), "pairing"), (datetime.date(2024, 5, 19), "clinic")]
CANCELLED_2023 = [
    (datetime.date(2023, 4, 22), "performance", "因大风天气取消，改期举行。"),
    (datetime.date(2023, 7, 26), "clinic", "医院临时抽调医生支援防汛，活动取消。"),
    (datetime.date(2023, 11, 9), "policy", "与县里会议冲突，活动取消。"),
]
FIRST_EVENT_DAY = datetime.date(2023, 1, 5)
LAST_EVENT_DAY = datetime.date(2023, 12, 26)

_START_TIMES = [(8, 30), (9, 0), (9, 30), (10, 0), (14, 30), (15, 0), (15, 30), (16, 0)]
_DURATIONS = ["1.5", "2", "2", "2.5", "3"]

# Events planned in the weeks after the seeding day: (title, kind, place, team, unit, project,
# days ahead, start time, hours, capacity, groups, description). Titles are distinct.
PLANNED_EVENTS = [
    ("小红兴·爱心义剪进楼院", "haircut", "liangzhan", "haircut", None, None, 5, (9, 30), "2", 12,
     ["elderly_alone", "disabled"], "义剪队到粮站家属院为老人免费理发，请带上小板凳。"),
    ("党员医生进社区·健康义诊", "clinic", "center", None, "临泽县人民医院", None, 10, (9, 0), "2.5", 15,
     ["elderly_alone", "disabled", "low_income"], "测血压血糖、健康咨询；需要引导和登记的志愿者。"),
    ("爱心助餐·送餐上门", "meal", "canteen", "meal", None, "爱心助餐·聚爱成河", 16, (10, 30), "2", 10,
     ["elderly_alone", "disabled"], "为独居和行动不便的老人送午餐上门。"),
    ("防范电信诈骗宣传", "policy", "market", None, "临泽县农村商业银行", None, 23, (15, 0), "1.5", None,
     ["elderly_alone"], "在农贸市场向老人宣传防范养老诈骗。"),
    ("情系残疾人·结对帮扶", "pairing", "teachers", "care", None, "情系残疾人·关爱暖人心", 37, (14, 30), "2", 8,
     ["disabled"], "帮扶队上门看望结对的残疾人。"),
    ("“小红兴”文艺义演进楼院", "performance", "danxia", "arts", None, None, 52, (15, 0), "2", 20,
     ["elderly_alone"], "文艺队在丹霞苑小区广场义演。"),
]


def unit_index(name: str) -> int:
    return next(i for i, unit in enumerate(UNITS) if unit["name"] == name)


def team_specs() -> list[dict]:
    """The four teams: name, leader and members (indexes into member_specs()), deterministic.

    Leaders are members of the business-district branch; members are the
    branch's other members, then members with the team's skill (most of them
    living in the business-district cell), then others; nobody is in two teams.
    The `member` login's member (index 0) is in the care team.
    """
    rng = random.Random(f"{SEED}:teams")
    members = member_specs()
    branch = [i for i, m in enumerate(members) if m["unit_index"] == unit_index(LIAISON_UNIT)]
    leaders = sorted(branch, key=lambda i: (members[i]["reported_on"], i))[: len(VOLUNTEER_TEAMS)]
    others = [i for i in branch if i not in leaders]
    rng.shuffle(others)
    used = set(branch) | {0}
    specs = []
    for number, (team, leader) in enumerate(zip(VOLUNTEER_TEAMS, leaders)):
        chosen = [leader] + others[number :: len(VOLUNTEER_TEAMS)]
        if team["key"] == "care":
            chosen.append(0)
        skilled = [i for i, m in enumerate(members) if team["skill"] in m["skills"] and i not in used]
        skilled.sort(key=lambda i: (members[i]["cell_number"] != 5, rng.random()))
        for i in skilled[: team["size"] - len(chosen)]:
            chosen.append(i)
            used.add(i)
        rest = [i for i in range(len(members)) if i not in used]
        for i in rng.sample(rest, team["size"] - len(chosen)):
            chosen.append(i)
            used.add(i)
        specs.append(
            {
                "key": team["key"],
                "name": team["name"],
                "leader": leader,
                "members": sorted(chosen),
                "resident_volunteers": "\n".join(team["resident_volunteers"]),
            }
        )
    return specs


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


class _Volunteers:
    """Who may attend an event on a day, and their sign-up, check-in and approval."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.members = member_specs()
        self.teams = {team["key"]: team["members"] for team in team_specs()}
        # Team members serve at any time; the `member` login's member only once registered.
        self.team_members = sorted({i for members in self.teams.values() for i in members} - {0})

    def pool(self, day: datetime.date) -> list[int]:
        registered = {i for i, m in enumerate(self.members) if m["registered_on"] <= day}
        return sorted((registered | set(self.team_members)) - {0})

    def pick(self, day: datetime.date, team: str | None, count: int) -> list[int]:
        rng = self.rng
        pool = self.pool(day)
        chosen = []
        if team:
            own = [i for i in self.teams[team] if i != 0]
            chosen = rng.sample(own, min(len(own), max(3, count // 2)))
        rest = [i for i in pool if i not in chosen]
        chosen += rng.sample(rest, count - len(chosen))
        return chosen

    def attended(self, member: int, event: dict, approve: bool) -> dict:
        rng = self.rng
        starts_at, ends_at = event["starts_at"], event["ends_at"]
        checked_in = starts_at + datetime.timedelta(minutes=rng.randint(-20, 15))
        approved_on = ends_at.date() + datetime.timedelta(days=rng.randint(1, 4))
        return {
            "member": member,
            "signed_up_at": self.signed_up(starts_at),
            "checked_in_at": checked_in,
            "checked_in_by": "staff" if rng.random() < 0.2 else "self",
            "hours": event["hours"],
            "approved_at": _local(approved_on, rng.randint(9, 17), rng.randrange(0, 60, 5)) if approve else None,
        }

    def absent(self, member: int, event: dict) -> dict:
        return {
            "member": member, "signed_up_at": self.signed_up(event["starts_at"]), "checked_in_at": None,
            "checked_in_by": "", "hours": None, "approved_at": None,
        }

    def signed_up(self, starts_at: datetime.datetime) -> datetime.datetime:
        day = starts_at.date() - datetime.timedelta(days=self.rng.randint(1, 10))
        return _local(day, self.rng.randint(8, 21), self.rng.randrange(0, 60, 5))


def _event(rng, day: datetime.date, kind: str, status: str = "done") -> dict:
    """An event of `kind` on `day`: a variant fit for the month, its place, time and organisers."""
    variants = EVENT_CATALOGUE[kind]
    fitting = [v for v in variants if v["months"] and day.month in v["months"]]
    general = [v for v in variants if not v["months"]]
    variant = rng.choice(fitting) if fitting and rng.random() < 0.7 else rng.choice(general)
    if variant["project"]:
        project = next(p for p in SERVICE_PROJECTS if p["name"] == variant["project"])
        if day < project["start_date"]:
            variant = dict(variant, project=None)
    place, cell = VOLUNTEER_PLACES[rng.choice(variant["places"])]
    hour, minute = rng.choice(_START_TIMES)
    hours = rng.choice(_DURATIONS)
    starts_at = _local(day, hour, minute)
    units = variant["units"]
    served = rng.randint(*variant["served"]) if status == "done" else 0
    return {
        "title": variant["title"],
        "kind": kind,
        "project": variant["project"],
        "team": variant["team"],
        "unit_index": unit_index(rng.choice(units)) if units and (not variant["team"] or rng.random() < 0.5) else None,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=int(float(hours) * 60)),
        "hours": hours,
        "place": place,
        "cell_number": cell,
        "capacity": rng.choice([None, 15, 20, 20, 25]),
        "description": variant["description"],
        "status": status,
        "residents_served": served,
        "special_groups": variant["groups"] if status == "done" else [],
        "summary": variant["summary"],
        "participants": [],
    }


def volunteer_event_specs() -> list[dict]:
    """The held and cancelled demo events of 2022-2024 with their participants, deterministic.

    Each dict has the event's fields (times aware, `hours` as a string), `kind`
    (EventKind code), `project` (name or None), `team` (key or None),
    `unit_index`, `cell_number`, and `participants`: dicts of member (index into
    member_specs()), signed_up_at, checked_in_at, checked_in_by, hours, approved_at.
    Known by (title, starts_at), which are unique.
    """
    rng = random.Random(f"{SEED}:events")
    volunteers = _Volunteers(rng)

    # 2023: 66 held on distinct days, the first on 5 January and the last on 26 December,
    # and three cancelled on days of their own.
    cancelled_days = {day for day, _, _ in CANCELLED_2023}
    days = [
        FIRST_EVENT_DAY + datetime.timedelta(days=n)
        for n in range(1, (LAST_EVENT_DAY - FIRST_EVENT_DAY).days)
    ]
    days = [day for day in days if day not in cancelled_days]
    held_days = sorted([FIRST_EVENT_DAY, LAST_EVENT_DAY] + rng.sample(days, VOLUNTEER_EVENTS_2023 - 2))
    kinds = [kind for kind, count in KIND_COUNTS_2023.items() for _ in range(count)]
    rng.shuffle(kinds)
    planned = [(day, kind, "done") for day, kind in zip(held_days, kinds)]
    planned += [(day, kind, "done") for day, kind in EVENTS_2022 + EVENTS_2024]
    planned += [(day, kind, "cancelled") for day, kind, _ in CANCELLED_2023]
    planned.sort()

    events = []
    for day, kind, status in planned:
        event = _event(rng, day, kind, status)
        if status == "cancelled":
            reason = next(r for d, _, r in CANCELLED_2023 if d == day)
            event["summary"] = reason
        else:
            capacity = event["capacity"] or 20
            attending = rng.randint(5, min(capacity - 3, 16))  # room for the absent and the `member` login
            last = (day, kind) == EVENTS_2024[-1]  # hours of the latest event await approval
            chosen = volunteers.pick(day, event["team"], attending + rng.choice([0, 0, 1, 2]))
            event["participants"] = [
                volunteers.attended(m, event, approve=not last and rng.random() > 0.04) for m in chosen[:attending]
            ] + [volunteers.absent(m, event) for m in chosen[attending:]]
        events.append(event)

    # The `member` login's member: five events after registering (hours approved),
    # one missed, and the latest event (hours pending).
    registered = volunteers.members[0]["registered_on"]
    later = [e for e in events if e["status"] == "done" and registered < e["starts_at"].date() <= LAST_EVENT_DAY]
    mine = sorted(rng.sample(later, 6), key=lambda e: e["starts_at"])
    for event in mine[:-1]:
        event["participants"].append(volunteers.attended(0, event, approve=True))
    mine[-1]["participants"].append(volunteers.absent(0, mine[-1]))
    pending = next(e for e in events if (e["starts_at"].date(), e["kind"]) == EVENTS_2024[-1])
    pending["participants"].append(volunteers.attended(0, pending, approve=False))
    for event in events:
        event["participants"].sort(key=lambda p: p["member"])
        if event["status"] == "done":
            attended = sum(1 for p in event["participants"] if p["checked_in_at"])
            event["summary"] = event["summary"].format(volunteers=attended, served=event["residents_served"])
    return events


def planned_event_specs(today: datetime.date) -> list[dict]:
    """Events planned in the weeks after `today`, with a few sign-ups (the `member`
    login's member signed up for the second). Known by (title, kind) among planned
    events: their days move with `today`."""
    rng = random.Random(f"{SEED}:planned")
    volunteers = _Volunteers(rng)
    specs = []
    for number, (title, kind, place, team, unit, project, ahead, (hour, minute), hours, capacity, groups, description) in enumerate(
        PLANNED_EVENTS
    ):
        starts_at = _local(today + datetime.timedelta(days=ahead), hour, minute)
        place, cell = VOLUNTEER_PLACES[place]
        members = volunteers.pick(today, team, rng.randint(3, min(capacity or 8, 8) - 1))
        if number == 1:
            members.append(0)
        specs.append(
            {
                "title": title, "kind": kind, "project": project, "team": team,
                "unit_index": unit_index(unit) if unit else None,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(minutes=int(float(hours) * 60)),
                "hours": hours, "place": place, "cell_number": cell, "capacity": capacity,
                "description": description, "status": "planned", "residents_served": 0,
                "special_groups": groups, "summary": "",
                "participants": [
                    {
                        "member": member,
                        # Some days before the seeding day, so never in the future.
                        "signed_up_at": _local(today - datetime.timedelta(days=rng.randint(1, 6)), rng.randint(8, 21), rng.randrange(0, 60, 5)),
                        "checked_in_at": None, "checked_in_by": "", "hours": None, "approved_at": None,
                    }
                    for member in sorted(members)
                ],
            }
        )
    return specs


# --- Special-group cases (民生实事) -------------------------------------------

# By group: (problem, description, what was done, who takes it on, kind of a related event).
# Who: ("unit", name), ("team", key) or ("member", skill).
CASE_CATALOGUE = {
    "elderly_alone": [
        ("独居老人家中水管漏水", "厨房下水管老化漏水，楼下邻居反映渗水。", "供排水公司党员上门更换了老化水管，检查了全屋管线。",
         ("unit", "临泽县供排水公司"), None),
        ("独居老人取暖炉具存在安全隐患", "冬季使用煤炉取暖，烟道破损，有煤气中毒风险。", "消防救援大队上门更换烟道，安装一氧化碳报警器，讲解安全用火。",
         ("unit", "临泽县消防救援大队"), "emergency"),
        ("独居老人就医无人陪护", "患慢性病需定期到县医院复查，子女在外地。", "党员志愿者陪同到县人民医院复查，帮助挂号缴费，约定每月陪诊一次。",
         ("member", "医疗"), None),
        ("独居老人家中电路老化", "家中插座发烫，线路老化。", "供电所党员上门更换老化电线和插座，检查了电表箱。",
         ("unit", "国网临泽县供电公司"), "emergency"),
        ("独居老人做饭困难", "年过八旬，腿脚不便，做饭困难。", "纳入“爱心助餐·聚爱成河”项目，助餐队每周送餐上门。",
         ("team", "meal"), "meal"),
        ("独居老人不会用智能手机", "想和外地子女视频通话，不会使用智能手机。", "党员志愿者上门教会老人视频通话和手机支付，并设置了防诈骗提醒。",
         ("member", "电脑"), None),
        ("独居老人卫生间地面湿滑", "卫生间地面湿滑，老人曾摔倒。", "住建局党员协调安装扶手和防滑地垫。",
         ("unit", "临泽县住房和城乡建设局"), None),
        ("独居老人屋顶漏雨", "平房屋顶漏雨，雨天需用盆接水。", "物业公司维修班对屋顶做了防水处理。",
         ("unit", "临泽县安居物业服务有限公司"), None),
        ("独居老人长期未理发", "行动不便，很久没有理发。", "义剪队上门为老人理发，并约定每月上门一次。",
         ("team", "haircut"), "haircut"),
    ],
    "disabled": [
        ("残疾人轮椅维修", "轮椅刹车失灵、轮胎漏气，无法出门。", "帮扶队志愿者更换刹车片和内胎，轮椅恢复使用。",
         ("team", "care"), "pairing"),
        ("残疾人证年审代办", "肢体残疾，行动不便，无法到窗口办理残疾人证年审。", "党员志愿者代办残疾人证年审，并帮助申请两项补贴。",
         ("member", None), None),
        ("残疾人就业技能培训", "听力残疾青年希望学一门手艺。", "人社局推荐参加县里的面点技能培训，已结业。",
         ("unit", "临泽县人力资源和社会保障局"), None),
        ("残疾人家中无障碍改造", "家门口台阶高，轮椅进出困难。", "住建局协调修建坡道，加装扶手。",
         ("unit", "临泽县住房和城乡建设局"), None),
        ("残疾人康复理疗", "中风后肢体活动受限，需要康复指导。", "中医医院医生上门做康复评估，每周理疗一次。",
         ("unit", "临泽县中医医院"), "clinic"),
        ("视力残疾人出行不便", "视力残疾，出行需要盲杖和陪同。", "帮扶队送上盲杖，安排志愿者每周陪同买菜。",
         ("team", "care"), "pairing"),
        ("残疾人上门理发", "长期卧床，无法出门理发。", "义剪队上门理发，纳入“情系残疾人·关爱暖人心”项目。",
         ("team", "haircut"), "haircut"),
    ],
    "woman": [
        ("困难妇女就业介绍", "丈夫患病，家庭收入低，希望找一份工作。", "人社局推荐到商圈超市做理货员，已上岗。",
         ("unit", "临泽县人力资源和社会保障局"), None),
        ("单亲妈妈孩子入学手续", "单亲家庭，孩子转学手续不清楚。", "中心小学党员教师帮助办理转学入学手续。",
         ("unit", "沙河镇中心小学"), None),
        ("困难妇女家中暖气不热", "家中暖气不热，孩子冻感冒。", "物业公司上门排气、清洗暖气片，室温恢复正常。",
         ("unit", "临泽县安居物业服务有限公司"), None),
        ("困难妇女“两癌”筛查", "担心身体，无钱体检。", "参加社区“两癌”筛查义诊，结果正常，建立随访档案。",
         ("unit", "临泽县人民医院"), "clinic"),
        ("困难妇女手工技能培训", "希望在家做手工增加收入。", "帮扶队联系商圈商户，培训编织并代销作品。",
         ("team", "care"), "pairing"),
        ("困难妇女追讨抚养费", "离婚后前夫长期不付抚养费。", "司法局提供法律援助，调解达成按月支付协议。",
         ("unit", "临泽县司法局"), "mediation"),
    ],
    "child": [
        ("困境儿童课业辅导", "父母务工在外，孩子数学成绩落后。", "党员教师每周上门辅导两次，期末成绩提高。",
         ("member", "教育辅导"), "education"),
        ("留守儿童心理疏导", "孩子性格孤僻，不愿与人交流。", "党员志愿者定期陪伴谈心，联系学校心理老师跟进。",
         ("member", "心理疏导"), None),
        ("困境儿童冬衣", "孩子冬天没有厚棉衣。", "帮扶队送去棉衣、棉鞋和学习用品。",
         ("team", "care"), None),
        ("困境儿童近视配镜", "孩子看不清黑板，家里无力配镜。", "人民医院眼科免费验光，财政局党员捐资配镜。",
         ("unit", "临泽县人民医院"), None),
        ("困境儿童上网课没有设备", "上网课只能用家长的旧手机。", "财政局捐赠旧电脑，检修后送到家中。",
         ("unit", "临泽县财政局"), None),
    ],
    "low_income": [
        ("低收入家庭临时救助申请", "家人住院，医疗费用负担重。", "党员志愿者协助准备材料，申请到临时救助金。",
         ("member", None), None),
        ("低收入家庭子女助学", "孩子考上高中，学费有困难。", "第二中学为孩子申请助学金并减免住宿费。",
         ("unit", "临泽县第二中学"), None),
        ("低收入家庭冬季取暖", "冬季取暖煤不够。", "惠民商贸公司送去取暖煤一吨。",
         ("unit", "沙河镇惠民商贸有限公司"), None),
        ("低收入家庭就业岗位", "家中劳动力失业半年。", "人社局推荐公益性岗位，已上岗。",
         ("unit", "临泽县人力资源和社会保障局"), None),
        ("低收入家庭医保缴费", "不清楚医保缴费和报销政策。", "党员志愿者上门讲解并帮助在手机上完成缴费。",
         ("member", None), "policy"),
    ],
}
# How many of the 46 cases solved in 2023 are of each group.
CASE_COUNTS_2023 = {"elderly_alone": 14, "disabled": 10, "woman": 8, "child": 7, "low_income": 7}


def case_resident_specs(count: int) -> list[dict]:
    """`count` residents of the cases: synthetic names apart from everyone else's, phones 1990002xxxx."""
    rng = random.Random(f"{SEED}:case-residents")
    taken = {name for group in demo_people().values() for name, _ in group} | {w["name"] for w in wisher_specs()}
    people = synthetic_people(count, rng, exclude=taken)
    cell_weights = [cell["households"] for cell in GRID_CELLS]
    specs = []
    for index, (name, gender) in enumerate(people):
        cell = rng.choices(GRID_CELLS, weights=cell_weights)[0]
        building = rng.choice(cell["buildings"])[0]
        if building.endswith("楼"):
            door = f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
        else:
            door = f"{rng.randint(1, 8)}排{rng.randint(1, 6)}号"
        specs.append(
            {"name": name, "gender": gender, "phone": f"{CASE_PHONE_PREFIX}{index + 1:04d}",
             "cell_number": cell["number"], "building": building, "address_detail": door}
        )
    return specs


def case_specs(events: list[dict] | None = None) -> list[dict]:
    """The special-group cases, deterministic: 46 solved in 2023, plus two solved in
    2022, two in 2024 (one opened in December 2023), three open and three in progress.

    Each dict has group, resident (name, phone, cell_number, building,
    address_detail), problem, description, action_taken, status, opened_on,
    started_on, solved_on, taker (("member", index), ("unit", index) or
    ("team", key)) and event ((title, starts_at) of a held event, or None).
    Known by (resident_name, problem, opened_on).
    """
    rng = random.Random(f"{SEED}:cases")
    events = volunteer_event_specs() if events is None else events
    members = member_specs()
    held_2023 = [e for e in events if e["status"] == "done" and e["starts_at"].year == 2023]
    d = datetime.date

    # (group, status, opened_on, solved_on); the 2023 ones get their days below.
    plan = [(group, "solved", None, None) for group, count in CASE_COUNTS_2023.items() for _ in range(count)]
    rng.shuffle(plan)
    plan += [
        ("elderly_alone", "solved", d(2022, 10, 28), d(2022, 11, 15)),
        ("disabled", "solved", d(2022, 12, 12), d(2022, 12, 29)),
        ("low_income", "solved", d(2023, 12, 18), d(2024, 1, 5)),  # solved in 2024: not one of the 46
        ("woman", "solved", d(2024, 3, 25), d(2024, 4, 12)),
        ("elderly_alone", "in_progress", d(2024, 6, 3), None),
        ("child", "in_progress", d(2024, 6, 11), None),
        ("disabled", "in_progress", d(2024, 6, 17), None),
        ("low_income", "open", d(2024, 6, 20), None),
        ("elderly_alone", "open", d(2024, 6, 24), None),
        ("woman", "open", d(2024, 6, 26), None),
    ]
    residents = case_resident_specs(len(plan) + 10)
    used_problems: dict[str, int] = {}

    def resident_for(group):
        female = group == "woman"
        return residents.pop(next(i for i, r in enumerate(residents) if not female or r["gender"] == "female"))

    def taker(who, day):
        kind, value = who
        if kind == "unit":
            return ("unit", unit_index(value))
        if kind == "team":
            return ("team", value)
        ready = [i for i, m in enumerate(members) if m["reported_on"] <= day and i != 0]
        if not ready:
            return ("team", "care")
        skilled = [i for i in ready if value in members[i]["skills"]]
        return ("member", rng.choice(skilled or ready))

    specs = []
    for group, status, opened, solved in plan:
        catalogue = CASE_CATALOGUE[group]
        # Every problem of the group before any repeats.
        fewest = min(used_problems.get(item[0], 0) for item in catalogue)
        problem, description, action, who, event_kind = rng.choice(
            [item for item in catalogue if used_problems.get(item[0], 0) == fewest]
        )
        used_problems[problem] = fewest + 1
        resident = resident_for(group)
        event = None
        if opened is None:
            candidates = [e for e in held_2023 if e["kind"] == event_kind and group in e["special_groups"]]
            if candidates and rng.random() < 0.6:
                linked = rng.choice(candidates)
                event = (linked["title"], linked["starts_at"])
                solved = min(linked["starts_at"].date() + datetime.timedelta(days=rng.randint(0, 5)), d(2023, 12, 31))
                opened = linked["starts_at"].date() - datetime.timedelta(days=rng.randint(3, 30))
            else:
                solved = d(2023, 1, 10) + datetime.timedelta(days=rng.randint(0, (d(2023, 12, 26) - d(2023, 1, 10)).days))
                opened = solved - datetime.timedelta(days=rng.randint(2, 40))  # some opened in December 2022
        started = None if status == "open" else min(opened + datetime.timedelta(days=rng.randint(0, 3)), solved or d(2024, 6, 30))
        specs.append(
            {
                "group": group,
                "resident_name": resident["name"],
                "resident_phone": resident["phone"],
                "cell_number": resident["cell_number"],
                "building": resident["building"],
                "address_detail": resident["address_detail"],
                "problem": problem,
                "description": description,
                "action_taken": action if status == "solved" else ("已上门了解情况，正在协调解决。" if status == "in_progress" else ""),
                "status": status,
                "opened_on": opened,
                "started_on": started,
                "solved_on": solved,
                "taker": taker(who, started) if started else None,
                "event": event,
            }
        )
    return specs


# --- Grid work, the deliberation hall, red property and stations --------------
#
# The rest of the story's 2023 (issue 5): grid workers and members knock on doors
# (visits of every kind in all six cells: the `grid` login in its cells 1 and 2,
# the `staff` login everywhere, the `member` login in its home cell once it had
# reported in); residents' appeals, online, recorded by the office or the grid
# worker, or turned from a visit, answered and mostly closed, some reopened once
# and answered again, four still waiting at the end of the year (two of them
# overdue by then); the red deliberation hall (红色议事厅) settled exactly 8 topics
# in 2023, parking (停车难) and merging small compounds (小区并大区) among them, in
# bench talks (民声板凳), courtyard evenings (楼院夜话) and hall meetings, with one
# topic still deliberating, one being carried out, one dropped, one settled in
# 2022 and one in 2024; two property companies run proxy windows (代办窗口); two
# red vanguard stations and six stairwell micro party schools have their content
# updated (one school left stale; the others have an update a few days before the
# day of the run: `station_specs(today)`).
#
# Residents are synthetic (phones 1990003xxxx); contacts of companies and places
# have phones 1990005xxxx. Every timestamp lies between 09:00 and 18:00.

GRID_PHONE_PREFIX = "1990003"  # residents of visits, appeals and proxy services
PLACE_PHONE_PREFIX = "1990005"  # contacts of property companies, stations and schools
GRID_RESIDENT_COUNT = 160
APPEAL_CODE_PREFIX = "DEMA"  # tracking codes of the demo appeals: DEMA + 6 base-31 digits
TOPICS_SETTLED_2023 = 8
_d = datetime.date


def appeal_code(index: int) -> str:
    """Tracking code of demo appeal `index`: DEMA + 6 base-31 digits (the appeal alphabet), 10 characters."""
    from grid.models.work import CODE_ALPHABET

    base, width = len(CODE_ALPHABET), 6
    if not 0 <= index < base**width:
        raise ValueError(f"appeal index out of range: {index}")
    digits = []
    for _ in range(width):
        index, digit = divmod(index, base)
        digits.append(CODE_ALPHABET[digit])
    return APPEAL_CODE_PREFIX + "".join(reversed(digits))


def grid_login_name() -> str:
    """Full name of the `grid` login (the third of the staff names, as `seed_demo` gives them)."""
    return demo_people()["staff"][2][0]


def staff_login_name() -> str:
    """Full name of the `staff` login (the second of the staff names)."""
    return demo_people()["staff"][1][0]


def place_phone(index: int) -> str:
    return f"{PLACE_PHONE_PREFIX}{index + 1:04d}"


def grid_resident_specs() -> list[dict]:
    """Residents met on visits, with appeals or errands: name, phone, home (cell, building, door)."""
    rng = random.Random(f"{SEED}:grid-residents")
    taken = {name for group in demo_people().values() for name, _ in group} | {w["name"] for w in wisher_specs()}
    people = synthetic_people(GRID_RESIDENT_COUNT, rng, exclude=taken)
    cell_weights = [cell["households"] for cell in GRID_CELLS]
    specs = []
    for index, (name, gender) in enumerate(people):
        cell = rng.choices(GRID_CELLS, weights=cell_weights)[0]
        building = rng.choices(cell["buildings"], weights=[b[1] for b in cell["buildings"]])[0][0]
        if building.endswith("楼"):
            door = f"{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
        else:
            door = f"{rng.randint(1, 8)}排{rng.randint(1, 6)}号"
        specs.append(
            {"name": name, "gender": gender, "phone": f"{GRID_PHONE_PREFIX}{index + 1:04d}",
             "cell_number": cell["number"], "building": building, "address_detail": door}
        )
    return specs


def household(resident: dict) -> str:
    """How a visit log names the household: door and family, e.g. 2单元301室（王家）."""
    return f"{resident['address_detail']}（{resident['name'][0]}家）"


# --- Appeals (诉求) ---

# By category: (title, description, answer, who takes it: None (the office answers),
# "grid" (the grid worker of cells 1-2) or a unit's name).
APPEAL_CATALOGUE = {
    "environment": [
        ("楼道堆放杂物", "单元楼道里堆满纸箱和旧家具，影响通行，也有火灾隐患。",
         "已联系物业和楼长清理楼道杂物，张贴了楼道禁止堆物提示，楼长每周巡查。", "grid"),
        ("垃圾桶满溢无人清运", "小区门口垃圾桶两天没人清运，气味很大。",
         "已协调环卫所增加清运频次，每天早晚各清运一次。", None),
        ("下水道堵塞反味", "楼下下水井堵塞，污水外溢，味道很大。",
         "物业已疏通管道并清理下水井，检查了整栋楼的排水管。", "临泽县安居物业服务有限公司"),
        ("绿化带长期无人修剪", "小区绿化带杂草很高，夏天蚊虫多。",
         "物业已修剪绿化带并喷洒了灭蚊药，约定每月修剪一次。", "临泽县安居物业服务有限公司"),
    ],
    "property": [
        ("物业费收支不公开", "希望物业公开去年物业费的收支明细。",
         "已督促物业在小区公示栏公开上年度物业费收支情况，并在红色议事厅向居民代表说明。", None),
        ("楼顶漏水物业迟迟不修", "顶楼下雨漏水，报修两次物业还没来修。",
         "物业已对楼顶漏水部位做了防水处理，雨后回访未再漏水。", "临泽县安居物业服务有限公司"),
        ("电梯经常停运", "电梯一个月停了三次，老人上下楼很困难。",
         "已督促物业联系维保单位全面检修电梯，更换了门机部件。", None),
    ],
    "facilities": [
        ("小区路灯不亮", "小区主干道三盏路灯不亮，晚上出行不安全。",
         "已协调供电公司更换灯具，路灯恢复照明。", "国网临泽县供电公司"),
        ("健身器材损坏", "广场上的健身器材有两件坏了，怕伤到老人和孩子。",
         "已拆除损坏器材并更换新器材。", "临泽县住房和城乡建设局"),
        ("单元门禁损坏", "单元门禁坏了半个月，陌生人随便进出。",
         "物业已更换门禁主板，门禁恢复正常。", "grid"),
        ("楼道声控灯坏了", "楼道声控灯坏了好几个，晚上上下楼看不清。",
         "已更换楼道声控灯6个。", "grid"),
        ("自来水水压低", "高峰时段楼上水压很低，热水器打不着火。",
         "供排水公司已调整加压泵运行时间，高峰时段水压恢复正常。", "临泽县供排水公司"),
    ],
    "neighbours": [
        ("楼上噪音扰民", "楼上住户晚上十一点以后还在拖动家具，影响休息。",
         "网格员上门沟通，楼上住户表示会注意，双方加了联系方式。", "grid"),
        ("邻居空调外机滴水", "楼上空调外机滴水落在阳台上，沟通没有结果。",
         "调解后楼上住户加装了冷凝水管，问题已解决。", "grid"),
        ("邻居在公共区域私搭乱建", "邻居在楼下公共绿地搭了棚子放杂物。",
         "经调解，邻居已自行拆除棚子，绿地恢复。", None),
    ],
    "safety": [
        ("电动车在楼道充电", "有住户把电动车推进楼道充电，担心起火。",
         "已上门劝导并宣传消防安全，小区车棚增设了充电桩。", "临泽县消防救援大队"),
        ("井盖松动", "小区路上一个井盖松动，踩上去会翘起来。",
         "已更换井盖并加固。", "临泽县住房和城乡建设局"),
        ("消防栓没有水", "检查发现楼下消防栓打开没有水。",
         "已联系消防救援大队和物业检修消防管网，消防栓恢复供水。", "临泽县消防救援大队"),
    ],
    "assistance": [
        ("高龄津贴没有到账", "老人满80岁了，高龄津贴还没有到账。",
         "已核实并补报材料，津贴下月起按时发放，补发了之前的部分。", None),
        ("申请临时救助", "家人住院花了很多钱，生活困难。",
         "已协助准备材料申请临时救助，救助金已发放。", None),
        ("残疾人补贴怎么申请", "家里有残疾人，不知道怎么申请两项补贴。",
         "已上门讲解政策并代为提交申请，补贴已批准。", None),
    ],
    "other": [
        ("社区活动室开放时间", "想知道社区活动室什么时候开放，能不能晚上开。",
         "活动室已调整为每天8:30-20:30开放，时间在公示栏公布。", None),
        ("希望开设老年人手机课", "很多老人不会用智能手机，希望社区开课。",
         "已与融媒体中心党员志愿者约定，每月在党群服务中心开一次手机课。", None),
    ],
}
APPEAL_CATEGORY_WEIGHTS = {"environment": 5, "property": 4, "facilities": 6, "neighbours": 4, "safety": 3, "assistance": 3, "other": 1}
REOPEN_REASONS = [
    "修好没两天又坏了。",
    "只处理了一半，问题还在。",
    "晚上还是很吵，问题没有解决。",
    "等了很久还是没有结果。",
]
SECOND_ANSWER = "再次上门处理，已彻底解决，并约定一周后回访。"
STAFF_CLOSE_NOTE = "电话回访，居民对处理结果满意，办结。"
RESIDENT_CLOSE_NOTES = ["", "", "谢谢社区，问题解决了。", "满意，谢谢网格员。"]
# Note of the step that sends an appeal to the deliberation hall.
TOPIC_NOTE = "已转红色议事厅协商：{title}"

# How the 2023 appeals (other than those of the deliberation hall and the four
# still waiting) end: closed by the resident, closed by the office after a call,
# answered (not closed yet), reopened once then answered again and closed.
APPEAL_PLANS_2023 = {"closed_resident": 10, "closed_staff": 12, "answered": 4, "reopened": 4}

# Appeals that went to the deliberation hall, by topic title: (category, title,
# description, source, cell, building, received, [(step, day, ...)]).
# Steps: ("assign", day, "grid" | unit name), ("topic", day), ("answer", day, text),
# ("reopen", day, reason), ("close", day, "staff" | "resident", note).
PARKING = "阳光小区、馨园小区停车难"
CLUTTER = "丹霞苑楼道堆物清理"
TOPIC_APPEALS = [
    (PARKING, "property", "晚上乱停车堵住单元门", "晚上车辆乱停，堵住单元门和消防通道，老人出门都困难。", "online", 1, "阳光小区2号楼",
     _d(2023, 3, 6), [("assign", _d(2023, 3, 7), "grid"), ("topic", _d(2023, 3, 20)),
                       ("answer", _d(2023, 3, 21), "您反映的停车难问题涉及小区多数居民，已提交社区红色议事厅协商，协商安排在小区公示栏公布，欢迎参加。"),
                       ("close", _d(2023, 8, 31), "staff", "议事厅协商方案已落实：增划车位46个，共享夜间车位60个，办结。")]),
    (PARKING, "property", "外来车辆占用小区车位", "走访时居民反映，外来车辆长期占用小区车位，业主回家没有地方停车。", "visit", 2, "馨园小区1号楼",
     _d(2023, 3, 14), [("topic", _d(2023, 3, 20)),
                        ("answer", _d(2023, 3, 22), "已提交社区红色议事厅协商停车问题，4月上旬在阳光小区广场召开民声板凳会，欢迎参加。"),
                        ("close", _d(2023, 8, 31), "staff", "议事厅协商方案已落实，外来车辆登记限时停放，办结。")]),
    (PARKING, "property", "小区车位太少", "小区车位太少，每天晚上为停车发愁，希望多划一些车位。", "staff", 1, "阳光小区1号楼",
     _d(2023, 3, 27), [("topic", _d(2023, 3, 29)),
                        ("answer", _d(2023, 3, 30), "停车问题已在社区红色议事厅协商，请关注4月8日的民声板凳会。"),
                        ("close", _d(2023, 4, 2), "resident", "好的，我去参加。")]),
    (CLUTTER, "environment", "楼道里堆满杂物", "3单元楼道堆满纸箱、旧沙发和花盆，晚上上下楼容易绊倒。", "online", 3, "丹霞苑3号楼",
     _d(2023, 4, 18), [("answer", _d(2023, 4, 21), "已联系物业清理3单元楼道杂物。"),
                        ("reopen", _d(2023, 4, 28), "清理后没几天又堆上了，其他单元也一样。"),
                        ("topic", _d(2023, 5, 4)),
                        ("answer", _d(2023, 5, 26), "经民声板凳和楼院夜话协商，丹霞苑制定了楼道公约，6月1日起集中清理，楼长每周巡查。"),
                        ("close", _d(2023, 6, 3), "resident", "楼道干净了，谢谢！")]),
    (CLUTTER, "safety", "楼道堆物堵塞消防通道", "1号楼楼道堆放杂物和电动车，堵塞消防通道。", "staff", 3, "丹霞苑1号楼",
     _d(2023, 4, 25), [("assign", _d(2023, 4, 26), "临泽县消防救援大队"), ("topic", _d(2023, 5, 4)),
                        ("answer", _d(2023, 5, 6), "消防救援大队已上门检查并宣传消防安全，楼道堆物问题已提交红色议事厅统一协商。"),
                        ("close", _d(2023, 7, 7), "staff", "楼道公约已落实，消防通道畅通，办结。")]),
]

# The four appeals still waiting at the end of 2023; the first two are overdue by then.
WAITING_APPEALS = [
    ("facilities", "楼顶水箱漏水", "楼顶水箱漏水，顶楼墙面发霉。", "visit", _d(2023, 12, 4),
     [("assign", _d(2023, 12, 5), "临泽县住房和城乡建设局")]),
    ("environment", "化粪池外溢", "化粪池又外溢了，味道很大。", "online", _d(2023, 11, 20),
     [("answer", _d(2023, 11, 24), "物业已抽排化粪池。"), ("reopen", _d(2023, 12, 8), "抽完一个星期又满了，需要彻底改造。")]),
    ("facilities", "单元门禁又坏了", "单元门禁刷卡没反应，门关不上。", "online", _d(2023, 12, 27), []),
    ("neighbours", "楼上漏水到我家", "楼上卫生间漏水，我家天花板湿了一大片。", "staff", _d(2023, 12, 28),
     [("assign", _d(2023, 12, 29), "grid")]),
]


def _appeal_steps(rng, plan: str, received: datetime.date, answer: str, who) -> list[tuple]:
    """The steps of an appeal after it was received, each on a later day."""
    day = received
    steps = []

    def later(low, high):
        nonlocal day
        day += datetime.timedelta(days=rng.randint(low, high))
        return day

    if who:
        steps.append(("assign", later(1, 2), who))
    if plan == "cross_2024":
        steps.append(("answer", _d(2024, 1, 3), answer))
        steps.append(("close", _d(2024, 1, 10), "staff", STAFF_CLOSE_NOTE))
        return steps
    steps.append(("answer", later(1, 8), answer))
    if plan == "reopened":
        steps.append(("reopen", later(2, 9), rng.choice(REOPEN_REASONS)))
        steps.append(("answer", later(1, 5), SECOND_ANSWER))
    if plan == "answered":
        return steps
    if plan == "closed_staff" or (plan == "reopened" and rng.random() < 0.5):
        steps.append(("close", later(5, 10), "staff", STAFF_CLOSE_NOTE))
    else:
        steps.append(("close", later(1, 4), "resident", rng.choice(RESIDENT_CLOSE_NOTES)))
    return steps


def appeal_specs() -> list[dict]:
    """Every demo appeal with its whole history, deterministic.

    Each dict has the appeal's fields (times aware), `resident` (index into
    grid_resident_specs()), `cell_number`, `building` (name), `entered_by` (demo
    username or None), `assigned_to` (demo username, ("unit", name) or None),
    `topic` (title or None), `code`, and `events`: dicts of from_status,
    to_status, actor (demo username or None), by_resident, note, created_at.
    """
    rng = random.Random(f"{SEED}:appeals")
    residents = grid_resident_specs()
    categories, weights = list(APPEAL_CATEGORY_WEIGHTS), list(APPEAL_CATEGORY_WEIGHTS.values())
    # The residents of the appeals: one appeal each.
    order = list(range(len(residents)))
    rng.shuffle(order)
    used: set[int] = set()

    def resident_in(cell=None, building=None):
        for index in order:
            r = residents[index]
            if index not in used and (cell is None or r["cell_number"] == cell) and (building is None or r["building"] == building):
                used.add(index)
                return index
        raise ValueError("no resident left")

    raw = []  # (category, title, description, source, resident, received, steps, topic)

    for topic, category, title, description, source, cell, building, received, steps in TOPIC_APPEALS:
        raw.append((category, title, description, source, resident_in(cell, building), received, steps, topic))

    plans = [plan for plan, count in APPEAL_PLANS_2023.items() for _ in range(count)]
    rng.shuffle(plans)
    plans += ["cross_2022", "cross_2024"]
    sources = ["online"] * 5 + ["staff"] * 3 + ["visit"] * 3
    used_titles: dict[str, int] = {}
    for number, plan in enumerate(plans):
        category = rng.choices(categories, weights=weights)[0]
        catalogue = APPEAL_CATALOGUE[category]
        fewest = min(used_titles.get(item[0], 0) for item in catalogue)
        title, description, answer, who = rng.choice([i for i in catalogue if used_titles.get(i[0], 0) == fewest])
        used_titles[title] = fewest + 1
        resident = resident_in()
        cell = residents[resident]["cell_number"]
        if who == "grid" and cell not in (1, 2):
            who = None
        if plan == "cross_2022":
            received = _d(2022, 12, 27)
        elif plan == "cross_2024":
            received = _d(2023, 12, 26)
        elif plan == "answered":
            received = _day_in(rng, _d(2023, 12, 1), _d(2023, 12, 15))
        else:
            received = _day_in(rng, _d(2023, 1, 4), _d(2023, 11, 25))
        if plan == "cross_2022":
            steps = [("answer", _d(2023, 1, 4), answer), ("close", _d(2023, 1, 6), "resident", "")]
        else:
            steps = _appeal_steps(rng, plan, received, answer, who)
        raw.append((category, title, description, sources[number % len(sources)], resident, received, steps, None))

    for category, title, description, source, received, steps in WAITING_APPEALS:
        raw.append((category, title, description, source, resident_in(1 if source == "staff" else None), received, steps, None))

    specs = []
    for category, title, description, source, resident_index, received, steps, topic in raw:
        specs.append(_appeal_spec(rng, category, title, description, source, residents[resident_index], resident_index,
                                  received, steps, topic))
    specs.sort(key=lambda spec: (spec["received_at"], spec["resident_phone"]))
    for index, spec in enumerate(specs):
        spec["code"] = appeal_code(index)
    _appeal_service(specs)
    return specs


# --- 接诉即办: responses and residents' ratings ---
#
# Staff call the resident first: most appeals whose first step came later than the
# 24-hour limit get a contact within a few hours, a few a late one; the deadline is
# the default (24 hours after receipt; wishes: reviewed within 3 days). A resident who
# closed the appeal on the tracking page rated it then; others rated it on a call back
# (the `staff` login) or not at all. Most residents whose wish came true rated it.
# From their own random stream (`random.Random("2023:ratings:...")`), so that the
# appeals' and wishes' other figures stay as they were.

APPEAL_RESPOND = datetime.timedelta(hours=24)
WISH_REVIEW = datetime.timedelta(days=3)
RATING_COMMENTS = {
    "satisfied": ["处理很及时，谢谢社区！", "网格员很负责。", "问题解决了，很满意。", ""],
    "basically": ["解决了，就是时间长了点。", "基本解决，希望以后多关注。", ""],
    "dissatisfied": ["拖了很久才处理。", "问题只解决了一半。"],
}
_RESPONSES = {"assigned", "answered", "closed"}


def _rating(rng, weights) -> tuple[str, str]:
    rating = rng.choices(list(weights), weights=list(weights.values()))[0]
    return rating, rng.choice(RATING_COMMENTS[rating])


def _appeal_service(specs) -> None:
    """Each appeal's contact step (if any), response, deadline and rating fields."""
    rng = random.Random(f"{SEED}:ratings:appeals")
    for spec in specs:
        received, events = spec["received_at"], spec["events"]
        spec["respond_by"] = received + APPEAL_RESPOND
        staff_steps = [e["created_at"] for e in events if e["from_status"] and not e["by_resident"] and e["to_status"] in _RESPONSES]
        if (not staff_steps or min(staff_steps) > spec["respond_by"]) and rng.random() < 0.94:
            if rng.random() < 0.9:  # within hours (or the next morning): in time
                at = received + datetime.timedelta(minutes=rng.randrange(30, 240, 5))
            else:  # the next day, after the limit
                at = received + datetime.timedelta(days=1, hours=rng.randint(1, 2), minutes=rng.randrange(5, 60, 5))
            if at.hour >= 18:  # office hours: the next morning
                at = (at + _DAY).replace(hour=9, minute=rng.randrange(0, 60, 5))
            if any(e["created_at"] == at for e in events):
                at += datetime.timedelta(minutes=1)
            before = [e for e in events if e["created_at"] <= at]
            status = before[-1]["to_status"]
            if status in ("received", "assigned", "reopened"):
                actor = "grid" if spec["cell_number"] in (1, 2) else "staff"
                events.insert(len(before), {
                    "from_status": status, "to_status": status, "actor": actor, "by_resident": False,
                    "note": "已电话联系居民，说明办理安排。", "created_at": at, "is_contact": True,
                })
                staff_steps.append(at)
        for event in events:
            event.setdefault("is_contact", False)
        spec["responded_at"] = min(staff_steps, default=None)
        spec.update(rating="", rating_comment="", rated_at=None, rated_by=None)
        if spec["status"] not in ("answered", "closed"):
            continue
        closed_by_resident = [e["created_at"] for e in events if e["to_status"] == "closed" and e["by_resident"]]
        if closed_by_resident:
            rating, comment = _rating(rng, {"satisfied": 8, "basically": 2})
            spec.update(rating=rating, rating_comment=comment, rated_at=closed_by_resident[-1])
        elif rng.random() < 0.6:
            weights = {"satisfied": 5, "basically": 4, "dissatisfied": 1} if spec["reopened_count"] else {"satisfied": 7, "basically": 2, "dissatisfied": 1}
            rating, comment = _rating(rng, weights)
            at = spec["answered_at"] + datetime.timedelta(days=rng.randint(2, 6), hours=rng.randint(0, 3))
            spec.update(rating=rating, rating_comment=comment, rated_at=at, rated_by="staff")


def _wish_service(specs) -> None:
    """Each wish's review deadline, response (published or turned down) and rating."""
    rng = random.Random(f"{SEED}:ratings:wishes")
    for spec in specs:
        spec["respond_by"] = spec["submitted_at"] + WISH_REVIEW
        spec["responded_at"] = spec["published_at"] or spec["rejected_at"]
        spec.update(rating="", rating_comment="", rated_at=None)
        if spec["status"] == "fulfilled" and rng.random() < 0.8:
            rating, comment = _rating(rng, {"satisfied": 16, "basically": 3, "dissatisfied": 1})
            at = spec["fulfilled_at"] + datetime.timedelta(minutes=rng.randint(2, 60 * 36))
            spec.update(rating=rating, rating_comment=comment, rated_at=at)


def _appeal_spec(rng, category, title, description, source, resident, resident_index, received, steps, topic) -> dict:
    cell = resident["cell_number"]
    entered_by = None if source == "online" else ("grid" if cell in (1, 2) else "staff")
    at = _at(received, rng)
    events = [
        {"from_status": "", "to_status": "received", "actor": entered_by, "by_resident": entered_by is None,
         "note": "", "created_at": at}
    ]
    fields = {"status": "received", "received_at": at, "waiting_since": at, "answered_at": None, "closed_at": None,
              "reopened_count": 0, "answer": "", "assigned_to": None}
    answerer = "staff"

    def step(to_status, when, actor=None, by_resident=False, note=""):
        events.append({"from_status": fields["status"], "to_status": to_status, "actor": actor, "by_resident": by_resident,
                       "note": note, "created_at": when})
        fields["status"] = to_status

    for item in steps:
        kind, day = item[0], item[1]
        when = _at(day, rng)
        if kind == "assign":
            target = item[2]
            if target == "grid":
                fields["assigned_to"] = "grid"
                answerer = "grid"
                note = grid_login_name()  # as `appeal_assign` notes the person
            else:
                fields["assigned_to"] = ("unit", target)
                note = target
            step("assigned", when, "staff", note=note)
        elif kind == "topic":
            step(fields["status"], when, "staff", note=TOPIC_NOTE.format(title=topic))
        elif kind == "answer":
            step("answered", when, answerer, note=item[2])
            fields.update(answer=item[2], answered_at=when)
        elif kind == "reopen":
            step("reopened", when, None, True, item[2])
            fields.update(waiting_since=when, closed_at=None, reopened_count=fields["reopened_count"] + 1)
        elif kind == "close":
            by_staff = item[2] == "staff"
            step("closed", when, "staff" if by_staff else None, not by_staff, item[3])
            fields["closed_at"] = when
    return {
        "category": category, "title": title, "description": description, "source": source,
        "resident": resident_index, "resident_name": resident["name"], "resident_phone": resident["phone"],
        "cell_number": cell, "building": resident["building"], "address_detail": resident["address_detail"],
        "entered_by": entered_by, "consent_at": events[0]["created_at"], "topic": topic, "events": events, **fields,
    }


# --- Visits (走访 / 民情日志) ---

# By kind: (what was found, follow-up needed).
VISIT_CATALOGUE = {
    "policy": [
        ("宣传城乡居民医保缴费政策，老人已了解缴费时间和方式。", False),
        ("讲解养老金资格认证，帮助老人在手机上完成认证。", False),
        ("宣传防范电信诈骗，帮助安装国家反诈中心APP。", False),
        ("宣传垃圾分类新规，发放分类指南和分类垃圾袋。", False),
        ("讲解老旧小区改造政策，居民询问加装电梯补贴。", True),
        ("宣传冬季清洁取暖补贴政策，登记了申请意向。", True),
    ],
    "mediation": [
        ("楼上楼下因卫生间漏水产生矛盾，现场协调双方，约定请物业查漏。", True),
        ("邻里因楼道堆放杂物发生争执，劝导双方清理。", True),
        ("两户因车位占用吵架，调解后达成谅解。", False),
        ("住户养狗扰民，与狗主人沟通，约定夜间管好犬只。", False),
        ("兄弟俩因赡养老人费用分摊有矛盾，调解后签订赡养协议。", True),
    ],
    "information": [
        ("入户核实常住人口和联系方式，更新网格台账。", False),
        ("登记独居老人信息和紧急联系人。", False),
        ("摸排出租房屋和租住人员信息。", False),
        ("核实残疾人家庭基本情况和需求。", True),
        ("收集居民对小区停车和环境的意见建议。", False),
    ],
    "appeal": [
        ("回访居民反映的楼道灯问题，已修复，居民满意。", False),
        ("回访下水道堵塞诉求的处理情况，居民表示已疏通。", False),
        ("回访停车问题，居民希望尽快划定车位。", True),
        ("回访噪音纠纷调解结果，双方相处融洽。", False),
    ],
    "emergency": [
        ("暴雨后检查房屋漏雨和排水情况，发现一处屋面渗水。", True),
        ("冬季入户检查煤炉烟道和一氧化碳报警器。", False),
        ("检查楼道消防通道，劝导住户不在楼道给电动车充电。", True),
        ("停水期间为高龄老人送桶装水。", False),
        ("大风天气提醒住户收好阳台杂物，检查广告牌。", False),
    ],
    "care": [
        ("看望独居老人，身体状况良好，叮嘱按时服药。", False),
        ("看望残疾人家庭，了解生活困难。", True),
        ("节前慰问困难家庭，送去米面油。", False),
        ("看望高龄老人，老人想请人上门理发。", True),
        ("看望留守儿童，孩子学习需要辅导。", True),
    ],
    "other": [
        ("协助居民填写社区活动报名表。", False),
        ("了解居民对社区服务的意见建议，居民希望多办文艺活动。", False),
        ("为居民送去社区便民服务联系卡。", False),
    ],
}
# How many of the ordinary 2023 visits are of each kind; visits that became
# appeals or special-group cases come on top.
VISIT_KIND_COUNTS_2023 = {"policy": 28, "mediation": 16, "information": 28, "appeal": 14, "emergency": 14, "care": 28, "other": 8}
VISIT_AROUND_2023 = [
    (_d(2022, 12, 6), "care"), (_d(2022, 12, 15), "policy"), (_d(2022, 12, 28), "emergency"), (_d(2022, 12, 31), "information"),
    (_d(2024, 1, 1), "care"), (_d(2024, 1, 9), "policy"), (_d(2024, 1, 16), "emergency"), (_d(2024, 1, 23), "information"),
]
# The kind of the visit that found an appeal's problem, by the appeal's category.
VISIT_KIND_OF_APPEAL = {
    "environment": "information", "property": "information", "facilities": "information", "neighbours": "mediation",
    "safety": "emergency", "assistance": "care", "other": "other",
}
VISIT_COMMENTS = [
    "情况已掌握，请继续跟进。",
    "处理及时，做得好。",
    "请联系物业一起解决。",
    "请把情况录入网格台账。",
    "下次走访时再回访一次。",
]
CASE_VISITS = 5  # special-group cases of 2023 found on a visit


# The `member` login's own visits in its home cell, after it reported in: kinds in turn.
MEMBER_VISIT_KINDS = ["policy", "information", "care", "policy", "other", "care", "information", "emergency"]


def _visitor(rng, cell: int) -> str:
    """Who knocks: mostly the `grid` login in its cells 1-2, the `staff` login elsewhere."""
    return "grid" if cell in (1, 2) and rng.random() < 0.8 else "staff"


def visit_specs(appeals: list[dict] | None = None, cases: list[dict] | None = None) -> list[dict]:
    """The demo visits, deterministic: each dict has cell_number, building, household,
    visited_on, kind, findings, follow_up_needed, follow_up_done_on, visitor (demo
    username), appeal (code or None), case ((resident_name, problem, opened_on) or None)
    and comments [(author username, text, created_at)]. Known by (household, visited_on, kind).
    """
    rng = random.Random(f"{SEED}:visits")
    residents = grid_resident_specs()
    appeals = appeal_specs() if appeals is None else appeals
    cases = case_specs() if cases is None else cases
    member = member_specs()[0]
    specs, keys = [], set()

    def add(resident, day, kind, findings, follow_up, done_on, visitor, appeal=None, case=None):
        spec = {
            "cell_number": resident["cell_number"], "building": resident["building"], "household": household(resident),
            "visited_on": day, "kind": kind, "findings": findings, "follow_up_needed": follow_up,
            "follow_up_done_on": done_on if follow_up else None, "visitor": visitor, "appeal": appeal, "case": case,
            "comments": [],
        }
        key = (spec["household"], day, kind)
        if key in keys:
            return None
        keys.add(key)
        specs.append(spec)
        return spec

    # Ordinary visits: spread over the year, residents weighted by their cell's households.
    plan = [(None, kind) for kind, count in VISIT_KIND_COUNTS_2023.items() for _ in range(count)]
    plan += VISIT_AROUND_2023
    neighbours = [r for r in residents if r["cell_number"] == member["cell_number"]]
    first_day = member["reported_on"] + datetime.timedelta(days=1)
    plan += [(None, kind, "member") for kind in MEMBER_VISIT_KINDS]
    for day, kind, *who in plan:
        while True:
            if who:
                when, resident = _day_in(rng, first_day, _d(2023, 12, 29)), rng.choice(neighbours)
            else:
                when, resident = day or _day_in(rng, _d(2023, 1, 3), _d(2023, 12, 29)), rng.choice(residents)
            findings, follow_up = rng.choice(VISIT_CATALOGUE[kind])
            # Follow-ups are done within days, except a few (and those of late December) still open.
            done = when.year < 2023 or (when < _d(2023, 12, 15) and rng.random() < 0.9)
            done_on = when + datetime.timedelta(days=rng.randint(2, 20)) if done else None
            visitor = who[0] if who else _visitor(rng, resident["cell_number"])
            if add(resident, when, kind, findings, follow_up, done_on, visitor):
                break

    # Visits that became appeals: on the day the appeal was recorded, by who recorded it.
    for appeal in appeals:
        if appeal["source"] != "visit":
            continue
        resident = residents[appeal["resident"]]
        day = appeal["received_at"].date()
        done_on = appeal["answered_at"].date() if appeal["answered_at"] else None
        kind = VISIT_KIND_OF_APPEAL[appeal["category"]]
        if not add(resident, day, kind, appeal["description"], True, done_on, appeal["entered_by"], appeal=appeal["code"]):
            raise ValueError(f"two visits to {resident['name']} on {day}")

    # Visits that found special-group cases of 2023: the case's day and home.
    found = [c for c in cases if c["opened_on"].year == 2023 and c["status"] == "solved"]
    for case in rng.sample(found, CASE_VISITS):
        resident = {"name": case["resident_name"], "cell_number": case["cell_number"], "building": case["building"],
                    "address_detail": case["address_detail"]}
        visitor = "grid" if case["cell_number"] in (1, 2) else "staff"
        add(resident, case["opened_on"], "care", case["description"], True, case["solved_on"], visitor,
            case=(case["resident_name"], case["problem"], case["opened_on"]))

    specs.sort(key=lambda s: (s["visited_on"], s["household"], s["kind"]))
    # The office comments on some of the grid worker's and the member's visits.
    for spec in rng.sample([s for s in specs if s["visitor"] in ("grid", "member")], 14):
        when = _at(spec["visited_on"] + datetime.timedelta(days=rng.randint(1, 3)), rng)
        spec["comments"].append(("staff", rng.choice(VISIT_COMMENTS), when))
    return specs


# --- Red property management (红色物业) and the proxy window (代办窗口) ---

ANJU = "临泽县安居物业服务有限公司"  # also a co-building unit of the demo
BINHE = "临泽县滨河物业服务有限公司"
PROPERTY_COMPANIES = [
    {
        "name": ANJU,
        "unit": ANJU,
        "party_organization": "临泽县安居物业服务有限公司党支部",
        # 供销社家属院 joined 阳光小区 in 2023 (the hall's "小区并大区" topic).
        "compounds": [(1, "阳光小区1号楼"), (1, "阳光小区2号楼"), (1, "阳光小区3号楼"), (1, "供销社家属院"),
                      (2, "馨园小区1号楼"), (2, "馨园小区2号楼"),
                      (3, "丹霞苑1号楼"), (3, "丹霞苑2号楼"), (3, "丹霞苑3号楼"), (3, "丹霞苑4号楼")],
        "window_place": "阳光小区物业服务中心一楼“代办窗口”",
        "window_hours": "周一至周六 9:00-12:00，14:30-18:00",
        "clerks": 2,
    },
    {
        "name": BINHE,
        "unit": None,
        "party_organization": "沙河街社区党委选派党建指导员，与社区“大党委”联建",
        "compounds": [(6, "滨河花园1号楼"), (6, "滨河花园2号楼"), (6, "滨河花园3号楼"), (4, "商贸城住宅楼"),
                      (5, "商业街1号楼"), (5, "商业街2号楼")],
        "window_place": "滨河花园南门物业办公室“代办窗口”",
        "window_hours": "周一至周五 9:00-12:00，15:00-18:00",
        "clerks": 1,
    },
]

# By kind: (details, note when done).
PROXY_CATALOGUE = {
    "paperwork": [("代办居住证明", "社区盖章后已送到居民手中。"), ("代办老年人优待证", "优待证已办好，电话通知居民领取。"),
                  ("代办不动产登记资料查询", "已查询打印，交给居民。")],
    "payment": [("代缴水费", "已缴费，回执交给居民。"), ("代缴电费", "已缴费并教会居民手机缴费。"), ("代缴燃气费", "已缴费。"),
                ("代缴有线电视费", "已缴费，信号恢复。")],
    "social": [("养老金资格认证", "已协助完成人脸识别认证。"), ("城乡居民医保缴费", "已代缴并打印缴费凭证。"), ("社保卡补办", "新卡已领回交给居民。")],
    "subsidy": [("高龄津贴申请", "材料已报镇民政办，审批通过。"), ("残疾人两项补贴申请", "已代为提交申请，补贴已批准。"),
                ("困难老人取暖补贴申请", "补贴已发放到社保卡。")],
    "repair": [("报修楼道灯", "维修班已更换。"), ("报修下水管道", "维修班已疏通。"), ("报修单元门禁", "门禁已修好。")],
    "other": [("代收快递", "已通知居民领取。"), ("代购常用药", "已买好送到家中。")],
}
PROXY_KIND_WEIGHTS = {"paperwork": 4, "payment": 5, "social": 4, "subsidy": 3, "repair": 4, "other": 1}
PROXY_SERVICES_2023 = 60
PROXY_BY_STAFF = 8  # of the 2023 ones, handled by the `staff` login (no company)
PROXY_AROUND_2023 = [(_d(2022, 12, 20), "done"), (_d(2022, 12, 29), "done"), (_d(2024, 1, 8), "done"), (_d(2024, 2, 19), "done"),
                     (_d(2024, 3, 4), "in_progress")]


def property_company_specs() -> list[dict]:
    """The two property companies with their contacts and window clerks (synthetic)."""
    rng = random.Random(f"{SEED}:companies")
    taken = {name for group in demo_people().values() for name, _ in group} | {r["name"] for r in grid_resident_specs()}
    people = iter(synthetic_people(10, rng, exclude=taken))
    specs = []
    for index, company in enumerate(PROPERTY_COMPANIES):
        contact = next(people)[0]
        clerks = [next(people)[0] for _ in range(company["clerks"])]
        specs.append({**{k: v for k, v in company.items() if k != "clerks"}, "contact_name": contact,
                      "contact_phone": place_phone(index), "clerks": clerks})
    return specs


def proxy_service_specs() -> list[dict]:
    """Errands handled at the windows or by staff, deterministic: 60 received in 2023
    (most done, the latest in progress or just received), a few around 2023.

    Each dict has kind, description, resident (index into grid_resident_specs()),
    resident_name, resident_phone, cell_number, building, company (name or None),
    handled_by ("staff" or None), handled_by_name, status, received_on, done_on, note.
    Known by (resident_name, kind, received_on).
    """
    rng = random.Random(f"{SEED}:proxy")
    residents = grid_resident_specs()
    companies = property_company_specs()
    compounds = {building: company for company in companies for _, building in company["compounds"]}
    kinds, weights = list(PROXY_KIND_WEIGHTS), list(PROXY_KIND_WEIGHTS.values())
    days = sorted(_day_in(rng, _d(2023, 1, 4), _d(2023, 12, 29)) for _ in range(PROXY_SERVICES_2023))
    by_staff = set(rng.sample(range(PROXY_SERVICES_2023), PROXY_BY_STAFF))
    plan = [(day, None, n in by_staff) for n, day in enumerate(days)] + [(day, status, False) for day, status in PROXY_AROUND_2023]
    specs, keys = [], set()
    for day, status, staff in plan:
        while True:
            kind = rng.choices(kinds, weights=weights)[0]
            resident = rng.randrange(len(residents))
            if (residents[resident]["name"], kind, day) not in keys:
                break
        home = residents[resident]
        company = None if staff else compounds.get(home["building"]) or companies[0]
        if status is None:
            # The last days of December are still being handled.
            status = "done" if day < _d(2023, 12, 12) else rng.choice(["in_progress", "in_progress", "received", "done"])
        description, note = rng.choice(PROXY_CATALOGUE[kind])
        done_on = day + datetime.timedelta(days=rng.choice([0, 0, 1, 2, 3, 5])) if status == "done" else None
        keys.add((home["name"], kind, day))
        specs.append(
            {
                "kind": kind, "description": description, "resident": resident, "resident_name": home["name"],
                "resident_phone": home["phone"], "cell_number": home["cell_number"], "building": home["building"],
                "company": company["name"] if company else None, "handled_by": "staff" if staff else None,
                "handled_by_name": rng.choice(company["clerks"]) if company else "",
                "status": status, "received_on": day, "done_on": done_on, "note": note if status == "done" else "",
            }
        )
    return specs


# --- The red deliberation hall (红色议事厅) ---

HALL = "社区党群服务中心红色议事厅"
# Each topic: its fields and sessions (held_on, form, place, residents taking part,
# units, property company, minutes, decision). Members and residents'
# representatives are drawn for each session by `topic_specs()`.
TOPICS = [
    {
        "title": PARKING, "source": "appeal", "cells": [1, 2], "status": "settled",
        "description": "阳光小区和馨园小区车位不足，晚上车辆乱停乱放，堵塞单元门和消防通道，老人和孩子出行不安全。多名居民通过诉求和网格员走访反映。",
        "proposed_on": _d(2023, 3, 20), "deliberating_on": _d(2023, 4, 8), "agreed_on": _d(2023, 6, 2),
        "implementing_on": _d(2023, 6, 15), "settled_on": _d(2023, 8, 30),
        "outcome": "增划车位46个，与税务局、农商银行签订夜间共享车位协议，提供车位60个；清理“僵尸车”11辆，消防通道划线禁停，外来车辆登记限时停放。停车难问题基本解决。",
        "sessions": [
            (_d(2023, 4, 8), "bench", "阳光小区广场", 26, [], ANJU,
             "居民说车位少、外来车辆多、消防通道被占。物业介绍：两个小区现有车位128个，登记车辆190余辆。大家提出清理“僵尸车”、外来车辆收费、利用边角空地增划车位、错时共享停车等办法。",
             "先清理“僵尸车”、摸清车辆底数；物业两周内拿出增划车位方案。"),
            (_d(2023, 5, 12), "courtyard", "馨园小区1号楼楼下", 31, ["国家税务总局临泽县税务局", "临泽县农村商业银行"], ANJU,
             "讨论物业方案：利用绿化带边角增划车位46个，外来车辆限时停放；与临街单位协商夜间共享车位。部分居民担心绿地减少。",
             "绿地只占用边角，另补同等面积绿化；夜间共享车位由社区与税务局、农商银行协商。"),
            (_d(2023, 6, 2), "hall", HALL, 18, ["国家税务总局临泽县税务局", "临泽县农村商业银行", "临泽县住房和城乡建设局"], ANJU,
             "居民代表、物业和共建单位逐条审议停车管理方案，方案已在小区公示7天，无反对意见。",
             "通过停车管理方案：增划车位46个，共享夜间车位60个，外来车辆进入登记、限时停放；6月中旬开工施划。"),
            (_d(2023, 8, 25), "courtyard", "阳光小区红色先锋驿站", 22, [], ANJU,
             "“回头看”：检查车位施划和共享车位使用情况，居民反映晚上停车有序多了。",
             "方案落实到位，议题办结；物业每月通报一次停车情况。"),
        ],
    },
    {
        "title": "供销社家属院并入阳光小区（小区并大区）", "source": "property", "cells": [1], "status": "settled",
        "description": "供销社家属院与阳光小区相邻，只有60户，没有物业管理，环境脏乱、设施老化。物业公司和居民提出把家属院并入阳光小区统一管理。",
        "proposed_on": _d(2023, 2, 15), "deliberating_on": _d(2023, 3, 2), "agreed_on": _d(2023, 5, 18),
        "implementing_on": _d(2023, 6, 1), "settled_on": _d(2023, 10, 26),
        "outcome": "供销社家属院并入阳光小区，拆除隔墙打通道路，统一门禁、监控和停车管理，由安居物业统一服务，家属院60户居民有了物业。",
        "sessions": [
            (_d(2023, 3, 2), "courtyard", "供销社家属院", 34, [], ANJU,
             "家属院居民讨论并入阳光小区：赞成的认为有了物业环境会变好；担心的是要交物业费、车位怎么分。",
             "物业公司测算并入后的物业费和改造费用，下次楼院夜话再议。"),
            (_d(2023, 4, 13), "bench", "供销社家属院门口", 22, ["临泽县住房和城乡建设局"], ANJU,
             "物业介绍测算：家属院物业费每平方米每月0.5元，前两年减半；拆除隔墙、统一门禁和监控的费用纳入老旧小区改造项目。",
             "网格员和党员入户征求意见，同意的户数超过三分之二再提交议事厅。"),
            (_d(2023, 5, 18), "hall", HALL, 20, ["临泽县住房和城乡建设局"], ANJU,
             "入户征求意见结果：60户中52户同意。居民代表、物业、住建局审议并入方案和时间安排。",
             "同意供销社家属院并入阳光小区，由安居物业统一管理；6月起拆除隔墙，统一门禁和停车管理。"),
        ],
    },
    {
        "title": CLUTTER, "source": "appeal", "cells": [3], "status": "settled",
        "description": "丹霞苑多栋楼楼道堆放纸箱、旧家具和电动车，影响通行，存在火灾隐患，清理后又反复出现。",
        "proposed_on": _d(2023, 5, 4), "deliberating_on": _d(2023, 5, 11), "agreed_on": _d(2023, 5, 25),
        "implementing_on": _d(2023, 6, 1), "settled_on": _d(2023, 7, 6),
        "outcome": "丹霞苑4栋楼集中清理楼道堆物3车，居民共同制定《楼道公约》，楼长每周巡查，消防通道保持畅通。",
        "sessions": [
            (_d(2023, 5, 11), "bench", "丹霞苑小区广场", 15, ["临泽县消防救援大队"], ANJU,
             "消防救援大队讲解楼道堆物和电动车充电的火灾风险；居民提出旧家具没地方放，希望统一清运。",
             "物业提供临时存放点并统一清运；起草楼道公约。"),
            (_d(2023, 5, 25), "courtyard", "丹霞苑3号楼楼下", 23, [], ANJU,
             "逐条讨论楼道公约草案：楼道不放杂物、电动车不进楼、楼长每周巡查。",
             "通过《楼道公约》，6月1日起集中清理，各单元张贴公约。"),
        ],
    },
    {
        "title": "滨河花园2号楼加装电梯意见征集", "source": "visit", "cells": [6], "status": "settled",
        "description": "网格员走访时，滨河花园2号楼多位高龄老人反映上下楼困难，希望加装电梯；低层住户有顾虑。",
        "proposed_on": _d(2023, 3, 28), "deliberating_on": _d(2023, 4, 20), "agreed_on": _d(2023, 7, 6),
        "implementing_on": _d(2023, 7, 20), "settled_on": _d(2023, 12, 12),
        "outcome": "滨河花园2号楼2单元12户全部签字同意加装电梯，按楼层分摊费用，申报老旧小区改造补贴获批，电梯已于12月开工。",
        "sessions": [
            (_d(2023, 4, 20), "courtyard", "滨河花园2号楼楼下", 24, [], BINHE,
             "高层住户希望尽快加装；一二楼住户担心采光、噪音，也不想出钱。",
             "请住建局讲解加装电梯政策和补贴，设计单位出方案。"),
            (_d(2023, 5, 26), "bench", "滨河花园凉亭", 19, ["临泽县住房和城乡建设局"], BINHE,
             "住建局讲解补贴政策；讨论按楼层分摊的费用方案，一楼不出资，二楼少出。",
             "按楼层分摊方案修改后入户签字。"),
            (_d(2023, 7, 6), "hall", HALL, 16, ["临泽县住房和城乡建设局"], BINHE,
             "12户全部签字同意，审议费用分摊和施工安排。",
             "同意加装电梯，申报补贴，施工期间做好安全防护。"),
        ],
    },
    {
        "title": "商贸城住宅楼和老医院家属院路灯", "source": "bench", "cells": [4], "status": "settled",
        "description": "商贸城住宅楼和老医院家属院之间的道路没有路灯，居民晚上出行不安全，在民声板凳上提出。",
        "proposed_on": _d(2023, 9, 5), "deliberating_on": _d(2023, 9, 12), "agreed_on": _d(2023, 9, 26),
        "implementing_on": _d(2023, 10, 8), "settled_on": _d(2023, 11, 3),
        "outcome": "新装太阳能路灯8盏，维修路灯5盏；路灯由社区和楼院共同管护。",
        "sessions": [
            (_d(2023, 9, 12), "bench", "老医院家属院", 12, ["国网临泽县供电公司"], None,
             "居民说明哪几段路最黑；供电公司现场查看线路，建议没有线路的路段装太阳能路灯。",
             "供电公司出维修方案，社区申请太阳能路灯。"),
            (_d(2023, 9, 26), "hall", HALL, 10, ["国网临泽县供电公司", "临泽县住房和城乡建设局"], None,
             "审议路灯方案：新装太阳能路灯8盏，维修5盏，费用由社区共建资金解决。",
             "通过路灯方案，10月上旬施工。"),
        ],
    },
    {
        "title": "商业街文化广场广场舞噪音", "source": "courtyard", "cells": [5], "status": "settled",
        "description": "商业街文化广场晚上跳广场舞音响声音大、时间晚，临街住户休息受影响，在楼院夜话上提出。",
        "proposed_on": _d(2023, 6, 14), "deliberating_on": _d(2023, 6, 14), "agreed_on": _d(2023, 7, 4),
        "implementing_on": _d(2023, 7, 5), "settled_on": _d(2023, 8, 10),
        "outcome": "约定广场舞时间为19:30-21:00，音响音量不超过60分贝，配备分贝仪，由广场舞队队长负责；居民投诉明显减少。",
        "sessions": [
            (_d(2023, 6, 14), "courtyard", "商业街1号楼楼下", 28, [], None,
             "临街住户反映晚上十点后还在跳舞，音响很响；有人提出把广场舞移到别处。",
             "请广场舞队和住户面对面协商。"),
            (_d(2023, 6, 27), "bench", "商业街文化广场", 35, ["临泽县文化馆"], None,
             "广场舞队和住户面对面：舞队同意缩短时间、调低音量；文化馆建议使用定向音箱。",
             "起草广场舞公约，提交议事厅。"),
            (_d(2023, 7, 4), "hall", HALL, 14, ["临泽县文化馆"], None,
             "审议广场舞公约：时间、音量、管理人。",
             "通过广场舞公约，7月5日起执行，文化馆借出分贝仪。"),
        ],
    },
    {
        "title": "馨园小区和丹霞苑垃圾分类投放点", "source": "staff", "cells": [2, 3], "status": "settled",
        "description": "推行垃圾分类后，部分投放点离住户窗户太近，夏天气味大，居民对点位有意见。",
        "proposed_on": _d(2023, 8, 1), "deliberating_on": _d(2023, 8, 10), "agreed_on": _d(2023, 9, 7),
        "implementing_on": _d(2023, 9, 15), "settled_on": _d(2023, 10, 20),
        "outcome": "重新设置垃圾分类投放点6处，远离住户窗户，定时投放、定点清运，党员志愿者轮流值守引导。",
        "sessions": [
            (_d(2023, 8, 10), "courtyard", "粮站家属院", 20, [], ANJU,
             "居民指出3处投放点离窗户太近；讨论新点位。",
             "物业画出新点位图，征求各楼意见。"),
            (_d(2023, 8, 24), "bench", "馨园小区活动室", 17, [], ANJU,
             "讨论点位图和投放时间；党员志愿者报名值守。",
             "点位图修改后提交议事厅。"),
            (_d(2023, 9, 7), "hall", HALL, 12, ["临泽县住房和城乡建设局"], ANJU,
             "审议新点位和值守安排。",
             "通过6处投放点位，9月中旬调整到位。"),
        ],
    },
    {
        "title": "教师家属院车棚改造", "source": "courtyard", "cells": [6], "status": "settled",
        "description": "教师家属院车棚破旧漏雨，没有充电设施，居民把电动车推进楼道充电，存在安全隐患。",
        "proposed_on": _d(2023, 10, 9), "deliberating_on": _d(2023, 10, 19), "agreed_on": _d(2023, 11, 9),
        "implementing_on": _d(2023, 11, 15), "settled_on": _d(2023, 12, 22),
        "outcome": "旧车棚翻新，安装电动车智能充电桩20个，居民按次扫码充电；电动车不再进楼道。",
        "sessions": [
            (_d(2023, 10, 19), "courtyard", "教师家属院", 21, ["临泽县消防救援大队"], None,
             "居民反映车棚漏雨、没地方充电；消防救援大队讲解楼道充电的风险。",
             "供电公司和消防一起看现场，拿出改造方案。"),
            (_d(2023, 11, 9), "bench", "教师家属院车棚旁", 18, ["国网临泽县供电公司", "临泽县消防救援大队"], None,
             "讨论改造方案和充电收费标准。",
             "同意翻新车棚、安装充电桩20个，11月中旬施工。"),
        ],
    },
    # Around 2023: still deliberating, being carried out, dropped, settled in 2022 and in 2024.
    {
        "title": "丹霞苑外墙保温改造", "source": "staff", "cells": [3], "status": "deliberating",
        "description": "丹霞苑楼房外墙保温层老化脱落，冬天屋里冷，列入老旧小区改造计划前征求居民意见。",
        "proposed_on": _d(2023, 11, 8), "deliberating_on": _d(2023, 11, 21),
        "outcome": "",
        "sessions": [
            (_d(2023, 11, 21), "courtyard", "丹霞苑红色先锋驿站", 27, ["临泽县住房和城乡建设局"], ANJU,
             "住建局介绍改造计划；居民关心施工期间的安全和是否要出钱。",
             "住建局明确费用和工期后再议。"),
        ],
    },
    {
        "title": "农贸市场周边占道经营", "source": "visit", "cells": [5], "status": "implementing",
        "description": "农贸市场周边商贩占道经营，早晚堵路，网格员走访时居民多次反映。",
        "proposed_on": _d(2023, 9, 18), "deliberating_on": _d(2023, 9, 28), "agreed_on": _d(2023, 11, 16),
        "implementing_on": _d(2023, 12, 1),
        "outcome": "",
        "sessions": [
            (_d(2023, 9, 28), "bench", "农贸市场", 24, ["临泽县市场监督管理局"], None,
             "居民和商贩各说难处：居民要路通，商贩要摊位。",
             "市场监管局和市场方测算市场内能腾出的摊位。"),
            (_d(2023, 11, 16), "hall", HALL, 15, ["临泽县市场监督管理局", "沙河街商圈经济联合党支部"], None,
             "审议方案：市场内腾出摊位30个，早市限时、限区域。",
             "12月起执行，商圈党支部党员商户带头。"),
        ],
    },
    {
        "title": "滨河花园南门设收费停车场", "source": "property", "cells": [6], "status": "dropped",
        "description": "物业公司提出在滨河花园南门空地建收费停车场，缓解停车压力。",
        "proposed_on": _d(2023, 5, 15), "deliberating_on": _d(2023, 5, 25), "dropped_on": _d(2023, 6, 20),
        "outcome": "多数居民不同意占用南门空地建收费停车场，议题终止；物业改为加强巡查，引导车辆有序停放。",
        "sessions": [
            (_d(2023, 5, 25), "bench", "滨河花园凉亭", 30, [], BINHE,
             "多数居民认为南门空地是老人孩子活动的地方，不同意建停车场。",
             "物业再征求意见。"),
            (_d(2023, 6, 15), "courtyard", "滨河花园1号楼楼下", 26, [], BINHE,
             "入户征求意见：同意的不到三分之一。",
             "不建收费停车场，议题终止。"),
        ],
    },
    {
        "title": "粮站家属院化粪池改造", "source": "courtyard", "cells": [2], "status": "settled",
        "description": "粮站家属院化粪池老化，经常外溢。",
        "proposed_on": _d(2022, 8, 10), "deliberating_on": _d(2022, 8, 20), "agreed_on": _d(2022, 9, 15),
        "implementing_on": _d(2022, 9, 20), "settled_on": _d(2022, 12, 20),
        "outcome": "化粪池扩容改造完成，供排水公司定期清掏。",
        "sessions": [
            (_d(2022, 8, 20), "courtyard", "粮站家属院", 25, ["临泽县供排水公司"], None,
             "居民反映化粪池外溢；供排水公司查看现场。", "供排水公司出改造方案。"),
            (_d(2022, 9, 15), "hall", HALL, 12, ["临泽县供排水公司"], None,
             "审议改造方案和费用。", "同意扩容改造，9月下旬施工。"),
        ],
    },
    {
        "title": "滨河花园楼顶防水维修资金使用", "source": "property", "cells": [6], "status": "settled",
        "description": "滨河花园3栋楼楼顶漏水，需要动用住宅专项维修资金，按规定要经业主表决。",
        "proposed_on": _d(2023, 11, 2), "deliberating_on": _d(2023, 11, 16), "agreed_on": _d(2023, 12, 20),
        "implementing_on": _d(2024, 3, 25), "settled_on": _d(2024, 4, 26),
        "outcome": "业主表决通过动用维修资金，3栋楼楼顶防水于2024年4月完工。",
        "sessions": [
            (_d(2023, 11, 16), "courtyard", "滨河花园2号楼楼下", 29, [], BINHE,
             "物业说明漏水情况和维修预算；居民要求公开招标。", "物业公开比选施工单位后再议。"),
            (_d(2023, 12, 20), "hall", HALL, 18, ["临泽县住房和城乡建设局"], BINHE,
             "公布比选结果和预算，业主表决过半数同意。", "动用维修资金，开春天暖后施工。"),
        ],
    },
]


def topic_specs() -> list[dict]:
    """The deliberation hall's topics with their sessions, deterministic: 8 settled in 2023.

    Sessions are dicts of held_on, form, place, residents_count, representatives
    (names, one a line), members (indexes into member_specs(): reported in by the
    day, living in the topic's cells where possible), units (names), company (name
    or None), minutes, decision. Topics are known by title, sessions by (held_on, form).
    """
    rng = random.Random(f"{SEED}:topics")
    members = member_specs()
    residents = grid_resident_specs()
    specs = []
    for topic in TOPICS:
        spec = {name: topic.get(name) for name in (
            "title", "description", "source", "cells", "status", "proposed_on", "deliberating_on", "agreed_on",
            "implementing_on", "settled_on", "dropped_on", "outcome")}
        spec["sessions"] = []
        locals_ = [r["name"] for r in residents if r["cell_number"] in topic["cells"]]
        for held_on, form, place, count, units, company, minutes, decision in topic["sessions"]:
            ready = [i for i, m in enumerate(members) if m["reported_on"] <= held_on]
            near = [i for i in ready if members[i]["cell_number"] in topic["cells"]] or ready
            chosen = sorted(rng.sample(near, min(len(near), rng.randint(1, 3)))) if ready else []
            spec["sessions"].append(
                {
                    "held_on": held_on, "form": form, "place": place, "residents_count": count,
                    "representatives": "\n".join(rng.sample(locals_, rng.randint(2, 4))),
                    "members": chosen, "units": list(units), "company": company, "minutes": minutes, "decision": decision,
                }
            )
        specs.append(spec)
    return specs


# --- Red vanguard stations (红色先锋驿站) and micro party schools (微党校) ---

# (name, kind, cell, building or None, where exactly, opening hours, update every (days)).
STATIONS = [
    ("阳光小区红色先锋驿站", "station", 1, None, "阳光小区中心广场东侧平房", "每天 8:30-20:00", 30),
    ("丹霞苑红色先锋驿站", "station", 3, None, "丹霞苑小区南门物业用房一楼", "每天 8:30-20:00", 30),
    ("阳光小区2号楼微党校", "school", 1, "阳光小区2号楼", "2单元一楼楼道", "楼道全天开放", 30),
    ("馨园小区1号楼微党校", "school", 2, "馨园小区1号楼", "1单元一楼楼道", "楼道全天开放", 30),
    ("丹霞苑3号楼微党校", "school", 3, "丹霞苑3号楼", "3单元一楼楼道", "楼道全天开放", 30),
    ("商贸城住宅楼微党校", "school", 4, "商贸城住宅楼", "东单元一楼大厅", "楼道全天开放", 45),
    ("商业街2号楼微党校", "school", 5, "商业街2号楼", "2单元一楼楼道", "楼道全天开放", 30),
    ("滨河花园1号楼微党校", "school", 6, "滨河花园1号楼", "1单元一楼楼道", "楼道全天开放", 30),
]
STALE_SCHOOL = "商贸城住宅楼微党校"  # its content has not been updated since the summer of 2023

# By kind: titles of content put up in 2023.
UPDATE_CATALOGUE = {
    "slogans": ["“党建引领基层治理”宣传标语", "文明城市创建宣传标语", "垃圾分类宣传标语", "“邻里守望 共建家园”标语"],
    "handicraft": ["居民剪纸作品展", "党员手工制作“红船”模型", "“喜迎二十大”手工作品展", "儿童绘画和手工作品"],
    "paper": ["学习党的二十大精神手抄报", "“双报到双服务”手抄报", "防范电信诈骗手抄报", "“我们的节日·端午”手抄报"],
    "comics": ["民法典漫画", "垃圾分类漫画", "邻里和睦漫画", "消防安全漫画"],
    "case": ["身边好人好事案例", "红色议事厅协商案例：停车难", "“小区并大区”案例分析", "“点亮微心愿”案例"],
    "policy": ["城乡居民医保缴费政策", "养老保险资格认证指南", "党的二十大报告摘编", "老旧小区改造政策问答"],
    "other": ["“学习强国”二维码墙", "社区便民服务电话表"],
}
UPDATE_NOTES = ["楼长和党员志愿者一起更换。", "居民提供作品。", "网格员更新。", ""]
# Content put up a few days before the day of the run, at every place but the stale school:
# (title, kind, days before the run). Known by (station, title); their days move on every run.
RECENT_UPDATES = [
    ("本月学习园地：基层治理政策解读", "policy", 5),
    ("本月学习园地：冬季安全用火用电漫画", "comics", 3),
    ("本月学习园地：社区好人好事", "case", 12),
    ("本月学习园地：居民手工作品", "handicraft", 8),
    ("本月学习园地：党员手抄报", "paper", 16),
    ("本月学习园地：宣传标语更新", "slogans", 20),
    ("本月学习园地：反诈宣传", "other", 9),
]


def station_specs(today: datetime.date) -> list[dict]:
    """The stations and schools with their content updates, deterministic for `today`.

    Each dict has name, kind, cell_number, building, location, opening_hours,
    update_every_days, contact_name, contact_phone, and `updates`: dicts of
    updated_on, title, kind, note, created_by (demo username), recent (dated from
    `today`: known by title alone).
    """
    rng = random.Random(f"{SEED}:stations")
    taken = {name for group in demo_people().values() for name, _ in group} | {r["name"] for r in grid_resident_specs()}
    contacts = iter(synthetic_people(len(STATIONS), rng, exclude=taken))
    items = [(title, kind) for kind, titles in UPDATE_CATALOGUE.items() for title in titles]
    recent = iter(RECENT_UPDATES)
    workers = {1: grid_login_name(), 3: staff_login_name()}
    specs = []
    for index, (name, kind, cell, building, location, hours, every) in enumerate(STATIONS):
        stale = name == STALE_SCHOOL
        last = _d(2023, 8, 20) if stale else _d(2023, 12, 26)
        count = rng.randint(3, 8)
        days = sorted(_day_in(rng, _d(2023, 1, 5), last) for _ in range(count))
        author = "grid" if cell in (1, 2) else "staff"
        updates = [
            {"updated_on": day, "title": title, "kind": item_kind, "note": rng.choice(UPDATE_NOTES), "created_by": author,
             "recent": False}
            for day, (title, item_kind) in zip(days, rng.sample(items, count))
        ]
        if not stale:
            title, item_kind, ago = next(recent)
            updates.append({"updated_on": today - datetime.timedelta(days=ago), "title": title, "kind": item_kind,
                            "note": "", "created_by": author, "recent": True})
        specs.append(
            {
                "name": name, "kind": kind, "cell_number": cell, "building": building, "location": location,
                "opening_hours": hours, "update_every_days": every,
                # Stations are staffed by the community's workers; schools by a building's resident.
                "contact_name": workers[cell] if kind == "station" else next(contacts)[0],
                "contact_phone": place_phone(10 + index), "updates": updates,
            }
        )
    return specs
