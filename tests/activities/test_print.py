"""The printable 附件1: the filtered register as seed 002's table on A4 landscape, only the
rows the user may see, capped with a note when more match."""

import re
from datetime import date
from decimal import Decimal

import pytest

from shegong.activities import print_views
from tests.conftest import login
from tests.factories import make_activity, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(world):
    make_activity(
        world.station,
        name="助老义诊",
        participants=10,
        beneficiaries=20,
        funds=Decimal("1200.00"),
        inkind=Decimal("800.50"),
        date_start=date(2030, 3, 20),
        date_end=date(2030, 3, 21),
    )
    make_activity(
        world.neighbour,
        name="儿童安全课堂",
        participants=5,
        beneficiaries=7,
        funds=Decimal("100.00"),
        inkind=None,
        domains=["儿童青少年"],
        date_start=date(2030, 3, 25),
        date_end=date(2030, 3, 25),
    )
    return world


def cells(row_html):
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html)]


def total_row(body, testid="total-row"):
    return cells(
        re.search(rf'<tr class="sg-total" data-testid="{testid}">(.*?)</tr>', body).group(1)
    )


def test_a_district_prints_both_stations_as_attachment_1_with_a_total(client, register):
    reviewer = register.district_reviewer
    reviewer.full_name, reviewer.mobile = "王敏", "13900002222"
    reviewer.save()
    login(client, reviewer)
    response = client.get("/activities/print/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/css/print.css" in body and 'class="sg-print sg-print-wide"' in body
    assert "东河区民政局社会工作主题宣传活动工作进展情况统计表" in body
    assert "填报人及手机号码：王敏 13900002222" in body
    # The export's columns: 单位 after 序号 for a subtree, 链接资源情况 over the two sums.
    headers = re.findall(r"<th[^>]*>(.*?)</th>", body)
    assert headers[:3] == ["序号", "单位", "活动名称"]
    assert headers[-3:] == ["备注", "链接资金（元）", "链接物资折价（元）"]
    assert '<th colspan="2">链接资源情况</th>' in body
    assert "<thead>" in body
    assert "助老义诊" in body and "儿童安全课堂" in body
    assert "2030年3月20日至2030年3月21日" in body and "1,200.00" in body
    total = total_row(body)
    assert total[0] == "合计"
    # 序号, 单位, 活动名称, 组织, 参与人次 … 受益人次, 链接资金, 链接物资折价, 备注
    assert total[4] == "15" and total[9] == "27"
    assert total[10:13] == ["1,300.00", "800.50", ""]
    assert 'data-testid="print-limit"' not in body


def test_the_print_takes_the_registers_filters(client, register):
    login(client, register.district_reviewer)
    body = client.get("/activities/print/", {"q": "助老"}).content.decode()
    assert "助老义诊" in body and "儿童安全课堂" not in body
    assert total_row(body)[4] == "10"
    assert '<a href="/activities/?q=%E5%8A%A9%E8%80%81">返回</a>' in body


def test_a_station_prints_only_its_own_rows_without_a_unit_column(client, register):
    login(client, register.station_worker)
    body = client.get("/activities/print/", {"scope": "own"}).content.decode()
    assert "助老义诊" in body and "儿童安全课堂" not in body
    assert ">活动名称</th>" in body and ">单位</th>" not in body
    assert total_row(body)[3] == "10"  # 序号, 活动名称, 组织, 参与人次


def test_a_neighbour_never_prints_the_stations_rows(client, register):
    login(client, register.neighbour_worker)
    for query in ({}, {"unit": register.station.code}, {"scope": "subtree"}):
        body = client.get("/activities/print/", query).content.decode()
        assert "助老义诊" not in body
    assert "儿童安全课堂" in client.get("/activities/print/").content.decode()


def test_a_user_without_a_unit_gets_404(client, world):
    login(client, make_user("drifter"))
    assert client.get("/activities/print/").status_code == 404


# The region's total comes from the summary rows, the district's from the rows themselves.
@pytest.mark.parametrize("persona", ["region_admin", "district_reviewer"])
def test_more_rows_than_the_cap_print_the_first_and_say_so(client, register, monkeypatch, persona):
    monkeypatch.setattr(print_views, "PRINT_LIMIT", 1)
    login(client, getattr(register, persona))
    body = client.get("/activities/print/").content.decode()
    assert body.count('<td class="sg-index">1</td>') == 1
    assert '<td class="sg-index">2</td>' not in body
    assert "符合条件的活动共 2 场，这里只打印前 1 场" in body
    assert total_row(body)[4] == "10"  # the printed row
    everything = total_row(body, "all-total-row")
    assert everything[0] == "全部2场合计" and everything[4] == "15"


def test_the_register_page_offers_the_print_with_its_filters(client, register):
    login(client, register.district_reviewer)
    body = client.get("/activities/", {"q": "助老"}).content.decode()
    link = re.search(r'<a [^>]*href="(/activities/print/[^"]*)"[^>]*>(.*?)</a>', body)
    assert link.group(1) == "/activities/print/?q=%E5%8A%A9%E8%80%81"
    assert "打印附件1" in link.group(2)
