"""A district clerk imports the district's consolidated table (一表汇总) once: two sessions of
the same titled activity are both stored, an exact repeat is shown and kept once, and each
row lands in its station or room, the clerk choosing the unit of an organiser the table
names in its own way."""

import os

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.demo.users import DEMO_PASSWORD
from shegong.orgs.models import OrgUnit
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = ["序号", "活动名称", "参与活动的单位或社会组织名称", "参与人次", "活动开展时间",
          "活动地点", "受益人次", "链接资金（元）"]  # fmt: skip
TALK = ["长者健康讲座", "西脑包街道社会工作服务站"]
ROWS = [
    [1, *TALK, 30, "2023年3月22日", "宏源社区", 30, 500],  # the morning session
    [2, *TALK, 45, "2023年3月22日", "宏源社区", 45, 800],  # the afternoon, other figures
    [3, *TALK, 30, "2023年3月22日", "宏源社区", 30, 500],  # row 1 pasted twice
    [
        4,
        "残疾人康复训练",
        "东河区和平路街道社会工作服务站",
        12,
        "2023年3月23日",
        "康复站",
        12,
        None,
    ],
    [5, "亲子阅读", "某某公益服务中心", 20, "2023年3月24日", "宏源社区", 40, None],
]


def consolidated_table(path):
    book = Workbook()
    sheet = book.active
    sheet.append(["东河区社会工作主题宣传活动工作进展情况汇总表"])
    sheet.append(["填报人及手机号码：赵敏 13900003333"])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(path)
    return path


def test_a_district_imports_its_consolidated_table_into_its_stations(page, demo, tmp_path):
    path = consolidated_table(tmp_path / "东河区汇总表.xlsx")
    sign_in(page, "donghe_filler", DEMO_PASSWORD)
    page.goto("/activities/import/")
    page.get_by_label("这是汇总表").check()
    page.set_input_files("#id_file", path)
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path="/tmp/import_upload_district.png", full_page=True)
    page.get_by_role("button", name="上传并预览").click()

    # The preview: both sessions new, the pasted row listed beside row 4, one organiser unknown.
    expect(page.get_by_test_id("import-status")).to_have_text("待确认")
    expect(page.get_by_test_id("count-new")).to_have_text("3")
    expect(page.get_by_test_id("count-rejected")).to_have_text("1")
    repeats = page.get_by_test_id("repeats")
    expect(repeats.get_by_role("row").nth(1)).to_contain_text("第 6 行")
    expect(repeats.get_by_role("row").nth(1)).to_contain_text("第 4 行")
    expect(page.get_by_test_id("warnings")).to_contain_text("与第 4 行完全相同")
    mapping = page.get_by_test_id("mapping")
    expect(mapping).to_contain_text("和平路街道社会工作服务站")
    unknown = mapping.get_by_role("row").filter(has_text="某某公益服务中心")
    expect(unknown).to_contain_text("未找到")

    # The clerk says which room 某某公益服务中心 worked for, and previews again.
    room = OrgUnit.objects.get(name="宏源社区社会工作室")
    unknown.get_by_role("combobox").fill(f"{room.code} {room.name}")
    page.get_by_role("button", name="按以上选择重新预览").click()
    expect(page.get_by_test_id("count-new")).to_have_text("4")
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")
    expect(page.get_by_test_id("accepted")).to_contain_text("宏源社区社会工作室")
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path="/tmp/import_consolidated.png", full_page=True)

    page.get_by_role("button", name="确认导入 4 行").click()
    expect(page.get_by_test_id("import-message")).to_contain_text("已导入：新增 4 条，修改 0 条。")

    talks = Activity.objects.filter(name="长者健康讲座").order_by("participants")
    assert [(a.unit.name, a.participants) for a in talks] == [
        ("西脑包街道社会工作服务站", 30),
        ("西脑包街道社会工作服务站", 45),
    ]
    assert Activity.objects.get(name="残疾人康复训练").unit.name == "和平路街道社会工作服务站"
    assert Activity.objects.get(name="亲子阅读").unit == room

    # The same table again: nothing new, and the room is remembered for 某某公益服务中心.
    page.goto("/activities/import/")
    page.get_by_label("这是汇总表").check()
    page.set_input_files("#id_file", path)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("count-new")).to_have_text("0")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("4")
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")
    expect(mapping.get_by_role("row").filter(has_text="某某公益服务中心")).to_contain_text(
        "上次选择"
    )
