from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.audit.models import AuditEvent
from shegong.funds import services
from shegong.funds.models import Fund, FundEntry
from tests.factories import make_activity

from .helpers import OPENED, activity, donate, make_fund, spend


def test_station_worker_opens_a_fund_and_records_a_donation(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "1000.00")
    fund.refresh_from_db()
    assert fund.unit_path == world.station.path
    assert fund.balance == Decimal("1000.00")


def test_every_write_leaves_an_audit_event(world):
    fund = make_fund(world)
    entry = donate(fund, world.station_worker, "100")
    services.reverse_entry(entry=entry, reason="金额录错", by=world.station_worker)
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["funds.opened", "funds.entry", "funds.reversed"]


def test_a_fund_is_opened_only_at_a_station_or_room(world):
    with pytest.raises(PermissionDenied):
        services.open_fund(
            unit=world.district, name="区级基金", opened_on=OPENED, by=world.district_admin
        )


def test_the_district_cannot_write_to_a_station_fund(world):
    fund = make_fund(world)
    with pytest.raises(PermissionDenied):
        donate(fund, world.district_admin, "100")


def test_two_funds_of_one_unit_cannot_share_a_name(world):
    make_fund(world)
    with pytest.raises(ValidationError) as e:
        make_fund(world)
    assert "已有名为" in e.value.message_dict["name"][0]


def test_spending_beyond_the_balance_is_refused_with_a_clear_message(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "500")
    with pytest.raises(ValidationError) as e:
        spend(fund, world.station_worker, "500.01")
    assert "资金余额不足" in e.value.message_dict["amount"][0]
    fund.refresh_from_db()
    assert fund.balance == Decimal("500.00")
    assert fund.entries.count() == 1


def test_backdated_spending_cannot_use_money_received_later(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "500", day=date(2025, 5, 1))
    with pytest.raises(ValidationError) as e:
        spend(fund, world.station_worker, "200", day=date(2025, 4, 1))
    assert "2025年04月01日" in e.value.message_dict["amount"][0]


def test_amounts_must_be_positive_with_at_most_two_decimals(world):
    fund = make_fund(world)
    with pytest.raises(ValidationError) as e:
        donate(fund, world.station_worker, "0")
    assert "大于 0" in e.value.message_dict["amount"][0]
    with pytest.raises(ValidationError) as e:
        donate(fund, world.station_worker, "1.005")
    assert "两位小数" in e.value.message_dict["amount"][0]


def test_entry_dates_lie_between_the_opening_and_today(world):
    fund = make_fund(world)
    with pytest.raises(ValidationError) as e:
        donate(fund, world.station_worker, "10", day=date(2024, 12, 31))
    assert "设立日期" in e.value.message_dict["date"][0]
    with pytest.raises(ValidationError) as e:
        donate(fund, world.station_worker, "10", day=date(2999, 1, 1))
    assert "晚于今天" in e.value.message_dict["date"][0]


def test_a_donation_names_its_donor_or_is_anonymous(world):
    fund = make_fund(world)
    with pytest.raises(ValidationError) as e:
        donate(fund, world.station_worker, "10", donor="")
    assert e.value.message_dict["donor"] == ["请填写捐赠方。"]
    entry = donate(fund, world.station_worker, "10", donor="", anonymous=True)
    assert entry.donor == "匿名"


def test_an_in_kind_donation_needs_its_items_and_leaves_the_cash_alone(world):
    fund = make_fund(world)
    with pytest.raises(ValidationError) as e:
        services.add_entry(
            fund=fund,
            kind="inkind",
            date=date(2025, 2, 1),
            amount="800",
            donor="某超市",
            by=world.station_worker,
        )
    assert "物资名称及数量" in e.value.message_dict["items"][0]
    services.add_entry(
        fund=fund,
        kind="inkind",
        date=date(2025, 2, 1),
        amount="800",
        donor="某超市",
        items="大米 40 袋",
        by=world.station_worker,
    )
    fund.refresh_from_db()
    assert fund.balance == 0


def test_a_reversal_cancels_an_entry_and_both_stay_in_the_ledger(world):
    fund = make_fund(world)
    entry = donate(fund, world.station_worker, "1000")
    reversal = services.reverse_entry(entry=entry, reason="重复录入", by=world.station_worker)
    fund.refresh_from_db()
    assert fund.balance == 0
    assert reversal.amount == Decimal("-1000.00")
    assert reversal.reverses == entry
    assert FundEntry.objects.filter(fund=fund).count() == 2


def test_an_entry_is_reversed_once_and_a_reversal_never(world):
    fund = make_fund(world)
    entry = donate(fund, world.station_worker, "100")
    reversal = services.reverse_entry(entry=entry, reason="录错", by=world.station_worker)
    with pytest.raises(ValidationError, match="已经冲正过"):
        services.reverse_entry(entry=entry, reason="再冲", by=world.station_worker)
    with pytest.raises(ValidationError, match="不能再冲正"):
        services.reverse_entry(entry=reversal, reason="再冲", by=world.station_worker)


def test_reversing_income_already_spent_is_refused(world):
    fund = make_fund(world)
    entry = donate(fund, world.station_worker, "100")
    spend(fund, world.station_worker, "80")
    with pytest.raises(ValidationError) as e:
        services.reverse_entry(entry=entry, reason="退回捐款", by=world.station_worker)
    assert "余额将为负数" in e.value.message_dict["reason"][0]
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("20.00")


def test_spending_links_only_to_an_activity_of_the_fund_units_subtree(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "1000")
    own = activity(world)
    room = make_activity(
        world.room, by=None, date_start=date(2025, 3, 1), date_end=date(2025, 3, 1)
    )
    spend(fund, world.station_worker, "100", activity=own)
    spend(fund, world.station_worker, "100", activity=room)
    other = make_activity(
        world.neighbour, by=None, date_start=date(2025, 3, 1), date_end=date(2025, 3, 1)
    )
    with pytest.raises(ValidationError) as e:
        spend(fund, world.station_worker, "100", activity=other)
    assert "只能关联" in e.value.message_dict["activity"][0]


def test_the_database_refuses_a_negative_balance_written_around_the_service(world):
    from django.db import IntegrityError, transaction

    fund = make_fund(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Fund.objects.filter(pk=fund.pk).update(balance=Decimal("-1"))


def test_a_fund_moves_with_its_station_when_the_station_changes_parent(world):
    from shegong.orgs import services as org_services

    fund = make_fund(world)
    entry = donate(fund, world.station_worker, "10")
    org_services.move_unit(
        unit=world.station, new_parent=world.township2, by=None, reason="区划调整"
    )
    world.station.refresh_from_db()
    fund.refresh_from_db()
    entry.refresh_from_db()
    assert fund.unit_path == entry.unit_path == world.station.path
