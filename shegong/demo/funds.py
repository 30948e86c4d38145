"""Demo community fund at 南川's 东城街道社会工作站: cash and in-kind donations, spending
linked to two of its 2023 activities (one of them booked 500 yuan below the activity's
链接资金, so the reconciliation page has a difference to show) and one corrected entry."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from shegong.activities.models import Activity
from shegong.funds import services
from shegong.funds.models import Fund
from shegong.orgs.models import OrgUnit

STATION = "S500119001"
NAME = "东城街道“邻里守望”社区基金"
LAUNCH = "“推进五社联动 关爱一小一老”宣传周启动"
CLASSROOM = "留守儿童四点半课堂"


def build():
    unit = OrgUnit.objects.filter(code=STATION).first()
    if unit is None or Fund.objects.filter(unit=unit, name=NAME).exists():
        return
    by = get_user_model().objects.get(username="dongcheng_filler")
    activities = {a.name: a for a in Activity.objects.filter(unit=unit, deleted_at=None)}
    launch, classroom = activities.get(LAUNCH), activities.get(CLASSROOM)
    fund = services.open_fund(unit=unit, name=NAME, opened_on=date(2023, 1, 1), by=by)

    def add(kind, day, amount, **fields):
        return services.add_entry(
            fund=fund, kind=kind, date=day, amount=Decimal(amount), by=by, **fields
        )

    add("cash", date(2023, 3, 1), "20000", donor="南川区东城商会")
    add("cash", date(2023, 3, 10), "500", anonymous=True, note="社区募捐箱")
    add(
        "inkind",
        date(2023, 3, 20),
        "3000",
        donor="重庆惠民超市东城店",
        items="米面油慰问包 60 份",
        activity=launch,
    )
    # The register says 5000 yuan of 链接资金 for the launch; the ledger has 4500.
    add(
        "spending", date(2023, 3, 22), "4500", purpose="宣传周启动场地布置及慰问品", activity=launch
    )
    add(
        "inkind",
        date(2023, 4, 12),
        "800",
        donor="长亭社区爱心人士",
        items="学习用品 30 份",
        activity=classroom,
    )
    wrong = add("spending", date(2023, 4, 20), "2000", purpose="困难家庭微心愿")
    services.reverse_entry(
        entry=wrong, reason="金额录错，应为 200 元", by=by, date=date(2023, 4, 21)
    )
    add("spending", date(2023, 4, 21), "200", purpose="困难家庭微心愿")
