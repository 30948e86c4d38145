from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shegong.funds import selectors
from shegong.funds.models import FundEntry
from tests.conftest import login

from .helpers import activity, donate, make_fund, spend


@pytest.fixture
def fund(world):
    fund = make_fund(world)
    donate(fund, world.station_worker, "1000", donor='=HYPERLINK("http://x")')
    spend(fund, world.station_worker, "300")
    return fund


def test_the_fund_list_shows_each_fund_with_its_balance(client, world, fund):
    login(client, world.station_worker)
    page = client.get(reverse("fund_list")).content.decode()
    assert fund.name in page
    assert "700.00" in page


def test_the_ledger_shows_a_running_balance(client, world, fund):
    login(client, world.station_worker)
    response = client.get(reverse("fund_detail", args=[fund.pk]))
    balances = [e.balance for e in response.context["rows"]]
    assert balances == [Decimal("1000.00"), Decimal("700.00")]
    assert "冲正" in response.content.decode()


def test_the_entry_form_records_a_spending(client, world, fund):
    login(client, world.station_worker)
    a = activity(world, funds=Decimal("100"))
    response = client.post(
        reverse("fund_entry_new", args=[fund.pk]),
        {
            "kind": "spending",
            "date": "2025-03-20",
            "amount": "100",
            "purpose": "活动物料",
            "activity": a.pk,
        },
    )
    assert response.status_code == 302
    assert fund.entries.filter(kind="spending", activity=a).exists()


def test_the_entry_form_shows_the_services_message_under_the_field(client, world, fund):
    login(client, world.station_worker)
    response = client.post(
        reverse("fund_entry_new", args=[fund.pk]),
        {"kind": "spending", "date": "2025-03-20", "amount": "5000", "purpose": "超支"},
    )
    assert response.status_code == 200
    assert "资金余额不足" in response.content.decode()


def test_the_reverse_button_reverses_an_entry(client, world, fund):
    login(client, world.station_worker)
    entry = fund.entries.get(kind="spending")
    client.post(reverse("fund_entry_reverse", args=[fund.pk, entry.pk]), {"reason": "录错"})
    assert FundEntry.objects.filter(reverses=entry).exists()


def test_the_export_neutralises_formulas_and_keeps_the_running_balance(client, world, fund):
    login(client, world.station_worker)
    response = client.get(reverse("fund_export", args=[fund.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["C2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["G3"].value == 700


def test_a_neighbour_gets_404_on_every_fund_page(client, world, fund):
    login(client, world.neighbour_worker)
    entry = fund.entries.first()
    for url in (
        reverse("fund_detail", args=[fund.pk]),
        reverse("fund_entry_new", args=[fund.pk]),
        reverse("fund_export", args=[fund.pk]),
        reverse("fund_list") + f"?unit={world.station.code}",
        reverse("fund_reconcile") + f"?unit={world.station.code}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("fund_entry_reverse", args=[fund.pk, entry.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert fund.name not in client.get(reverse("fund_list")).content.decode()


def test_the_district_reads_the_ledger_with_donors_but_cannot_write(client, world, fund):
    login(client, world.district_reviewer)
    page = client.get(reverse("fund_detail", args=[fund.pk])).content.decode()
    assert "HYPERLINK" in page  # the donor's name is public
    assert "冲正原因" not in page
    assert client.get(reverse("fund_entry_new", args=[fund.pk])).status_code == 403
    assert fund.name in client.get(reverse("fund_list")).content.decode()


def test_the_reconciliation_page_lists_the_difference(client, world, fund):
    a = activity(world, funds=Decimal("200"), inkind=None)
    spend(fund, world.station_worker, "150", activity=a)
    login(client, world.district_reviewer)
    url = reverse("fund_reconcile") + f"?unit={world.station.code}&start=2025-03-01&end=2025-03-31"
    page = client.get(url).content.decode()
    assert "1 处不一致" in page
    assert "50.00" in page


def test_figures_and_public_figures_are_aggregates_of_the_subtree(world, fund):
    from shegong.funds import services

    services.add_entry(
        fund=fund,
        kind="inkind",
        date=date(2025, 2, 2),
        amount="80",
        donor="某超市",
        items="面粉",
        by=world.station_worker,
    )
    got = selectors.figures(world.district.path, date(2025, 1, 1), date(2025, 12, 31))
    assert got == {
        "income_cash": Decimal("1000"),
        "income_inkind": Decimal("80"),
        "spending": Decimal("300"),
        "funds": 1,
    }
    assert set(got) <= set(selectors.LABELS)
    assert (
        selectors.figures(world.neighbour.path, date(2025, 1, 1), date(2025, 12, 31))["funds"] == 0
    )
    public = selectors.public_figures(world.station, today=date(2025, 6, 1))
    assert public == {"year_income": Decimal("1080"), "year_spending": Decimal("300"), "funds": 1}
    assert selectors.public_figures(world.station, today=date(2026, 6, 1))["year_income"] == 0
    assert selectors.due_items(world.station_worker, date(2025, 6, 1)) == []
