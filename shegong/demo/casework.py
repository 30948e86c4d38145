"""Demo case files (一人一档) at 南川区东城街道社会工作站: dongcheng_filler becomes its 个案社工
and keeps five files in several groups, one closed, with assessments, plans, service
records (one attached to a family visit) and a follow-up falling due this week. Names and
ID numbers are invented; the ID numbers pass the check digit."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from shegong.activities.models import Visit
from shegong.casework import idnumber, services
from shegong.casework.models import CaseFile, CaseGroup
from shegong.orgs.models import Membership, OrgUnit, Role

STATION = "S500119001"
WORKER = "dongcheng_filler"


def _id(birth, serial):
    first17 = f"500119{birth}{serial}"
    return first17 + idnumber.check_char(first17)


# name, kind, group, birth date, serial, phone, address, members, days ago opened, risk
PEOPLE = [
    (
        "周桂芳",
        "person",
        "特困人员",
        "19420315",
        "102",
        "13908231456",
        "东城街道三岔河社区金佛路12号",
        "",
        420,
        "high",
    ),
    (
        "刘建国",
        "household",
        "低保对象",
        "19680902",
        "031",
        "13512349087",
        "东城街道南平社区龙济路58号3单元",
        "刘建国 户主 57岁 腰椎病\n陈小兰 妻子 54岁 务农\n刘欣 女儿 15岁 初三",
        200,
        "medium",
    ),
    (
        "王梓涵",
        "person",
        "留守儿童",
        "20140611",
        "224",
        "13658903321",
        "东城街道隆化社区东街7号",
        "王德华 祖父 68岁 监护人",
        90,
        "medium",
    ),
    (
        "陈永福",
        "person",
        "残疾人",
        "19750124",
        "015",
        "",
        "东城街道花山社区花园路21号",
        "",
        60,
        "low",
    ),
    (
        "吴秀英",
        "person",
        "留守老人",
        "19480808",
        "046",
        "02371423301",
        "东城街道金山社区新村11号",
        "",
        30,
        "low",
    ),
]


def build():
    station = OrgUnit.objects.filter(code=STATION).first()
    worker = get_user_model().objects.filter(username=WORKER).first()
    if station is None or worker is None:
        return
    services.ensure_groups()
    Membership.objects.get_or_create(user=worker, unit=station, role=Role.CASEWORKER)
    if CaseFile.objects.filter(number__gte=STATION, number__lt=STATION + "~").exists():
        return
    worker = get_user_model().objects.get(pk=worker.pk)  # no cached memberships
    today = timezone.localdate()
    visit = Visit.objects.filter(unit=station, deleted_at=None).order_by("date", "id").first()
    cases = []
    for name, kind, group, birth, serial, phone, address, members, ago, risk in PEOPLE:
        opened = today - timedelta(days=ago)
        if visit is not None and not cases:
            opened = min(opened, visit.date - timedelta(days=10))
        case = services.open_file(
            unit=station,
            by=worker,
            kind=kind,
            group=CaseGroup.objects.get(name=group),
            data={
                "name": name,
                "id_number": _id(birth, serial),
                "phone": phone,
                "address": address,
                "members": members,
            },
            opened_on=opened,
        )
        services.add_assessment(
            case=case,
            by=worker,
            date=opened,
            situation=f"{name}，{group}。"
            + ("独居，行动不便，子女在外地务工。" if ago > 300 else "家庭收入低，需要持续关注。"),
            needs="生活照料、定期探访、政策咨询" if risk != "low" else "定期探访、政策咨询",
            risk=risk,
        )
        services.set_plan(
            case=case,
            by=worker,
            goals="保障基本生活，链接社区资源，降低风险等级。",
            measures="每月入户探访一次，协助申请救助政策，联系社区志愿者结对帮扶。",
            start=opened,
            end=opened + timedelta(days=365),
        )
        services.add_record(
            case=case,
            by=worker,
            date=visit.date if visit is not None and not cases else opened + timedelta(days=7),
            way="home",
            content="入户探访，了解近况，讲解救助政策。",
            hours="1.5",
            visit=visit if not cases else None,
        )
        services.add_record(
            case=case,
            by=worker,
            date=min(today, opened + timedelta(days=21)),
            way="phone",
            content="电话回访，确认救助款到账。",
            hours="0.5",
        )
        cases.append(case)
    services.add_followup(
        case=cases[0], by=worker, due=today + timedelta(days=3), what="陪同到医院复查"
    )
    services.add_followup(
        case=cases[2], by=worker, due=today + timedelta(days=20), what="期中学习情况回访"
    )
    services.close_file(
        case=cases[3], by=worker, reason="已就业，家庭收入稳定，服务目标达成。", closed_on=today
    )
