"""Two people of 东城街道社会工作站 open the same activity in two browsers: the second
save is refused with who changed it and when, the first person's change is merged into the
form beside the second person's own, and saving again keeps both."""

import os
import re

import pytest
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.demo.users import DEMO_PASSWORD
from shegong.orgs.models import OrgUnit
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_stale_save_is_refused_and_merged_in_two_browsers(page, second, demo):
    station = OrgUnit.objects.get(code="S500119001")
    activity = Activity.objects.filter(unit=station, deleted_at=None, locked_at=None).first()
    url = f"/activities/{activity.pk}/edit/"
    sign_in(page, "dongcheng_admin", DEMO_PASSWORD)
    sign_in(second, "dongcheng_filler", DEMO_PASSWORD)
    page.goto(url)
    second.goto(url)

    page.fill("#id_participants", "88")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(rf"/activities/{activity.pk}/$"))

    second.fill("#id_place", "东城街道新华社区活动室")
    second.click("button[type=submit]")
    card = second.get_by_test_id("edit-conflict")
    expect(card).to_contain_text(re.compile(r"已被.+于 \d\d:\d\d 修改"))
    expect(card).to_contain_text("参与人次")
    expect(second.locator("#id_participants")).to_have_value("88")
    expect(second.locator("#id_place")).to_have_value("东城街道新华社区活动室")
    activity.refresh_from_db()
    assert (activity.participants, activity.place) == (88, activity.place)
    assert activity.place != "东城街道新华社区活动室"
    if os.environ.get("E2E_SCREENSHOTS"):
        second.screenshot(path="/tmp/edit_conflict.png", full_page=True)

    second.click("button[type=submit]")
    expect(second).to_have_url(re.compile(rf"/activities/{activity.pk}/$"))
    activity.refresh_from_db()
    assert (activity.participants, activity.place) == (88, "东城街道新华社区活动室")
