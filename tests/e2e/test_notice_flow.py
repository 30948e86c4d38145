"""A notice cascades down the tree through the real pages: the region drafts and issues
it, the city signs it and re-issues it with local changes, and stations below the city
(and only those) can read the city's version."""

import os
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from shegong.campaigns.calendar import WEEKDAYS
from shegong.campaigns.models import Notification
from shegong.demo.users import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于开展2027年社会工作主题宣传活动的通知"
THEME = "社工服务暖人心 五社联动促振兴"
TYPED_DOC_NUMBER = "内民政慈社[2026]7号"  # as a clerk types it
DOC_NUMBER = "内民政慈社〔2026〕7号"
LOCAL_DOC_NUMBER = "包民发〔2026〕3号"
CUTOFF_DAY = date(2027, 3, 24)
# Spelled out from the calendar rather than trusted: 2027-03-24 is a Wednesday.
assert CUTOFF_DAY.weekday() == 2
CUTOFF_TEXT = f"截止：2027年3月24日（星期{WEEKDAYS[CUTOFF_DAY.weekday()]}）17:00"
NOTICE_URL = re.compile(r"/notices/(\d+)/$")
EDIT_URL = re.compile(r"/notices/(\d+)/edit/$")


def screenshot(page, path):
    """Only when asked (E2E_SCREENSHOTS=1): the pages a person should look at."""
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=path, full_page=True)


