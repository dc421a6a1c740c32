"""Synthetic data for the demo community (`manage.py seed_demo`).

Everything here is made up and free of database access: the community of the
story (沙河街社区, see `/work/shared/seed/article-zh-hans.md`) with invented
grid cells, buildings, co-building units and party members. Person names are
drawn from pools of common surnames and given-name characters with a fixed
random seed, so they are the same on every run and belong to nobody in
particular; phone numbers come from one clearly synthetic range.

The figures of the story that these data must reproduce for 2023:
26 co-building units, 268 in-service members registered and 268 reported (100%).
"""

import datetime
import random

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


def synthetic_people(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (name, gender) pairs, about 55% male."""
    people, seen = [], set(RESERVED_NAMES)
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
