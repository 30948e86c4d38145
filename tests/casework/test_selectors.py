from datetime import date, timedelta

import pytest
from django.utils import timezone

from shegong.casework import selectors, services

from .conftest import open_case, valid_id

pytestmark = pytest.mark.django_db


def test_figures_count_open_opened_closed_and_records_of_the_subtree(cw):
    a = open_case(cw, opened_on=date(2026, 1, 5))
    b = open_case(cw, id_number=valid_id("11010519500101003"), opened_on=date(2026, 1, 6))
    open_case(cw, unit=cw.neighbour, by=cw.neighbour_caseworker, opened_on=date(2026, 1, 7))
    services.close_file(case=b, by=cw.caseworker, reason="迁出", closed_on=date(2026, 1, 20))
    services.add_record(
        case=a, by=cw.caseworker, date=date(2026, 1, 10), way="phone", content="c", hours=2
    )
    station = selectors.figures(cw.station.path, date(2026, 1, 1), date(2026, 1, 31))
    assert station["open_at_end"] == 1 and station["opened"] == 2 and station["closed"] == 1
    assert station["records"] == 1 and station["record_hours"] == 2.0
    assert station["group:低保对象"] == 1
    district = selectors.figures(cw.district.path, date(2026, 1, 1), date(2026, 1, 31))
    assert district["opened"] == 3
    before_close = selectors.figures(cw.station.path, date(2026, 1, 1), date(2026, 1, 15))
    assert before_close["open_at_end"] == 2
    assert set(selectors.LABELS) <= set(station)


def test_due_items_list_followups_within_a_week_for_the_caseworker_only(cw):
    case = open_case(cw)
    today = timezone.localdate()
    services.add_followup(case=case, by=cw.caseworker, due=today + timedelta(days=3), what="回访")
    services.add_followup(case=case, by=cw.caseworker, due=today - timedelta(days=1), what="送药")
    services.add_followup(case=case, by=cw.caseworker, due=today + timedelta(days=30), what="远")
    items = selectors.due_items(cw.caseworker, today)
    assert [i["title"].split("：")[1] for i in items] == ["送药", "回访"]
    assert items[0]["url"] == f"/cases/{case.pk}/#followups" and items[0]["kind"] == "个案跟进"
    assert selectors.due_items(cw.station_worker, today) == []
    assert selectors.due_items(cw.neighbour_caseworker, today) == []


def test_public_figures_are_aggregate_numbers(cw):
    case = open_case(cw)
    services.add_record(
        case=case,
        by=cw.caseworker,
        date=timezone.localdate(),
        way="home",
        content="入户",
        hours=1,
    )
    assert selectors.public_figures(cw.station) == {"people_served": 1, "records_this_year": 1}
    assert selectors.public_figures(cw.neighbour) == {"people_served": 0, "records_this_year": 0}
