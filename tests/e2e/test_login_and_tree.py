"""A district user logs in through the real page and browses the org tree."""

import pytest

from shegong.demo.users import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_district_admin_logs_in_and_opens_the_org_tree(page, demo):
    sign_in(page, "donghe_admin", DEMO_PASSWORD)
    assert page.get_by_test_id("current-unit").inner_text() == "东河区民政局"

    page.get_by_role("link", name="单位", exact=True).click()
    tree = page.get_by_test_id("org-tree")
    # the root is open and its children were loaded by htmx
    tree.get_by_text("西脑包街道", exact=True).wait_for()
    # open a township: its station is fetched lazily
    tree.locator("summary", has_text="西脑包街道").first.click()
    tree.get_by_text("西脑包街道社会工作服务站").wait_for()
    assert tree.get_by_text("包头市民政局").count() == 0

    page.fill("#q", "宏源")
    page.locator("#search-results").get_by_text("宏源社区社会工作室").wait_for()
    page.locator("#search-results").get_by_role("link", name="宏源社区社会工作室").click()
    assert page.get_by_test_id("unit-name").inner_text() == "宏源社区社会工作室"


def test_wrong_password_shows_the_chinese_error(page, demo):
    sign_in(page, "donghe_admin", "not-the-password")
    assert "账号或密码不正确" in page.content()
