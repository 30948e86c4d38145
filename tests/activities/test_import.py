"""Importing the Attachment 1 table as stations send it: messy layouts, messy cells, re-uploads."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from shegong.activities import services, table_import
from shegong.activities.models import Activity, ActivityImport, ImportStatus
from shegong.activities.validation import domain_names
from tests.factories import make_activity

pytestmark = pytest.mark.django_db

HEADER_TOP = [
    "序号",
    "活动名称",
    "参与活动的单位或社会组织（团队）名称",
    "参与人次",
    "活动开展时间",
    "活动地点",
    "活动内容",
    "服务领域（老年人、残疾人、妇女、儿童青少年、困难群体等）",
    "受益人次",
    "链接资源情况",
    None,
    "备注",
]
HEADER_LOW = [None] * 9 + ["链接资金（元）", "链接物资折价（元）", None]


def xlsx(rows, *, merges=(), hidden_rows=(), extra_sheets=(), hidden_sheets=()):
    book = Workbook()
    sheet = book.active
    sheet.title = "附件1"
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    for number in hidden_rows:
        sheet.row_dimensions[number].hidden = True
    for name, other_rows in extra_sheets:
        other = book.create_sheet(name, 0)
        for row in other_rows:
            other.append(row)
    for name in hidden_sheets:
        book.create_sheet(name).sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def seed_table(rows, **kwargs):
    """The table as seed 002 prints it, with `rows` under the two-row header (row 6 on)."""
    top = [
        ["盟市社会工作主题宣传活动工作进展情况统计表"],
        ["填报人及手机号码：李娜 13800001111"],
        ["填报时间：2022年3月24日"],
        HEADER_TOP,
        HEADER_LOW,
    ]
    merges = ["J4:K4", "A4:A5", "B4:B5", "L4:L5", *kwargs.pop("merges", ())]
    return xlsx([*top, *rows], merges=merges, **kwargs)


ROWS = [
    [
        1,
        "“五社联动”助老服务进社区",
        "西脑包街道社会工作服务站",
        "45人次",
        "3月20日",
        "宏源社区",
        "义诊",
        "老年人、困难群体",
        "120",
        "1,200元",
        "0.5万元",
        "",
    ],
    [
        2,
        "儿童安全小课堂",
        "宏源社区志愿服务队",
        30,
        "3月21日-22日",
        "宏源小学",
        "讲座",
        "儿童青少年",
        60,
        None,
        None,
        "",
    ],
]


def plan(data, world, **kwargs):
    return table_import.plan_import(data, unit=world.station, **kwargs)


def test_the_seed_table_with_title_lines_and_a_two_row_header_is_read(world):
    p = plan(seed_table(ROWS), world)
    assert p.verdict == "import", p.message
    assert (p.filler_name, p.filler_mobile) == ("李娜", "13800001111")
    first, second = (row.values for row in p.accepted)
    assert first["participants"] == 45 and first["beneficiaries"] == 120
    assert (first["funds"], first["inkind"]) == (Decimal("1200.00"), Decimal("5000.00"))
    # No year in the cells: the 填报时间 line gives 2022.
    assert first["date_start"] == first["date_end"] == date(2022, 3, 20)
    assert (second["date_start"], second["date_end"]) == (date(2022, 3, 21), date(2022, 3, 22))
    assert domain_names(first["domain_mask"]) == ["老年人", "困难群体"]
    assert first["filler_name"] == "李娜" and first["filler_mobile"] == "13800001111"
    assert p.totals["funds"] == Decimal("1200.00") and p.totals["participants"] == 75
    assert p.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert Activity.objects.count() == 0  # planning stores nothing


def test_rows_that_are_not_activities_are_skipped_and_a_wrong_total_warns(world):
    rows = [
        *ROWS,
        [3, None, None, None, None, None, None, None, None, None, None, None],
        [None] * 12,
        ["合计", None, None, 80, None, None, None, None, 180, 1200, 5000, None],
        ["说明：此表于3月24日、31日下午17:00前报至自治区民政厅慈善社工处。"],
        ["1. 服务领域可多选"],
    ]
    p = plan(seed_table(rows), world)
    assert len(p.accepted) == 2 and not p.rejected
    reasons = {s["row"]: s["reason"] for s in p.skipped}
    assert reasons == {8: "只有序号的空行", 10: "合计行", 11: "说明文字", 12: "说明文字"}
    total_warnings = [w for w in p.warnings if w["row"] == 10]
    assert [w["column"] for w in total_warnings] == ["参与人次"]
    assert "80" in total_warnings[0]["message"] and "75" in total_warnings[0]["message"]


def test_a_rejected_row_names_its_excel_row_its_column_its_value_and_why(world):
    rows = [
        *ROWS,
        [3, "", "某单位", 10, "3月25日", "某地", "", "", "", "", "", ""],
        [4, "防诈骗宣传", "某单位", "约四十人", "3月26日", "某地", "", "", "", "", "", ""],
        [5, "消防演练", "某单位", 10, "下周", "某地", "", "", "", "", "", ""],
        [6, "政策宣讲", "某单位", 10, "3月27日", "某地", "", "", "", "-5", "", ""],
    ]
    p = plan(seed_table(rows), world)
    by_row = {r["row"]: r for r in p.rejected}
    assert set(by_row) == {8, 9, 10, 11}
    assert by_row[8]["column"] == "活动名称" and "活动名称" in by_row[8]["message"]
    assert (by_row[9]["column"], by_row[9]["value"]) == ("参与人次", "约四十人")
    assert by_row[10]["column"] == "活动开展时间" and by_row[10]["value"] == "下周"
    assert by_row[11]["column"] == "链接资金（元）" and "负" in by_row[11]["message"]
    assert len(p.accepted) == 2


def test_a_vertically_merged_organisation_cell_applies_to_every_row_it_covers(world):
    rows = [ROWS[0], [2, *ROWS[1][1:2], None, *ROWS[1][3:]]]
    p = plan(seed_table(rows, merges=["C6:C7"]), world)
    assert [r.values["org_text"] for r in p.accepted] == ["西脑包街道社会工作服务站"] * 2


def test_a_hidden_row_and_a_hidden_sheet_are_not_imported_and_say_so(world):
    p = plan(seed_table(ROWS, hidden_rows=[7], hidden_sheets=["旧数据"]), world)
    assert [r.number for r in p.accepted] == [6]
    assert {"row": 7, "reason": "隐藏行"} in p.skipped
    messages = " ".join(w["message"] for w in p.warnings)
    assert "旧数据" in messages and "第 7 行是隐藏行" in messages


def test_columns_in_another_order_with_variant_headers_and_an_extra_column(world):
    rows = [
        ["服务人次", "活动\n名称", "活动时间", "链接资金(元)", "地点", "街道意见"],
        ["200", "重阳敬老宴", "2022/10/4", "３００", "敬老院", "同意"],
    ]
    p = plan(xlsx(rows), world)
    assert p.verdict == "import", p.message
    data = p.accepted[0].values
    assert (data["name"], data["beneficiaries"], data["funds"]) == ("重阳敬老宴", 200, 300)
    assert data["date_start"] == date(2022, 10, 4) and data["place"] == "敬老院"
    assert data["remarks"] == "街道意见：同意"
    assert any(w["column"] == "街道意见" for w in p.warnings)


def test_the_sheet_with_the_header_is_picked_and_named(world):
    data = seed_table(ROWS, extra_sheets=[("填表说明", [["请按要求填写"], ["不要改表头"]])])
    p = plan(data, world)
    assert p.sheet == "附件1"
    assert any("从工作表“附件1”导入" in w["message"] for w in p.warnings)


def test_a_date_without_a_year_uses_the_year_given(world):
    rows = [["活动名称", "活动开展时间"], ["植树", "3.12"]]
    assert plan(xlsx(rows), world, year=2023).accepted[0].values["date_start"] == date(2023, 3, 12)
    refused = plan(xlsx(rows), world)
    assert refused.rejected and "年份" in refused.rejected[0]["message"]


def test_a_file_that_is_not_a_table_is_refused_whole(world):
    p = plan(b"%PDF-1.7\n...", world)
    assert p.verdict == "reject_file" and "PDF" in p.message
    p = plan(xlsx([["会议纪要"], ["今天开会"]]), world)
    assert p.verdict == "reject_file" and "表头" in p.message


def test_a_gbk_csv_is_read(world):
    text = "活动名称,活动开展时间,参与人次\r\n助残日义卖,2022年5月15日,50人\r\n"
    p = plan(text.encode("gbk"), world)
    assert p.verdict == "import" and p.accepted[0].values["participants"] == 50


def test_too_many_rows_refuse_the_file_with_the_limit(world, settings):
    settings.IMPORT_MAX_ROWS = 1
    p = plan(seed_table(ROWS), world)
    assert p.verdict == "reject_file" and "最多导入的 1 行" in p.message


# --- storing ----------------------------------------------------------------------------


def test_uploading_the_same_file_twice_does_not_duplicate(world):
    data = seed_table(ROWS)
    first = plan(data, world)
    assert table_import.apply_plan(first, by=world.station_worker) == (2, 0)
    again = plan(data, world)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert table_import.apply_plan(again, by=world.station_worker) == (0, 0)
    assert Activity.objects.filter(unit=world.station).count() == 2


def test_a_later_version_of_the_file_updates_with_a_version_row(world):
    table_import.apply_plan(plan(seed_table(ROWS), world), by=None)
    changed = [[*ROWS[0][:3], "50人次", *ROWS[0][4:]], ROWS[1]]
    p = plan(seed_table(changed), world)
    assert p.counts == {"new": 0, "changed": 1, "unchanged": 1}
    table_import.apply_plan(p, by=world.station_worker)
    activity = Activity.objects.get(name="“五社联动”助老服务进社区")
    assert activity.participants == 50 and activity.version == 2
    assert activity.versions.latest("version").changes["参与人次"] == [45, 50]


def test_an_update_keeps_fields_the_file_has_no_column_for(world):
    kept = make_activity(
        world.station,
        name="植树",
        date_start=date(2022, 3, 12),
        date_end=date(2022, 3, 12),
        place="",
        content="在河边种下 200 棵树",
    )
    p = plan(xlsx([["活动名称", "活动开展时间", "参与人次"], ["植树", "2022-03-12", 99]]), world)
    assert p.counts["changed"] == 1
    table_import.apply_plan(p, by=None)
    kept.refresh_from_db()
    assert (kept.participants, kept.content) == (99, "在河边种下 200 棵树")


def test_a_change_to_a_locked_activity_is_rejected_and_nothing_is_stored(world):
    table_import.apply_plan(plan(seed_table(ROWS), world), by=None)
    locked = Activity.objects.get(name="儿童安全小课堂")
    services.lock_activities(
        queryset=Activity.objects.filter(pk=locked.pk), by=None, reason="已审核"
    )
    changed = [ROWS[0], [*ROWS[1][:3], 31, *ROWS[1][4:]]]
    p = plan(seed_table(changed), world)
    assert [r["row"] for r in p.rejected] == [7]
    assert "锁定" in p.rejected[0]["message"]


def test_a_neighbour_never_sees_the_import(client, world):
    upload = SimpleUploadedFile("附件1.xlsx", seed_table(ROWS))
    client.force_login(world.station_worker)
    response = client.post("/activities/import/", {"file": upload})
    imp = ActivityImport.objects.get()
    assert response["Location"] == f"/activities/import/{imp.pk}/"
    client.force_login(world.neighbour_worker)
    assert client.get(f"/activities/import/{imp.pk}/").status_code == 404
    assert client.post(f"/activities/import/{imp.pk}/confirm/").status_code == 404
    assert client.get(f"/activities/import/{imp.pk}/rejected/").status_code == 404
    assert Activity.objects.count() == 0


def test_upload_preview_confirm_in_the_browser_pages(client, world):
    rows = [*ROWS, [3, "", "某单位", 10, "3月25日", "某地", "", "", "", "", "", ""]]
    client.force_login(world.station_worker)
    upload = SimpleUploadedFile("东河区附件1.xlsx", seed_table(rows))
    response = client.post("/activities/import/", {"file": upload}, follow=True)
    imp = ActivityImport.objects.get()
    assert imp.status == ImportStatus.PREVIEW
    page = response.content.decode()
    assert "可导入 2 行" in page and "第 8 行" in page
    assert Activity.objects.count() == 0

    rejects = client.get(f"/activities/import/{imp.pk}/rejected/")
    sheet = load_workbook(io.BytesIO(rejects.content)).active
    assert sheet["A3"].value.startswith("年份：2022")
    header = [c.value for c in sheet[4]]
    assert header[-2:] == ["错误原因", "原行号"]
    assert "活动名称" in sheet.cell(5, len(header) - 1).value
    assert sheet.cell(5, len(header)).value == 8

    response = client.post(f"/activities/import/{imp.pk}/confirm/", follow=True)
    assert "已导入：新增 2 条，修改 0 条。" in response.content.decode()
    assert Activity.objects.filter(unit=world.station).count() == 2
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    # Confirming twice does not store twice.
    client.post(f"/activities/import/{imp.pk}/confirm/")
    assert Activity.objects.count() == 2


def test_a_file_over_the_size_limit_is_refused_on_the_form(client, world, settings):
    settings.IMPORT_MAX_MB = 0
    client.force_login(world.station_worker)
    response = client.post("/activities/import/", {"file": SimpleUploadedFile("a.xlsx", b"x")})
    assert response.status_code == 200 and "文件大小超过 0 MB" in response.content.decode()
    assert not ActivityImport.objects.exists()


# --- the command line -------------------------------------------------------------------


def run_cli(path, *args):
    out = io.StringIO()
    try:
        call_command("import_activities", str(path), *args, stdout=out)
        code = 0
    except SystemExit as e:
        code = e.code
    return code, out.getvalue()


def test_the_command_prints_the_json_schema_and_imports(world, tmp_path):
    path = tmp_path / "附件1.xlsx"
    path.write_bytes(seed_table(ROWS))
    code, out = run_cli(path, "--unit", world.station.code, "--json", "--dry-run")
    result = json.loads(out)
    assert code == 0 and result["verdict"] == "import" and Activity.objects.count() == 0
    assert set(result) == {
        "verdict",
        "message",
        "sheet",
        "accepted",
        "rejected",
        "skipped",
        "warnings",
        "totals",
    }
    assert result["accepted"][0] == {
        "row": 6,
        "unit": world.station.code,
        "name": "“五社联动”助老服务进社区",
        "org": "西脑包街道社会工作服务站",
        "participants": 45,
        "beneficiaries": 120,
        "funds": "1200.00",
        "inkind": "5000.00",
        "date_start": "2022-03-20",
        "date_end": "2022-03-20",
        "place": "宏源社区",
        "domains": ["老年人", "困难群体"],
        "other_domains": [],
    }
    assert result["totals"] == {
        "participants": 75,
        "beneficiaries": 180,
        "funds": "1200.00",
        "inkind": "5000.00",
    }
    code, _ = run_cli(path, "--unit", world.station.code)
    assert code == 0 and Activity.objects.filter(unit=world.station).count() == 2


def test_the_command_exits_2_for_a_refused_file(world, tmp_path):
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    code, out = run_cli(path, "--unit", world.station.code, "--json")
    assert code == 2 and json.loads(out)["verdict"] == "reject_file"


# --- round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_re_imports_to_the_same_activities(world, kind):
    from shegong.activities import export

    make_activity(
        world.station,
        name='=HYPERLINK("x")宣传',
        date_start=date(2022, 3, 20),
        date_end=date(2022, 3, 22),
        participants=45,
        beneficiaries=None,
        funds=Decimal("1200.50"),
        domains=["老年人", "妇女"],
        other_domains="社区居民",
        remarks="-备注以减号开头",
    )
    make_activity(world.station, name="儿童安全小课堂", date_start=date(2022, 3, 21))
    rows = Activity.objects.filter(unit=world.station).order_by("date_start")
    if kind == "xlsx":
        data = export.attachment1_xlsx(rows, title="西脑包站统计表", filler="李娜 13800001111")
    else:
        data = export.attachment1_csv(rows)
    p = plan(data, world)
    assert p.verdict == "import", p.message
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 2}, [r.differs for r in p.accepted]
    assert not p.rejected
    assert any(s["reason"] == "合计行" for s in p.skipped)
