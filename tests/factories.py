"""Small factory functions for tests: units through the service (real paths), users with roles."""

from contextlib import contextmanager
from itertools import count
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import transaction

from shegong.orgs import services
from shegong.orgs.models import Kind, Membership, Role

PASSWORD = "Test@Pass123"
_seq = count(1)


def make_unit(parent=None, name=None, kind=Kind.STATION, code=None, **fields):
    n = next(_seq)
    return services.create_unit(
        parent=parent,
        code=code or f"U{n:05d}",
        name=name or f"测试单位{n}",
        kind=kind,
        by=None,
        **fields,
    )


def make_user(username=None, unit=None, role=Role.FILLER, **fields):
    username = username or f"user{next(_seq)}"
    fields.setdefault("must_change_password", False)
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def make_world():
    """A small 内蒙古-shaped tree with named personas.

    ministry → region → 包头 → 东河区 → 西脑包街道 → 西脑包站 → 宏源社区室
                                      → 和平路街道 → 和平路站 (the neighbour)
             → 满洲里市 (reports straight to the region)
    """
    w = SimpleNamespace()
    w.ministry = make_unit(None, "民政部", Kind.MINISTRY, code="MCA")
    w.region = make_unit(w.ministry, "内蒙古自治区民政厅", Kind.PROVINCE, code="150000000000")
    w.city = make_unit(w.region, "包头市民政局", Kind.PREFECTURE, code="150200000000")
    w.district = make_unit(w.city, "东河区民政局", Kind.COUNTY, code="150202000000")
    w.township = make_unit(w.district, "西脑包街道", Kind.TOWNSHIP, code="150202003000")
    w.station = make_unit(w.township, "西脑包街道社会工作服务站", Kind.STATION, code="S150202003")
    w.room = make_unit(w.station, "宏源社区社会工作室", Kind.ROOM, code="R150202003013")
    w.township2 = make_unit(w.district, "和平路街道", Kind.TOWNSHIP, code="150202001000")
    w.neighbour = make_unit(
        w.township2, "和平路街道社会工作服务站", Kind.STATION, code="S150202001"
    )
    w.manzhouli = make_unit(w.region, "满洲里市民政局", Kind.COUNTY, code="150781000000")

    w.region_admin = make_user("region_admin", w.region, Role.ADMIN)
    w.region_clerk = make_user("region_clerk", w.region, Role.FILLER)
    w.district_admin = make_user("district_admin", w.district, Role.ADMIN)
    w.district_reviewer = make_user("district_reviewer", w.district, Role.REVIEWER)
    w.station_admin = make_user("station_admin", w.station, Role.ADMIN)
    w.station_worker = make_user("station_worker", w.station, Role.FILLER)
    w.neighbour_worker = make_user("neighbour_worker", w.neighbour, Role.FILLER)
    return w


def at(y, m, d, hh=0, mm=0):
    """An aware datetime in Beijing time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_notice(
    issuer, doc_number="", units=(), kinds=(), periods=None, quotas=(), issue=False, **fields
):
    """A notice through the service; by default one progress period with a 17:00 cutoff."""
    from datetime import date

    from shegong.campaigns import services as campaign_services

    fields = {
        "title": "关于组织开展社会工作主题宣传活动的通知",
        "window_start": date(2030, 3, 17),
        "window_end": date(2030, 3, 31),
        **fields,
    }
    if periods is None:
        periods = [
            {
                "kind": "progress",
                "name": "第1次工作进展情况",
                "start_date": date(2030, 3, 17),
                "end_date": date(2030, 3, 24),
                "cutoff": at(2030, 3, 22, 17),
            }
        ]
    notice = campaign_services.save_draft(
        issuer=issuer,
        by=None,
        fields=fields,
        doc_number=doc_number,
        periods=periods,
        quotas=list(quotas),
        rules={"units": list(units), "kinds": list(kinds)},
    )
    if issue:
        campaign_services.issue_notice(notice=notice, by=None)
        notice.refresh_from_db()
    return notice


def activity_data(**overrides):
    """A valid activity as the services take it."""
    from datetime import date
    from decimal import Decimal

    data = {
        "name": "“五社联动”助老服务进社区",
        "org_text": "西脑包街道社会工作服务站、宏源社区志愿服务队",
        "participants": 45,
        "date_start": date(2030, 3, 20),
        "date_end": date(2030, 3, 20),
        "place": "宏源社区党群服务中心",
        "content": "为辖区老年人开展健康义诊和防诈骗宣传。",
        "domains": ["老年人"],
        "beneficiaries": 120,
        "funds": Decimal("1200.00"),
        "inkind": Decimal("800.50"),
        "remarks": "",
        "activity_type": "community",
        "mode": "offline",
        "linkage": ["社区", "社会工作者", "社区志愿者"],
        "filler_name": "李娜",
        "filler_mobile": "13800001111",
    }
    data.update(overrides)
    return data


def make_activity(unit, by=None, notice=None, **overrides):
    from shegong.activities import services as activity_services

    return activity_services.record_activity(
        unit=unit, data=activity_data(**overrides), by=by, notice=notice
    )


@contextmanager
def rolled_back():
    """One example in a savepoint that is rolled back, so examples do not see each other."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
