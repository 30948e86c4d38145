"""One case file through the real pages: the station's 个案社工 opens it (a mistyped ID
number is refused under the field), records a service attached to a family visit the
station logged, adds a follow-up and completes it, and closes the file with a reason."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from shegong.activities import services as activity_services
from shegong.casework import idnumber, services
from shegong.casework.models import CaseFile
from shegong.orgs.models import Role
from tests.e2e.conftest import sign_in
from tests.e2e.test_notice_flow import screenshot
from tests.factories import PASSWORD, make_user, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FIRST17 = "15020219520304102"
ID_NUMBER = FIRST17 + idnumber.check_char(FIRST17)


def test_open_attach_a_visit_follow_up_and_close_a_case_file(page):
    services.ensure_groups()
    world = make_world()
    make_user("caseworker", world.station, Role.CASEWORKER)
    today = timezone.localdate()
    activity_services.record_visit(
        unit=world.station,
        by=world.station_worker,
        data={
            "date": today,
            "household_name": "赵桂兰",
            "group": "elder",
            "visitors": "李娜",
            "purpose": "了解独居生活情况",
        },
    )

    sign_in(page, "caseworker", PASSWORD)
    page.goto("/cases/")
    page.get_by_test_id("case-new").click()
    page.get_by_label("个人").check()
    page.select_option("#id_group", label="留守老人")
    page.fill("#id_name", "赵桂兰")
    page.fill("#id_id_number", ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"))
    page.fill("#id_phone", "13904721234")
    page.fill("#id_address", "西脑包街道宏源社区5栋1单元302")
    page.get_by_test_id("save").click()
    expect(page.locator('[data-field="id_number"]')).to_contain_text("校验位")
    page.fill("#id_id_number", ID_NUMBER)
    page.get_by_test_id("save").click()
    expect(page.locator("main")).to_contain_text("已建档，档案编号 S150202003-")
    expect(page.get_by_test_id("case-id")).to_have_text(ID_NUMBER)
    case = CaseFile.objects.get()

    records = page.get_by_test_id("records")
    records.locator("summary").click()
    records.locator("#id_way").select_option(label="入户")
    records.locator("#id_content").fill("入户探访，协助申请居家养老服务补贴。")
    records.locator("#id_hours").fill("1.5")
    records.locator("#id_visit").select_option(index=1)
    records.get_by_role("button", name="保存服务记录").click()
    expect(page.get_by_test_id("record-visit")).to_contain_text("走访")
    assert case.records.get().visit.household_name == "赵桂兰"

    followups = page.get_by_test_id("followups")
    followups.locator("summary").click()
    followups.locator("#id_due").fill(today.strftime("%Y-%m-%d"))
    followups.locator("#id_what").fill("电话确认补贴到账")
    followups.get_by_role("button", name="保存跟进事项").click()
    expect(page.get_by_test_id("followups")).to_contain_text("电话确认补贴到账")
    followup = case.followups.get()
    done = page.get_by_test_id(f"done-{followup.pk}")
    done.locator("input[name=result]").fill("补贴已到账")
    done.get_by_role("button", name="完成").click()
    expect(page.get_by_test_id("followups")).to_contain_text("完成：补贴已到账")
    screenshot(page, "/tmp/e2e-case-detail.png")

    closing = page.get_by_test_id("closing")
    closing.locator("summary").click()
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("closing")).to_contain_text("请填写结案原因")
    closing = page.get_by_test_id("closing")
    closing.locator("#id_reason").fill("已入住养老机构，服务目标达成。")
    page.get_by_test_id("close").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已结案")
    expect(page.get_by_test_id("close-reason")).to_contain_text("已入住养老机构")
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "已入住养老机构，服务目标达成。"
