"""A station uploads its messy Attachment 1 file, sees which rows are refused and why, downloads
those rows, fixes them, uploads them again, and finds no activity twice in the register."""

import os

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from shegong.activities.models import Activity
from shegong.demo.users import DEMO_PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAMES = ["敬老院探访", "社工宣传周启动仪式", "困境儿童家访"]


def messy_file(path):
    """As a station sends it: title lines, the two-row merged header, numbers with units,
    dates without a year, a row with no name, a 合计 row and a footer."""
    book = Workbook()
    sheet = book.active
    sheet.append(["东城街道社会工作站社会工作主题宣传活动工作进展情况统计表"])
    sheet.append(["填报人及手机号码：王芳 13900002222"])
    sheet.append(["填报时间：2023年3月31日"])
    sheet.append(["序号", "活动名称", "参与活动的单位或社会组织（团队）名称", "参与人次",
                  "活动开展时间", "活动地点", "活动内容", "服务领域", "受益人次", "链接资源情况",
                  None, "备注"])  # fmt: skip
    sheet.append([None] * 9 + ["链接资金（元）", "链接物资折价（元）", None])
    for ref in ["A4:A5", "B4:B5", "C4:C5", "D4:D5", "J4:K4", "L4:L5"]:
        sheet.merge_cells(ref)
    sheet.append([1, NAMES[0], "东城街道社工站", "20人次", "3月22日", "南川区敬老院", "探访",
                  "老年人", 30, "500元", None, None])  # fmt: skip
    sheet.append([2, NAMES[1], "东城街道社工站", 80, "3.21", "鼓楼坝社区", "宣传",
                  "困难群体", "200", None, "0.1万元", None])  # fmt: skip
    sheet.append([3, None, "东城街道社工站", 12, "3月25日", "金山社区", "家访", "儿童青少年",
                  12, None, None, None])  # fmt: skip
    sheet.append(["合计", None, None, 112, None, None, None, None, 242, 500, 1000, None])
    sheet.append(["说明：此表每周五17:00前报区民政局。"])
    book.save(path)
    return path


def test_upload_fix_rejected_rows_and_upload_again_without_duplicates(page, demo, tmp_path):
    original = messy_file(tmp_path / "东城街道附件1.xlsx")
    sign_in(page, "dongcheng_filler", DEMO_PASSWORD)
    page.goto("/activities/")
    page.get_by_role("link", name="导入表格").click()
    page.wait_for_url("**/activities/import/")

    # 1. Upload: three rows, one refused with its row, column and reason.
    page.set_input_files("#id_file", original)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("import-status")).to_have_text("待确认")
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("count-rejected")).to_have_text("1")
    rejected = page.get_by_test_id("rejected")
    expect(rejected).to_contain_text("第 8 行")
    expect(rejected).to_contain_text("活动名称")
    expect(page.get_by_test_id("import-message")).to_contain_text("填报人：王芳 13900002222")
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path="/tmp/import_preview.png", full_page=True)
    first_import = page.url

    page.get_by_role("button", name="确认导入 2 行").click()
    expect(page.get_by_test_id("import-message")).to_contain_text("已导入：新增 2 条，修改 0 条。")
    assert Activity.objects.filter(name__in=NAMES).count() == 2

    # 2. Download the refused row, give it a name, upload it again.
    with page.expect_download() as download:
        page.get_by_role("link", name="下载退回的行").click()
    fixed = tmp_path / "退回修改.xlsx"
    download.value.save_as(fixed)
    book = load_workbook(fixed)
    sheet = book.active
    header = [c.value for c in sheet[4]]  # under the title, 填报人 and 年份 lines
    assert sheet.cell(5, header.index("错误原因") + 1).value.startswith("“活动名称”")
    sheet.cell(5, header.index("活动名称") + 1).value = NAMES[2]
    book.save(fixed)

    page.goto("/activities/import/")
    page.set_input_files("#id_file", fixed)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("count-new")).to_have_text("1")
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")
    page.get_by_role("button", name="确认导入 1 行").click()
    expect(page.get_by_test_id("import-message")).to_contain_text("已导入：新增 1 条，修改 0 条。")

    # 3. The first file once more: nothing new, nothing doubled.
    page.goto("/activities/import/")
    page.set_input_files("#id_file", original)
    page.get_by_role("button", name="上传并预览").click()
    expect(page.get_by_test_id("count-new")).to_have_text("0")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("2")
    assert first_import != page.url
    rows = Activity.objects.filter(name__in=NAMES)
    assert sorted(rows.values_list("name", flat=True)) == sorted(NAMES)
    assert {a.filler_name for a in rows} == {"王芳"}

    # 4. In the register, listed once each.
    page.goto("/activities/?q=困境儿童家访")
    expect(page.get_by_test_id("activity-list").get_by_role("link")).to_have_count(1)