def sign_out(page):
    # 退出登录 sits in the user menu's dropdown: open it first.
    menu = page.locator("li.dropdown").filter(has_text="退出登录")
    menu.locator(".dropdown-toggle").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/**")


def switch_user(page, username):
    sign_out(page)
    sign_in(page, username, DEMO_PASSWORD)
    expect(page.locator("li.dropdown").filter(has_text="退出登录")).to_be_attached()


def pk_of(url, pattern=NOTICE_URL):
    return int(pattern.search(url)[1])


def recipient_row(page, unit_name):
    return page.get_by_test_id("recipients").get_by_role("listitem").filter(has_text=unit_name)


def diff_row(page, label):
    heading = page.locator("th").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return page.get_by_test_id("diff").locator("tbody tr").filter(has=heading)


def test_region_issues_city_signs_and_reissues_and_stations_see_the_derived_notice(page, demo):
    # 1. The region's administrator drafts the notice.
    sign_in(page, "nmg_admin", DEMO_PASSWORD)
    expect(page.get_by_test_id("current-unit")).to_have_text("内蒙古自治区民政厅")
    page.get_by_role("link", name="通知", exact=True).click()
    page.get_by_role("link", name="起草通知").click()
    page.wait_for_url("**/notices/new/")

    page.get_by_label("文号", exact=True).fill(TYPED_DOC_NUMBER)
    page.get_by_label("标题").first.fill(TITLE)
    page.get_by_label("活动主题").fill(THEME)
    page.get_by_label("活动开始日期").fill("2027-03-17")
    page.get_by_label("活动结束日期").fill("2027-03-31")
    page.get_by_role("checkbox", name="包头市民政局", exact=True).check()
    periods = page.locator("[data-formset=periods]")
    periods.get_by_label("类型").select_option(label="工作进展情况")
    periods.get_by_label("名称").fill("第1次工作进展情况（3月24日）")
    periods.get_by_label("统计开始日期").fill("2027-03-17")
    periods.get_by_label("统计结束日期").fill("2027-03-24")
    periods.get_by_label("截止时间").fill("2027-03-24T17:00")
    screenshot(page, "/tmp/notice_form.png")
    page.get_by_role("button", name="保存草稿").click()

    page.wait_for_url(NOTICE_URL)
    parent_pk = pk_of(page.url)
    expect(page.get_by_test_id("notice-status")).to_have_text("草稿")
    expect(page.get_by_test_id("doc-number")).to_have_text(DOC_NUMBER)
    expect(page.get_by_test_id("notice-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("cutoff")).to_have_text(CUTOFF_TEXT)

    # 2. It is issued: 包头 is the one addressee and has not signed yet.
    page.get_by_role("button", name="印发", exact=True).click()
    expect(page.get_by_test_id("notice-status")).to_have_text("已印发")
    expect(page.get_by_test_id("recipients").get_by_role("listitem")).to_have_count(1)
    expect(recipient_row(page, "包头市民政局")).to_contain_text("未签收")

    # 3. The city's administrator sees it in the bell and the inbox, and signs it.
    switch_user(page, "baotou_admin")
    unread = Notification.objects.filter(user__username="baotou_admin", read_at=None)
    assert unread.filter(url=f"/notices/{parent_pk}/", text__contains=DOC_NUMBER).exists()
    expect(page.get_by_test_id("bell").get_by_test_id("unread-count")).to_have_text(
        str(unread.count())
    )
    page.get_by_role("link", name="通知", exact=True).click()
    expect(page.get_by_role("link", name=re.compile(r"^收文"))).to_have_class(re.compile("active"))
    received = page.get_by_role("link").filter(has_text=TITLE)
    expect(received).to_contain_text("待签收")
    expect(received).to_contain_text(DOC_NUMBER)
    received.click()
    page.wait_for_url(f"**/notices/{parent_pk}/")
    page.get_by_role("button", name="签收", exact=True).click()
    expect(page.get_by_text(re.compile(r"已于 \d{4}-\d\d-\d\d \d\d:\d\d 签收"))).to_be_visible()

    # 4. ... and re-issues it with its own 文号, a shorter window and its own addressee.
    page.get_by_role("button", name="转发（结合本地实际）").click()
    page.wait_for_url(EDIT_URL)
    derived_pk = pk_of(page.url, EDIT_URL)
    assert derived_pk != parent_pk
    expect(page.get_by_label("标题").first).to_have_value(TITLE)
    expect(page.get_by_label("活动结束日期")).to_have_value("2027-03-31")
    page.get_by_label("文号", exact=True).fill(LOCAL_DOC_NUMBER)
    page.get_by_label("活动结束日期").fill("2027-03-28")
    page.get_by_role("checkbox", name="东河区民政局", exact=True).check()
    page.get_by_role("button", name="保存草稿").click()

    page.wait_for_url(f"**/notices/{derived_pk}/")
    expect(page.get_by_test_id("notice-status")).to_have_text("草稿")
    expect(page.get_by_test_id("doc-number")).to_have_text(LOCAL_DOC_NUMBER)
    for label, old, new in [
        ("文号", DOC_NUMBER, LOCAL_DOC_NUMBER),
        ("发文单位", "内蒙古自治区民政厅", "包头市民政局"),
        ("活动时间", "2027年3月17日至2027年3月31日", "2027年3月17日至2027年3月28日"),
    ]:
        row = diff_row(page, label)
        expect(row.locator("td").nth(0)).to_have_text(old)
        expect(row.locator("td").nth(1)).to_have_text(new)
    # The period was copied unchanged, so it is not a difference.
    expect(diff_row(page, "报送批次与截止时间")).to_have_count(0)
    page.get_by_role("button", name="印发", exact=True).click()
    expect(page.get_by_test_id("notice-status")).to_have_text("已印发")
    expect(recipient_row(page, "东河区民政局")).to_contain_text("未签收")
    screenshot(page, "/tmp/derived_notice.png")

    # 5. Back at the region: 包头 signed, and its re-issue is linked from the original.
    switch_user(page, "nmg_admin")
    page.goto(f"/notices/{parent_pk}/")
    expect(recipient_row(page, "包头市民政局")).to_contain_text("已签收")
    derived_card = page.locator(".card").filter(has=page.get_by_text("下级转发", exact=True))
    link = derived_card.get_by_role("link", name=f"包头市民政局 {LOCAL_DOC_NUMBER}")
    expect(link).to_have_attribute("href", f"/notices/{derived_pk}/")

    # 6. A station under 东河区 reads the city's version ...
    switch_user(page, "xinaobao_filler")
    page.goto("/notices/?tab=all")
    listed = page.get_by_role("link").filter(has_text=LOCAL_DOC_NUMBER)
    expect(listed).to_contain_text(TITLE)
    expect(listed).to_contain_text("包头市民政局")
    listed.click()
    page.wait_for_url(f"**/notices/{derived_pk}/")
    expect(page.get_by_test_id("notice-title")).to_have_text(TITLE)
    expect(page.get_by_test_id("doc-number")).to_have_text(LOCAL_DOC_NUMBER)

    # ... while a station in another branch (重庆南川) does not even learn it exists.
    switch_user(page, "dongcheng_filler")
    response = page.goto(f"/notices/{derived_pk}/")
    assert response.status == 404
