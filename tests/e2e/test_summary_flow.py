"""包头市民政局 writes its 总结材料 of the region's notice in the browser: the draft comes
from the register, the proofreader catches a slip live, the submission is refused until it
is fixed, then sent (late: the demo campaign is from 2022); the region's reviewer approves
it; both the notice and the summary download as Word files."""

import io
import os
import zipfile

import pytest
from playwright.sync_api import expect

from shegong.campaigns.models import Notice
from shegong.demo.users import DEMO_PASSWORD
from shegong.orgs.models import OrgUnit
from shegong.reporting.models import PeriodReport, ReportStatus
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _document_text(path):
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as z:
        return z.read("word/document.xml").decode()


def test_write_proofread_submit_approve_and_download(page, browser, live_server, demo, tmp_path):
    notice = Notice.objects.get(doc_prefix="内民政慈社", doc_year=2022)
    period = notice.periods.get(kind="summary")
    baotou = OrgUnit.objects.get(name="包头市民政局")

    sign_in(page, "baotou_filler", DEMO_PASSWORD)
    page.goto(f"/reports/period/{period.pk}/")  # the 活动总结 row of the report list leads here
    page.wait_for_url(f"**/summaries/{period.pk}/")
    expect(page.get_by_test_id("summary-figures")).to_be_visible()
    assert "共开展活动" in page.locator("#id_work").input_value()

    # A slip the proofreader catches while typing, and the submission it blocks.
    page.locator("#id_problems").fill("部分宣传活动组织的非常仓促，群众参与不够。")
    expect(page.get_by_test_id("findings")).to_contain_text("D01")
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path="/tmp/summary_form.png", full_page=True)
    page.locator("#id_plans").fill("下一步加强活动策划，提前做好宣传。")
    page.fill("#id_filler_name", "王海燕")
    page.fill("#id_filler_mobile", "13904721234")
    page.get_by_test_id("submit-summary").click()
    expect(page.locator(".sg-messages")).to_contain_text("D01")
    assert not PeriodReport.objects.filter(period=period, unit=baotou).exists()

    page.locator("#id_problems").fill("部分宣传活动组织得比较仓促，群众参与不够。")
    expect(page.get_by_test_id("check-panel")).not_to_contain_text("D01")
    page.get_by_test_id("submit-summary").click()
    expect(page.locator(".sg-messages")).to_contain_text("已报送“活动总结”")
    expect(page.get_by_test_id("late")).to_be_visible()
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path="/tmp/summary_detail.png", full_page=True)

    # The region's reviewer reads and approves it.
    reviewer = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    sign_in(reviewer, "nmg_reviewer", DEMO_PASSWORD)
    reviewer.goto(f"/summaries/{period.pk}/{baotou.code}/")
    expect(reviewer.get_by_test_id("summary-text")).to_contain_text("组织得比较仓促")
    reviewer.get_by_test_id("approve").click()
    expect(reviewer.get_by_test_id("report-status")).to_have_text("已通过")
    report = PeriodReport.objects.get(period=period, unit=baotou)
    assert report.status == ReportStatus.APPROVED and not report.on_time

    # The summary and the notice as Word files.
    with reviewer.expect_download() as download:
        reviewer.get_by_test_id("summary-word").click()
    summary_file = tmp_path / "summary.docx"
    download.value.save_as(summary_file)
    assert "组织得比较仓促" in _document_text(summary_file)
    reviewer.goto(f"/notices/{notice.pk}/")
    with reviewer.expect_download() as download:
        reviewer.get_by_role("link", name="下载 Word").click()
    notice_file = tmp_path / "notice.docx"
    download.value.save_as(notice_file)
    assert "内民政慈社〔2022〕3号" in _document_text(notice_file)
    reviewer.context.close()
