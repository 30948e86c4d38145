"""The to-do list on the home page and the bell's count (shegong.todo)."""

from datetime import date

import pytest
import time_machine

from shegong import todo
from shegong.campaigns.models import QuotaMetric
from shegong.orgs.models import Kind
from shegong.reporting import services as report_services
from tests.conftest import login
from tests.factories import at, make_activity, make_notice

pytestmark = pytest.mark.django_db

MONDAY = at(2030, 3, 18, 9)  # the weekly table's cutoff is Friday 2030-03-22 17:00


def kinds(items):
    return [i.kind for i in items]


def test_a_station_sees_the_notice_to_sign_and_its_cutoff_with_a_countdown(world):
    make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        items = todo.items(world.station_worker, world.station, today=date(2030, 3, 18))
        assert kinds(items) == ["签收通知", "报送"]  # undated first, then by cutoff
        cutoff = items[1]
        assert cutoff.title.startswith("第1次工作进展情况")
        assert cutoff.countdown == "剩 4 天"
        assert not cutoff.overdue


def test_a_cutoff_passed_and_not_sent_is_overdue(world):
    make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(at(2030, 3, 25, 9), tick=False):
        [cutoff] = [i for i in todo.items(world.station_worker, world.station) if i.kind == "报送"]
        assert cutoff.overdue and cutoff.countdown == "已逾期 2 天"


def test_a_sent_table_leaves_the_list(world):
    notice = make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        report_services.submit_report(
            period=notice.periods.get(),
            unit=world.station,
            by=world.station_worker,
            filler_name="李娜",
            filler_mobile="13800001111",
        )
        assert "报送" not in kinds(todo.items(world.station_worker, world.station))


def test_a_reviewer_sees_how_many_children_have_not_submitted(world):
    make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        items = todo.items(world.district_reviewer, world.district)
    [missing] = [i for i in items if i.kind == "催报"]
    assert missing.title == "第1次工作进展情况：2 个下级单位尚未报送"
    assert missing.url.endswith("/completeness/")


def test_a_returned_report_shows_the_reason(world):
    notice = make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        report = report_services.submit_report(
            period=notice.periods.get(),
            unit=world.station,
            by=world.station_worker,
            filler_name="李娜",
            filler_mobile="13800001111",
        )
        report_services.return_report(
            report=report, by=world.district_reviewer, reason="参与人次与台账不符"
        )
        [returned] = [
            i for i in todo.items(world.station_worker, world.station) if i.kind == "退回"
        ]
    assert returned.detail == "退回原因：参与人次与台账不符"


def test_a_quota_behind_plan_says_how_far_and_how_long_is_left(world):
    quota = {
        "metric": QuotaMetric.COMMUNITY_ACTIVITIES,
        "target": 3,
        "start_date": date(2030, 3, 17),
        "end_date": date(2030, 5, 31),
        "kinds": ["station"],
    }
    make_notice(world.district, "东民发〔2030〕2号", kinds=["station"], quotas=[quota], issue=True)
    make_activity(world.station)
    on_plan = todo.items(world.station_worker, world.station, today=date(2030, 3, 20))
    assert "任务" not in kinds(on_plan)  # 1 of 3 done in the first days: on plan
    with time_machine.travel(at(2030, 5, 22, 9), tick=False):
        behind = todo.items(world.station_worker, world.station, today=date(2030, 5, 22))
    [item] = [i for i in behind if i.kind == "任务"]
    assert item.title == "社区活动 1/3，还剩 9 天"


def test_the_neighbour_sees_nothing_of_the_station(world):
    notice = make_notice(world.district, "东民发〔2030〕1号", units=[world.station], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        items = todo.items(world.neighbour_worker, world.neighbour)
    assert all(notice.doc_number not in i.title for i in items)


def test_home_page_lists_the_items_first_and_the_bell_counts_them(client, world):
    make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    with time_machine.travel(MONDAY, tick=False):
        login(client, world.station_worker)
        page = client.get("/").content.decode()
    assert page.index('data-testid="todo"') < page.index("下级单位")
    assert page.count('data-testid="todo-item"') == 2
    assert 'data-testid="todo-count">2<' in page
