"""Period reports: submit on time or late, return and resubmit, approval locks, the issuer's
lock and exception, completeness and timeliness, and who may see and do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.activities import services as activity_services
from shegong.campaigns import services as campaign_services
from shegong.campaigns import tallies
from shegong.campaigns.models import ExpectedReporter, ExpectedTally, Notification
from shegong.orgs.models import Kind, Role
from shegong.reporting import services
from shegong.reporting.models import ReportStatus
from tests.conftest import login
from tests.factories import activity_data, at, make_activity, make_notice, make_unit, make_user

pytestmark = pytest.mark.django_db

CUTOFF = at(2030, 3, 22, 17)
BEFORE, AFTER = CUTOFF - timedelta(hours=3), CUTOFF + timedelta(hours=20)


@pytest.fixture
def campaign(world):
    """The district issues a notice whose weekly table every station under it reports."""
    notice = make_notice(world.district, "东民发〔2030〕1号", kinds=[Kind.STATION], issue=True)
    world.period = notice.periods.get()
    world.notice = notice
    world.extra = make_unit(world.township2, "和平路第二社会工作站", Kind.STATION)
    # Issued before extra existed: add it by hand so the frozen list has three stations.
    campaign_services.add_expected(
        notice=notice, unit=world.extra, reason="新设站点", by=None, period=world.period
    )
    return world


def submit(world, unit, by, when):
    with time_machine.travel(when, tick=False):
        return services.submit_report(
            period=world.period, unit=unit, by=by, filler_name="李娜", filler_mobile="13800001111"
        )


def test_rates_count_on_time_late_and_excused_units(campaign):
    w = campaign
    make_activity(w.station)
    submit(w, w.station, w.station_worker, BEFORE)
    submit(w, w.neighbour, w.neighbour_worker, AFTER)
    excused = ExpectedReporter.objects.get(period=w.period, unit=w.extra)
    campaign_services.excuse_expected(expected=excused, reason="站点尚未运行", by=None)

    expected, delivered, on_time = tallies.read(w.period, w.district.path)
    assert (expected, delivered, on_time) == (2, 2, 1)
    assert tallies.read(w.period, w.township.path) == (1, 1, 1)
    assert tallies.read(w.period, w.township2.path) == (1, 1, 0)
    kept = counters()
    tallies.recount(w.period)
    assert counters() == kept


def counters():
    rows = ExpectedTally.objects.values_list("node_path", "expected", "delivered", "on_time")
    return {r for r in rows if any(r[1:])}


def test_late_submission_is_accepted_and_marked(campaign):
    w = campaign
    report = submit(w, w.neighbour, w.neighbour_worker, AFTER)
    assert report.status == ReportStatus.SUBMITTED
    assert report.on_time is False and report.is_late


def test_report_totals_come_from_the_register(campaign):
    w = campaign
    make_activity(w.station, participants=30, funds=Decimal("100.50"))
    make_activity(w.room, participants=12)
    make_activity(w.station, date_start=date(2030, 4, 20), date_end=date(2030, 4, 20))
    report = submit(w, w.station, w.station_worker, BEFORE)
    assert report.totals["n"] == 2
    assert report.totals["participants"] == 42
    assert report.totals["funds"] == "1300.50"


def test_returned_report_is_corrected_and_resubmitted_with_its_history(campaign):
    w = campaign
    activity = make_activity(w.station, participants=30)
    report = submit(w, w.station, w.station_worker, BEFORE)
    with pytest.raises(ValidationError) as e:
        services.return_report(report=report, by=w.district_reviewer, reason=" ")
    assert "退回原因" in str(e.value)
    services.return_report(report=report, by=w.district_reviewer, reason="参与人次有误")
    assert Notification.objects.filter(user=w.station_worker, text__contains="参与人次有误")
    activity_services.update_activity(
        activity=activity, data=activity_data(participants=25), by=w.station_worker
    )
    report = submit(w, w.station, w.station_worker, AFTER)
    assert report.status == ReportStatus.SUBMITTED
    assert report.totals["participants"] == 25
    assert report.on_time is True  # timeliness is the first submission's
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["submitted", "returned", "resubmitted"]
    assert tallies.read(w.period, w.district.path)[1:] == (1, 1)  # counted once


def test_approval_locks_the_reports_activities(campaign):
    w = campaign
    activity = make_activity(w.station)
    later = make_activity(w.station, date_start=date(2030, 4, 20), date_end=date(2030, 4, 20))
    report = submit(w, w.station, w.station_worker, BEFORE)
    services.approve_report(report=report, by=w.district_reviewer)
    activity.refresh_from_db()
    later.refresh_from_db()
    assert activity.locked_at is not None and later.locked_at is None
    with pytest.raises(ValidationError, match="已锁定"):
        activity_services.update_activity(
            activity=activity, data=activity_data(participants=1), by=w.station_worker
        )
    with pytest.raises(ValidationError, match="不能再次报送"):
        submit(w, w.station, w.station_worker, AFTER)


def test_locked_period_refuses_submissions_until_the_issuer_allows_one(campaign):
    w = campaign
    services.lock_period(period=w.period, by=w.district_admin)
    with pytest.raises(ValidationError, match="锁定"):
        submit(w, w.station, w.station_worker, AFTER)
    with pytest.raises(PermissionDenied):
        services.reopen_for(period=w.period, unit=w.station, by=w.station_admin, reason="x")
    services.reopen_for(period=w.period, unit=w.station, by=w.district_admin, reason="系统故障")
    report = submit(w, w.station, w.station_worker, AFTER)
    assert report.status == ReportStatus.SUBMITTED and not report.on_time
    assert list(report.events.values_list("action", flat=True)) == ["reopened", "submitted"]


def test_only_expected_units_and_their_own_people_submit(campaign):
    w = campaign
    with pytest.raises(PermissionDenied):
        submit(w, w.station, w.neighbour_worker, BEFORE)
    with pytest.raises(ValidationError, match="应报单位"):
        submit(w, w.room, make_user(unit=w.room, role=Role.FILLER), BEFORE)
    with pytest.raises(ValidationError) as e:
        services.submit_report(
            period=w.period, unit=w.station, by=w.station_worker, filler_name="", filler_mobile="1"
        )
    assert set(e.value.message_dict) == {"filler_name", "filler_mobile"}


def test_neighbour_cannot_review_or_open_a_report(campaign, client):
    w = campaign
    report = submit(w, w.station, w.station_worker, BEFORE)
    with pytest.raises(PermissionDenied):
        services.approve_report(report=report, by=w.neighbour_worker)
    with pytest.raises(PermissionDenied):
        services.approve_report(report=report, by=w.station_admin)  # not its own reviewer
    login(client, w.neighbour_worker)
    assert client.get(f"/reports/{report.pk}/").status_code == 404
    assert client.post(f"/reports/{report.pk}/review/", {"decision": "approve"}).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_review_through_the_pages(campaign, client):
    w = campaign
    make_activity(w.station, name="助老义诊进社区")
    report = submit(w, w.station, w.station_worker, BEFORE)
    login(client, w.district_reviewer)
    index = client.get("/reports/").content.decode()
    assert "西脑包街道社会工作服务站" in index and "待我审核" in index
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "助老义诊进社区" in page and 'data-testid="approve"' in page
    client.post(f"/reports/{report.pk}/review/", {"decision": "return", "reason": "请补充照片"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "请补充照片"


def test_station_submits_through_its_page(campaign, client):
    w = campaign
    login(client, w.station_worker)
    page = client.get(f"/reports/period/{w.period.pk}/").content.decode()
    assert 'data-testid="submit-form"' in page
    bad = client.post(f"/reports/period/{w.period.pk}/", {"filler_name": "李娜"})
    assert "11位手机号码" in bad.content.decode()
    client.post(
        f"/reports/period/{w.period.pk}/", {"filler_name": "李娜", "filler_mobile": "13800001111"}
    )
    assert w.period.reports.get(unit=w.station).status == ReportStatus.SUBMITTED


def test_completeness_page_lists_missing_units_and_reminds_them(campaign, client):
    w = campaign
    submit(w, w.station, w.station_worker, BEFORE)
    w.neighbour.contact_person, w.neighbour.contact_phone = "周强", "0472-1234567"
    w.neighbour.save()
    login(client, w.district_reviewer)
    page = client.get(f"/reports/period/{w.period.pk}/completeness/").content.decode()
    assert "周强" in page and "0472-1234567" in page
    assert "33.3%" in page  # 1 of 3 reported
    client.post(
        f"/reports/period/{w.period.pk}/completeness/remind/",
        {"unit": w.district.code, "code": w.neighbour.code},
    )
    assert Notification.objects.filter(user=w.neighbour_worker, text__contains="请尽快报送")
    assert not Notification.objects.filter(user=w.station_worker, text__contains="请尽快报送")


def test_neighbour_cannot_open_a_period_of_a_notice_it_does_not_see(campaign, client):
    w = campaign
    outsider = make_user(unit=w.manzhouli, role=Role.ADMIN)
    login(client, outsider)
    assert client.get(f"/reports/period/{w.period.pk}/completeness/").status_code == 404
