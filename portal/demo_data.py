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
