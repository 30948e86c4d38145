"""Demo activities and family visits, in the seeds' campaigns: 内蒙古 March 2022 (seed 002's
weekly table) and 南川 2023 (seed 003's 千场活动，万家走访). Invented but plausible rows;
the households are fictitious."""

from datetime import date, timedelta
from decimal import Decimal

from shegong.activities import services
from shegong.activities.models import Activity
from shegong.campaigns.models import Notice
from shegong.orgs.models import OrgUnit

LINK_ALL = ["社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"]

MONGOLIA = [
    # unit code, name, type, day, place, participants, beneficiaries, funds, inkind, domains, org
    (
        "S150202003",
        "“五社联动聚合力”社会工作宣传进社区",
        "venue",
        (3, 18),
        "西脑包街道新时代文明实践站",
        45,
        160,
        "0",
        "1200",
        ["老年人", "困难群体"],
        "西脑包街道社会工作服务站、宏源社区志愿服务队",
    ),
    (
        "S150202003",
        "独居老人防诈骗主题讲座",
        "community",
        (3, 22),
        "宏源社区党群服务中心",
        30,
        52,
        "500",
        "0",
        ["老年人"],
        "西脑包街道社会工作服务站",
    ),
    (
        "S150202003",
        "社会工作者职业风采展示",
        "incentive",
        (3, 26),
        "东河区人民公园",
        60,
        300,
        "0",
        "800",
        [],
        "东河区社会工作协会",
    ),
    (
        "R150202003013",
        "“一老一小”手工坊",
        "community",
        (3, 24),
        "宏源社区活动室",
        25,
        40,
        "0",
        "350",
        ["老年人", "儿童青少年"],
        "宏源社区社会工作室、社区志愿者",
    ),
    (
        "S150202001",
        "残疾人康复知识宣传",
        "community",
        (3, 21),
        "和平路街道残疾人之家",
        20,
        35,
        "2000",
        "0",
        ["残疾人"],
        "和平路街道社会工作服务站",
    ),
    (
        "S150202001",
        "社会工作知识有奖问答（线上）",
        "screen",
        (3, 29),
        "微信公众号",
        0,
        1200,
        "0",
        "0",
        [],
        "和平路街道社会工作服务站",
    ),
    (
        "150200000000",
        "包头市社会工作主题宣传周启动仪式",
        "media",
        (3, 17),
        "包头市民政局",
        120,
        2000,
        "50000",
        "10000",
        ["困难群体"],
        "包头市民政局、包头市社会工作协会",
    ),
    (
        "S150102001",
        "困境儿童关爱行动",
        "community",
        (3, 23),
        "海拉尔东路街道",
        18,
        22,
        "3000",
        "1500",
        ["儿童青少年"],
        "海拉尔东路街道社会工作服务站",
    ),
    (
        "S150781001",
        "中俄边境社区社会工作宣传",
        "venue",
        (3, 25),
        "东山街道怡园社区",
        40,
        90,
        "0",
        "600",
        ["老年人", "妇女"],
        "东山街道社会工作服务站",
    ),
]

NANCHUAN = [
    (
        "S500119001",
        "“推进五社联动 关爱一小一老”宣传周启动",
        "community",
        (3, 22),
        "东城街道鼓楼坝社区",
        80,
        260,
        "5000",
        "3000",
        ["老年人", "儿童青少年"],
        "东城街道社会工作站",
    ),
    (
        "S500119001",
        "留守儿童四点半课堂",
        "community",
        (4, 12),
        "长亭社区",
        22,
        30,
        "0",
        "800",
        ["儿童青少年"],
        "东城街道社会工作站、长亭社区志愿者",
    ),
    (
        "S500119003",
        "社工机构主任进社区宣讲",
        "community",
        (3, 24),
        "西大街社区",
        50,
        120,
        "0",
        "0",
        ["老年人"],
        "西城街道社会工作站、南川区同心社会工作服务中心",
    ),
    (
        "S500119003",
        "高龄老人生日会",
        "community",
        (4, 20),
        "东方红社区",
        35,
        42,
        "1000",
        "600",
        ["老年人"],
        "西城街道社会工作站",
    ),
    (
        "S500119003",
        "社会工作服务站开放日",
        "community",
        (5, 10),
        "西城街道社会工作站",
        60,
        150,
        "0",
        "0",
        [],
        "西城街道社会工作站",
    ),
    (
        "O500119-01",
        "“千场活动”助残专场",
        "community",
        (4, 8),
        "南川区残疾人康复中心",
        28,
        40,
        "8000",
        "2000",
        ["残疾人"],
        "南川区同心社会工作服务中心",
    ),
]

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["秀兰", "桂英", "玉珍", "德明", "建国", "明轩", "子涵", "欣怡", "国强", "淑芬"]


def _record(spec, year, notice):
    code, name, kind, (m, d), place, part, bene, funds, inkind, domains, org = spec
    unit = OrgUnit.objects.get(code=code)
    if Activity.objects.filter(unit=unit, name=name).exists():
        return
    day = date(year, m, d)
    services.record_activity(
        unit=unit,
        by=None,
        notice=notice,
        data={
            "name": name,
            "activity_type": kind,
            "date_start": day,
            "date_end": day,
            "place": place,
            "participants": part,
            "beneficiaries": bene,
            "funds": Decimal(funds),
            "inkind": Decimal(inkind),
            "domains": domains,
            "org_text": org,
            "content": f"{name}，宣传社会工作专业优势，展示服务成效。",
            "mode": "online" if "线上" in name else "offline",
            "linkage": LINK_ALL[:3] if funds == "0" else LINK_ALL,
            "filler_name": unit.contact_person,
            "filler_mobile": "",
        },
    )


def _visits(code, n, start):
    unit = OrgUnit.objects.get(code=code)
    if unit.visit_set.exists():
        return
    groups = ["elder", "child", "left_child", "dibao", "disabled", "tekun"]
    for i in range(n):
        services.record_visit(
            unit=unit,
            by=None,
            data={
                "date": start + timedelta(days=i * 2),
                "household_name": SURNAMES[i % 10] + GIVEN[(i * 3) % 10],
                "household_address": f"{unit.name[:4]}{i % 5 + 1}组{i + 1}号",
                "household_phone": f"1370000{i:04d}",
                "group": groups[i % len(groups)],
                "visitors": "社工" + SURNAMES[(i + 2) % 10] + "老师",
                "purpose": "千场活动，万家走访：入户慰问",
                "outcome": "了解家庭生活和健康状况，宣传社会工作服务。",
                "follow_up": i % 4 == 0,
            },
        )


def build():
    mongolia = Notice.objects.filter(doc_prefix="内民政慈社", doc_year=2022).first()
    nanchuan = Notice.objects.filter(doc_prefix="南川民发", doc_year=2023).first()
    for spec in MONGOLIA:
        _record(spec, 2022, mongolia)
    for spec in NANCHUAN:
        _record(spec, 2023, nanchuan)
    # 东城 has visited 18 of its 30 households; 同心 has finished.
    _visits("S500119001", 18, date(2023, 3, 22))
    _visits("O500119-01", 30, date(2023, 3, 23))
    _visits("S150202003", 6, date(2022, 3, 18))
