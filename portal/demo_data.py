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
