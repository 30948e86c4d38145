"""The printable period report: heading, status and timeliness, totals, the child breakdown
and the rows, in the same scope as the report page."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from shegong.orgs.models import Kind
from shegong.reporting import services
from shegong.reporting import views as report_views
from tests.conftest import login
from tests.factories import at, make_activity, make_notice

pytestmark = pytest.mark.django_db

CUTOFF = at(2030, 3, 22, 17)


@pytest.fixture
def campaign(world):
    notice = make_notice(
        world.district,
        "东民发〔2030〕1号",
        kinds=[Kind.STATION],
        issue=True,
        title="关于开展2030年社会工作宣传周活动的通知",
    )
    world.period = notice.periods.get()
    make_activity(world.station, name="助老义诊进社区", participants=30, funds=Decimal("100.50"))
    make_activity(world.room, name="宏源社区儿童课堂", participants=12, beneficiaries=40)
    return world


def submit(world, unit, by, when):
    with time_machine.travel(when, tick=False):
        return services.submit_report(
            period=world.period, unit=unit, by=by, filler_name="李娜", filler_mobile="13800001111"
        )


def test_a_station_prints_its_report_with_status_totals_breakdown_and_rows(client, campaign):
    w = campaign
    report = submit(w, w.station, w.station_worker, CUTOFF - timedelta(hours=3))
    login(client, w.station_worker)
    response = client.get(f"/reports/{report.pk}/print/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/css/print.css" in body and 'class="sg-print sg-print-wide"' in body
    assert 'data-testid="print-title">第1次工作进展情况<' in body
    assert "东河区民政局 东民发〔2030〕1号《关于开展2030年社会工作宣传周活动的通知》" in body
    assert "报送单位：西脑包街道社会工作服务站" in body
    assert 'data-testid="report-status">状态：待审核<' in body
    assert "首次报送：2030年3月22日 14:00（按时）" in body
    assert "填报人及手机号码：李娜 13800001111" in body
    totals = re.search(r'data-testid="print-totals">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", totals) == ["2", "42", "160", "1,300.50", "1,601.00"]
    breakdown = body[body.index('data-testid="print-breakdown"') :]
    assert "宏源社区社会工作室" in breakdown.split("</table>")[0]
    rows = body[body.index('data-testid="print-rows"') :].split("</table>")[0]
    assert "助老义诊进社区" in rows and "宏源社区儿童课堂" in rows
    assert "<thead>" in rows
    history = body[body.index('data-testid="print-history"') :].split("</table>")[0]
    assert "<td>station_worker</td><td>报送</td>" in history
    assert "活动 2 场，参与 42 人次" in history
    assert 'data-testid="print-limit"' not in body


def test_a_late_report_prints_as_late_for_the_reviewer(client, campaign):
    w = campaign
    report = submit(w, w.station, w.station_worker, CUTOFF + timedelta(hours=20))
    login(client, w.district_reviewer)
    body = client.get(f"/reports/{report.pk}/print/").content.decode()
    assert "首次报送：2030年3月23日 13:00（" in body
    assert '<span class="sg-late">逾期</span>' in body and "（按时）" not in body


def test_a_neighbour_cannot_print_the_report(client, campaign):
    w = campaign
    report = submit(w, w.station, w.station_worker, CUTOFF - timedelta(hours=3))
    login(client, w.neighbour_worker)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.get(f"/reports/{report.pk}/print/").status_code == 404
    client.logout()
    response = client.get(f"/reports/{report.pk}/print/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_rows_are_capped_as_on_the_report_page(client, campaign, monkeypatch):
    w = campaign
    monkeypatch.setattr(report_views, "ROWS_SHOWN", 1)
    report = submit(w, w.station, w.station_worker, CUTOFF - timedelta(hours=3))
    login(client, w.station_worker)
    body = client.get(f"/reports/{report.pk}/print/").content.decode()
    assert "共 2 场，这里列出前 1 场" in body
    rows = body[body.index('data-testid="print-rows"') :].split("</table>")[0]
    assert rows.count('<td class="sg-index">') == 1


def test_the_report_pages_offer_the_print_view(client, campaign):
    w = campaign
    report = submit(w, w.station, w.station_worker, CUTOFF - timedelta(hours=3))
    link = f'href="/reports/{report.pk}/print/" data-testid="print-link"'
    login(client, w.station_worker)
    assert link in client.get(f"/reports/period/{w.period.pk}/").content.decode()
    login(client, w.district_reviewer)
    assert link in client.get(f"/reports/{report.pk}/").content.decode()
