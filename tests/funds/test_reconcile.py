from datetime import date
from decimal import Decimal

from shegong.funds import selectors, services

from .helpers import activity, donate, make_fund, spend

SPRING = (date(2025, 3, 1), date(2025, 3, 31))


def _setup(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "10000")
    return fund


def test_an_activity_whose_linked_funds_differ_from_the_ledger_is_listed(world):
    fund = _setup(world)
    a = activity(world, funds=Decimal("1200"), inkind=None)
    spend(fund, world.station_worker, "1000", activity=a)
    result = selectors.reconcile(world.station, *SPRING)
    [row] = result["differences"]
    assert row["activity"] == a
    assert row["measure"] == "链接资金"
    assert (row["registered"], row["ledger"], row["difference"]) == (
        Decimal("1200"),
        Decimal("1000"),
        Decimal("200"),
    )


def test_matching_figures_are_rows_but_not_differences(world):
    fund = _setup(world)
    a = activity(world, funds=Decimal("500"), inkind=Decimal("300"))
    spend(fund, world.station_worker, "500", activity=a)
    services.add_entry(
        fund=fund,
        kind="inkind",
        date=date(2025, 3, 20),
        amount="300",
        donor="某超市",
        items="牛奶 20 箱",
        activity=a,
        by=world.station_worker,
    )
    result = selectors.reconcile(world.station, *SPRING)
    assert len(result["rows"]) == 2
    assert result["differences"] == []
    assert result["totals"]["inkind"]["ledger"] == Decimal("300")


def test_an_activity_with_no_ledger_entries_shows_its_whole_figure_as_difference(world):
    _setup(world)
    activity(world, funds=Decimal("0"), inkind=Decimal("800.50"))
    [row] = selectors.reconcile(world.station, *SPRING)["differences"]
    assert row["measure"] == "链接物资折价"
    assert row["difference"] == Decimal("800.50")


def test_a_reversed_spending_no_longer_counts_toward_the_activity(world):
    fund = _setup(world)
    a = activity(world, funds=Decimal("300"), inkind=None)
    wrong = spend(fund, world.station_worker, "3000", activity=a)
    services.reverse_entry(entry=wrong, reason="多写一个零", by=world.station_worker)
    spend(fund, world.station_worker, "300", activity=a)
    assert selectors.reconcile(world.station, *SPRING)["differences"] == []


def test_entries_in_range_linked_to_activities_outside_it_are_listed_with_a_total(world):
    fund = _setup(world)
    february = activity(world, day=date(2025, 2, 10), funds=Decimal("0"), inkind=None)
    spend(fund, world.station_worker, "250", day=date(2025, 3, 5), activity=february)
    result = selectors.reconcile(world.station, *SPRING)
    assert [e.activity for e in result["outside"]] == [february]
    assert result["outside_total"] == Decimal("250")
    assert result["rows"] == []


def test_the_room_activities_count_in_the_station_reconciliation(world):
    from tests.factories import make_activity

    fund = _setup(world)
    make_activity(
        world.room,
        by=None,
        date_start=date(2025, 3, 8),
        date_end=date(2025, 3, 8),
        funds=Decimal("60"),
        inkind=None,
    )
    result = selectors.reconcile(world.station, *SPRING)
    assert [r["difference"] for r in result["differences"]] == [Decimal("60")]
    assert selectors.reconcile(world.neighbour, *SPRING)["rows"] == []
    assert fund.pk
