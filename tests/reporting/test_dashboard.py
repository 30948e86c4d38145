"""Dashboards: every number is scoped to the viewer's subtree, the charts and the exported
child table carry the same figures, and the summary-backed figures equal raw totals."""

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from shegong.orgs.models import Role
from shegong.reporting import dashboard, services
from tests.conftest import login
from tests.factories import at, make_activity, make_notice, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_world(world):
    world.notice = make_notice(
        world.region, "内民政慈社〔2030〕1号", units=[world.city, world.manzhouli], issue=True
    )
    make_activity(world.station, participants=30, funds=Decimal("100.00"))
    make_activity(world.room, participants=12, domains=["儿童青少年"])
    make_activity(world.neighbour, participants=5, linkage=["社区"])
    make_activity(world.manzhouli, participants=8)
    # Outside the notice's span: never counted on its dashboard.
    make_activity(
        world.station, participants=999, date_start=date(2031, 1, 5), date_end=date(2031, 1, 5)
    )
    return world


def chart_data(response):
    match = re.search(
        r'<script id="chart-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1))


def test_station_dashboard_shows_only_its_own_subtree(board_world, client):
    w = board_world
    login(client, w.station_worker)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    text = page.content.decode()
    assert re.search(r'data-testid="headline-n">2<', text)  # its own + its room's
    assert re.search(r'data-testid="headline-participants">42<', text)
    assert client.get(f"/dashboard/{w.neighbour.code}/").status_code == 404
    assert client.get(f"/dashboard/{w.district.code}/").status_code == 404
    assert client.get(f"/dashboard/{w.district.code}/export/").status_code == 404
    assert client.get(f"/dashboard/{w.region.code}/achievements/").status_code == 404


def test_region_dashboard_totals_and_drill_down(board_world, client):
    w = board_world
    login(client, w.region_admin)
    text = client.get("/dashboard/").content.decode()
    assert re.search(r'data-testid="headline-n">4<', text)
    assert re.search(r'data-testid="headline-participants">55<', text)
    data = chart_data(client.get("/dashboard/"))
    assert [row[2] for row in data["children"]] == [w.city.code, w.manzhouli.code]
    assert sum(row[1] for row in data["weeks"]) == 4
    drill = client.get(f"/dashboard/{w.city.code}/?notice={w.notice.pk}").content.decode()
    assert re.search(r'data-testid="headline-n">3<', drill)


def test_charts_agree_with_the_exported_child_table(board_world, client):
    w = board_world
    login(client, w.region_admin)
    data = chart_data(client.get(f"/dashboard/?notice={w.notice.pk}"))
    response = client.get(f"/dashboard/{w.region.code}/export/?notice={w.notice.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    exported = {r[0]: r[2] for r in rows if r[0]}
    assert {code: n for _name, n, code in data["children"]} == exported
    assert rows[-1][1:3] == ("合计", 4)
    assert sum(exported.values()) == 4
    linkage = dict(data["linkage"])
    assert linkage["社区"] == 4  # the default activity names 社区; the neighbour's too


def test_rates_on_the_dashboard_use_the_frozen_reporters(board_world):
    w = board_world
    period = w.notice.periods.get()
    city_admin = make_user(unit=w.city, role=Role.ADMIN)
    with time_machine.travel(at(2030, 3, 22, 9), tick=False):
        services.submit_report(
            period=period, unit=w.city, by=city_admin, filler_name="王", filler_mobile="13800001111"
        )
    board = dashboard.build(w.region, w.notice, date(2030, 3, 25))
    rate = board.rates[0]
    assert (rate.expected, rate.delivered, rate.on_time) == (2, 1, 1)
    assert rate.reported_rate == 0.5
    station_board = dashboard.build(w.station, w.notice, date(2030, 3, 25))
    assert station_board.rates[0].expected == 0
    assert station_board.headline["n"] == 2


def test_dashboard_panel_shows_quota_progress_of_units_below(world, client):
    from shegong.campaigns.models import QuotaMetric

    quota = {
        "metric": QuotaMetric.COMMUNITY_ACTIVITIES,
        "target": 3,
        "start_date": date(2030, 3, 17),
        "end_date": date(2030, 5, 31),
        "kinds": ["station"],
    }
    make_notice(world.district, "东民发〔2030〕2号", kinds=["station"], quotas=[quota], issue=True)
    make_activity(world.station)
    login(client, world.district_reviewer)
    panel = client.get(f"/dashboard/{world.district.code}/achievements/").content.decode()
    assert "任务指标未完成的下级单位（2）" in panel
    assert "社区活动 1/3" in panel and "社区活动 0/3" in panel
    assert "社会工作站" in panel


def test_a_cached_dashboard_follows_every_write_below_it(board_world):
    """A second view comes from the worker's cache; an activity recorded deep below, or a
    report submitted by a child, moves the version, so the next view is rebuilt."""
    w = board_world
    today = date(2030, 3, 25)
    children = [w.city, w.manzhouli]
    first = dashboard.cached(w.region, w.notice, today, children)
    assert first.headline["n"] == 4
    again = dashboard.cached(w.region, w.notice, today, children)
    assert again.headline == first.headline
    assert [r.unit for r in again.children][:2] == children

    make_activity(w.room, participants=7)  # a room, two levels below ROLLUP_DEPTH's nodes
    assert dashboard.cached(w.region, w.notice, today, children).headline["n"] == 5
    assert dashboard.cached(w.room, w.notice, today).headline["n"] == 2

    period = w.notice.periods.get()
    with time_machine.travel(at(2030, 3, 22, 9), tick=False):
        services.submit_report(
            period=period,
            unit=w.city,
            by=make_user(unit=w.city, role=Role.ADMIN),
            filler_name="王",
            filler_mobile="13800001111",
        )
    board = dashboard.cached(w.region, w.notice, today, children)
    assert (board.rates[0].delivered, board.children[0].rate.delivered) == (1, 1)


def test_the_cached_notice_list_follows_issuing_and_membership(board_world, client):
    """The worker keeps each user's notice list, but a newly issued notice shows at once,
    and a unit's notice never reaches a user who has left that unit."""
    w = board_world
    login(client, w.district_reviewer)
    assert "内民政慈社〔2030〕1号" in client.get("/dashboard/").content.decode()

    make_notice(w.district, "东民发〔2030〕7号", units=[w.station], issue=True)
    page = client.get("/dashboard/").content.decode()
    assert "东民发〔2030〕7号" in page
    assert (
        "东民发〔2030〕7号"
        not in login(client, w.neighbour_worker).get("/dashboard/").content.decode()
    )

    station_notice = make_notice(w.station, "西社发〔2030〕2号", units=[w.room], issue=True)
    login(client, w.station_worker)
    assert "西社发〔2030〕2号" in client.get("/dashboard/").content.decode()
    w.station_worker.memberships.update(unit=w.neighbour)
    page = client.get("/dashboard/").content.decode()
    assert station_notice.doc_number not in page
