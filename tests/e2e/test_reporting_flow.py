"""Seed 002's weekly table through the real pages on the demo data: the region's reviewer
returns 包头's second report, 包头 resubmits it, the reviewer approves it, and the
dashboard shows the rates and the charts."""

import pytest
from playwright.sync_api import expect

from shegong.demo.users import DEMO_PASSWORD
from shegong.reporting.models import PeriodReport
from tests.e2e.conftest import sign_in
from tests.e2e.test_notice_flow import screenshot, sign_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_return_resubmit_approve_and_dashboard(demo, page):
    report = PeriodReport.objects.get(unit__code="150200000000", status="submitted")

    sign_in(page, "nmg_reviewer", DEMO_PASSWORD)
    page.goto("/reports/")
    page.get_by_test_id("to-review").get_by_text("包头市民政局：第2次工作进展情况").click()
    expect(page.get_by_test_id("report-rows")).to_contain_text("社会工作者职业风采展示")
    page.fill("#id_reason", "请补充3月26日活动的受益人次依据")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已退回")
    sign_out(page)

    sign_in(page, "baotou_filler", DEMO_PASSWORD)
    page.goto(f"/reports/period/{report.period_id}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text("受益人次依据")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("待审核")
    sign_out(page)

    sign_in(page, "nmg_reviewer", DEMO_PASSWORD)
    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_test_id("report-history")).to_contain_text("重新报送")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已通过")
    report.refresh_from_db()
    assert report.status == "approved"

    page.goto("/dashboard/")
    expect(page.get_by_test_id("rates")).to_contain_text("第1次工作进展情况")
    expect(page.locator("#chart-weeks canvas")).to_have_count(1)
    expect(page.locator("#chart-children canvas")).to_have_count(1)
    expect(page.get_by_test_id("achievements")).to_contain_text("社会工作站")
    screenshot(page, "/tmp/dashboard.png")
    page.get_by_test_id("children-table").get_by_role("link", name="包头市民政局").click()
    expect(page.get_by_test_id("headline-n")).to_have_text("7")
