"""A fund with a little history, for the fund tests."""

from datetime import date
from decimal import Decimal

from shegong.funds import services
from tests.factories import make_activity

OPENED = date(2025, 1, 1)


def make_fund(world, name="鼓楼坝社区微心愿基金", unit=None, by=None):
    return services.open_fund(
        unit=unit or world.station,
        name=name,
        opened_on=OPENED,
        by=by or world.station_worker,
    )


def donate(fund, by, amount, day=date(2025, 2, 1), donor="重庆某某商贸有限公司", **extra):
    return services.add_entry(
        fund=fund, kind="cash", date=day, amount=Decimal(amount), donor=donor, by=by, **extra
    )


def spend(fund, by, amount, day=date(2025, 3, 1), purpose="购买慰问品", **extra):
    return services.add_entry(
        fund=fund,
        kind="spending",
        date=day,
        amount=Decimal(amount),
        purpose=purpose,
        by=by,
        **extra,
    )


def activity(world, day=date(2025, 3, 20), **overrides):
    return make_activity(
        world.station, by=world.station_worker, date_start=day, date_end=day, **overrides
    )
