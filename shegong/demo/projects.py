"""Demo purchased project at 南川: 南川区民政局 buys a 一老一小 service project from 南川区同心
社会工作服务中心 for 东城 and 西城, with targets, a few activities linked, a mid-term evaluation
by the third-party assessor `pinggu_demo` (in no unit, limited to this project), and 东城's
social workers with their certificates and training hours. Dates follow today, so the project
is always under way and past its midpoint."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from shegong.activities import services as activity_services
from shegong.activities.models import Activity, Visit
from shegong.orgs.models import OrgUnit
from shegong.projects import reference, selectors, services
from shegong.projects.models import Criterion, Project, ProjectDomain, Stage, Worker

from .users import DEMO_PASSWORD

BUREAU, CONTRACTOR, STATIONS = "500119000000", "O500119-01", ["S500119001", "S500119003"]
NAME = "南川区“一老一小”社会工作关爱服务项目"
ASSESSOR = "pinggu_demo"

# (unit code, name, days before today, participants, beneficiaries)
ACTIVITIES = [
    ("S500119001", "独居老人“银龄守护”健康讲座", 150, 40, 65),
    ("S500119001", "困境儿童暑期成长营", 110, 25, 38),
    ("S500119003", "高龄老人防跌倒居家改造宣传", 70, 30, 55),
]

# (name, phone, level, supervisor, [(days before today, hours, topic)])
STAFF = [
    (
        "李娜",
        "13983001101",
        "senior",
        True,
        [(200, "16", "社会工作督导实务"), (40, "6", "个案管理")],
    ),
    ("王强", "13983001102", "worker", False, [(120, "12", "儿童保护与困境儿童服务")]),
    ("张敏", "13983001103", "assistant", False, [(120, "12", "儿童保护与困境儿童服务")]),
    ("刘洋", "13983001104", "assistant", False, [(60, "8", "老年人社会工作")]),
    ("陈静", "13983001105", "none", False, [(30, "4", "社会工作伦理与价值观")]),
]


def _assessor():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=ASSESSOR,
        defaults={
            "full_name": "重庆某第三方评估机构",
            "must_change_password": False,
            "password_changed_at": timezone.now(),
        },
    )
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _activities(today):
    out = []
    for code, name, ago, participants, beneficiaries in ACTIVITIES:
        unit = OrgUnit.objects.get(code=code)
        activity = Activity.objects.filter(unit=unit, name=name).first()
        if activity is None:
            day = today - timedelta(days=ago)
            activity = activity_services.record_activity(
                unit=unit,
                by=None,
                data={
                    "name": name,
                    "activity_type": "community",
                    "date_start": day,
                    "date_end": day,
                    "place": unit.name,
                    "participants": participants,
                    "beneficiaries": beneficiaries,
                    "funds": Decimal("0"),
                    "inkind": Decimal("0"),
                    "domains": ["老年人"] if "老人" in name else ["儿童青少年"],
                    "org_text": f"{unit.name}、南川区同心社会工作服务中心",
                    "content": f"{name}：购买服务项目的服务活动。",
                    "mode": "offline",
                    "linkage": ["社区", "社会组织", "社会工作者"],
                    "filler_name": "",
                    "filler_mobile": "",
                },
            )
        out.append(activity)
    return out


def _visits(today):
    """东城's family visits during the project (走访户次 counts them)."""
    station = OrgUnit.objects.get(code="S500119001")
    purpose = "一老一小项目：入户走访"
    if Visit.objects.filter(unit=station, purpose=purpose).exists():
        return
    for i in range(24):
        activity_services.record_visit(
            unit=station,
            by=None,
            data={
                "date": today - timedelta(days=180 - i * 7),
                "household_name": "王李张刘陈杨赵黄"[i % 8]
                + ["秀兰", "建国", "子涵", "德明"][i % 4],
                "household_address": f"东城街道{i % 3 + 1}社区{i + 1}号",
                "group": ["elder", "child", "left_child", "disabled"][i % 4],
                "visitors": "社工李娜、王强",
                "purpose": purpose,
                "outcome": "了解生活和照料情况，更新一人一档。",
            },
        )


def _project(today):
    users = get_user_model().objects
    admin = users.get(username="nanchuan_admin")
    bureau = OrgUnit.objects.get(code=BUREAU)
    start = today - timedelta(days=200)
    project = services.save_project(
        issuer=bureau,
        by=admin,
        data={
            "name": NAME,
            "catalogue_no": "NC-2026-07",
            "domain": ProjectDomain.objects.get(name="老年人服务"),
            "contractor": OrgUnit.objects.get(code=CONTRACTOR),
            "stations": list(OrgUnit.objects.filter(code__in=STATIONS)),
            "budget": Decimal("360000.00"),
            "start_date": start,
            "end_date": start + timedelta(days=364),
            "description": (
                "面向东城、西城街道的独居、高龄老人和困境、留守儿童，开展个案跟进、"
                "小组活动和社区活动，建立一人一档，链接社区资源。"
            ),
            "targets": {"served": 600, "activities": 12, "cases": 30, "visits": 120},
        },
    )
    services.link_activities(project=project, activities=_activities(today), by=admin)
    _visits(today)
    records = list(selectors.linkable_records(project)[:10])
    if records:
        services.link_records(project=project, records=records, by=admin)
    assessor = _assessor()
    services.add_assessor(project=project, user=assessor, by=admin)
    scores = dict(
        zip(
            ["服务成效", "专业规范", "项目管理", "财务管理", "服务对象满意度", "资源链接与宣传"],
            ["24", "17", "12", "13", "9", "7"],
            strict=True,
        )
    )
    services.save_evaluation(
        project=project,
        stage=Stage.MID,
        by=assessor,
        date=today - timedelta(days=10),
        scores={
            c.pk: scores.get(c.name, c.max_score) for c in Criterion.objects.filter(is_active=True)
        },
        findings=(
            "项目按计划推进，服务对象需求评估规范，一人一档建档及时；"
            "走访户次进度偏慢，建议下半期加强入户走访，完善活动过程记录和照片资料。"
        ),
    )
    return project


def _staff(today):
    station = OrgUnit.objects.get(code="S500119001")
    if Worker.objects.filter(unit=station).exists():
        return
    admin = get_user_model().objects.get(username="dongcheng_admin")
    for name, phone, level, supervisor, trainings in STAFF:
        worker = services.save_worker(
            unit=station,
            by=admin,
            data={"name": name, "phone": phone, "level": level, "is_supervisor": supervisor},
        )
        for ago, hours, topic in trainings:
            services.add_training(
                worker=worker, by=admin, date=today - timedelta(days=ago), hours=hours, topic=topic
            )


def build():
    if not OrgUnit.objects.filter(code=BUREAU).exists():
        return
    reference.load(ProjectDomain, Criterion)
    today = timezone.localdate()
    if not Project.objects.filter(name=NAME).exists():
        _project(today)
    _staff(today)
