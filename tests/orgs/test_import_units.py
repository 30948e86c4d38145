"""Importing units from a spreadsheet: every row checked, all stored or none."""

import csv
import io
import zipfile
from io import StringIO

import openpyxl
import pytest
import xlwt
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from shegong.audit.models import AuditEvent
from shegong.orgs import unit_import
from shegong.orgs.models import Kind, OrgUnit, OrgUnitMove
from tests.factories import make_unit

HEADER = ["单位代码", "单位名称", "单位类型", "上级单位代码"]


def xlsx(tmp_path, rows, name="units.xlsx", sheets=None):
    book = openpyxl.Workbook()
    book.active.title = "单位"
    for title, extra in (sheets or {}).items():
        book.create_sheet(title, 0).append(extra)
    for row in rows:
        book["单位"].append(row)
    path = tmp_path / name
    book.save(path)
    return path


def csv_file(tmp_path, rows, encoding, name="units.csv"):
    text = StringIO()
    csv.writer(text).writerows(rows)
    path = tmp_path / name
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_units", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def run_failing(path, *args):
    """The errors the command printed (and its final message); it must exit with 2."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as e:
        call_command("import_units", str(path), *args, stdout=out, stderr=err)
    assert e.value.returncode == 2
    return err.getvalue() + str(e.value)


def errors_of(path):
    return unit_import.plan_import(path.read_bytes()).errors


@pytest.fixture
def region(db):
    return make_unit(None, "内蒙古自治区民政厅", Kind.PROVINCE, code="150000000000")


def test_it_creates_children_listed_before_their_parent(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["S150202003", "西脑包街道社会工作服务站", "社会工作站", "150202003000"],
            ["150202003000", "西脑包街道", "乡镇（街道）", "150202000000"],
            ["150202000000", "东河区民政局", "county", "150000000000"],
        ],
    )
    assert "新建 3 个、更新 0 个、调整隶属 0 个" in run(path)

    station = OrgUnit.objects.get(code="S150202003")
    township = OrgUnit.objects.get(code="150202003000")
    district = OrgUnit.objects.get(code="150202000000")
    assert (station.parent, township.parent, district.parent) == (township, district, region)
    assert (station.kind, township.kind, district.kind) == (Kind.STATION, Kind.TOWNSHIP, "county")
    assert station.path.startswith(township.path) and township.path.startswith(district.path)
    assert station.depth == 3
    assert AuditEvent.objects.filter(action="orgs.unit_created").count() == 4  # with the region


def test_it_reads_a_gbk_csv_under_an_existing_parent(tmp_path, region):
    path = csv_file(
        tmp_path,
        [HEADER, ["150100000000", "呼和浩特市民政局", "地市民政局", "150000000000"]],
        "gbk",
    )
    run(path)
    unit = OrgUnit.objects.get(code="150100000000")
    assert (unit.name, unit.kind, unit.parent) == ("呼和浩特市民政局", Kind.PREFECTURE, region)


def test_it_reads_a_utf8_csv_with_bom_and_loose_headers(tmp_path, region):
    path = csv_file(
        tmp_path,
        [
            ["代码", " 名称 ", "类型", "上级代码", "区划代码（12位）", "联系人", "联系电话"],
            [
                "150200000000",
                "包头市民政局",
                "prefecture",
                "150000000000",
                "150200000000",
                "王芳",
                "",
            ],
        ],
        "utf-8-sig",
    )
    run(path)
    unit = OrgUnit.objects.get(code="150200000000")
    assert (unit.division_code, unit.contact_person, unit.parent) == (
        "150200000000",
        "王芳",
        region,
    )


def test_it_reads_codes_typed_as_numbers_in_excel(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            [*HEADER, "区划代码"],
            [150300000000, "乌海市民政局", "地市民政局", 150000000000, 150300000000],
        ],
    )
    run(path)
    assert OrgUnit.objects.get(code="150300000000").division_code == "150300000000"


def test_it_reports_unknown_kind_with_row_and_column(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["S1", "一号站", "社会工作站", "150000000000"],
            ["S2", "二号站", "社会工作站", "150000000000"],
            ["S3", "三号站", "社会工作站", "150000000000"],
            ["S4", "四号站", "社工站点", "150000000000"],
        ],
    )
    assert errors_of(path) == ["第5行“单位类型”列：“社工站点”不是有效的单位类型"]


def test_it_names_the_column_as_the_file_spells_it(tmp_path, region):
    path = xlsx(
        tmp_path, [["代码", "名称", "类型", "上级代码"], ["S1", "一号站", "站", "150000000000"]]
    )
    assert errors_of(path) == ["第2行“类型”列：“站”不是有效的单位类型"]


def test_it_counts_rows_as_the_sheet_shows_them_when_the_header_is_lower(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            ["2025年社会工作站名单"],
            [],
            HEADER,
            ["S1", "", "社会工作站", "150000000000"],
        ],
    )
    assert errors_of(path) == ["第4行“单位名称”列：不能为空"]


def test_it_reports_a_missing_required_value(tmp_path, region):
    path = xlsx(tmp_path, [HEADER, ["", "一号站", "社会工作站", "150000000000"]])
    assert errors_of(path) == ["第2行“单位代码”列：不能为空"]


def test_it_reports_a_code_repeated_in_the_file(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["S1", "一号站", "社会工作站", "150000000000"],
            ["S2", "二号站", "社会工作站", "150000000000"],
            ["S1", "一号站（重复）", "社会工作站", "150000000000"],
        ],
    )
    assert errors_of(path) == ["第4行“单位代码”列：“S1”与第2行重复"]


def test_it_reports_an_unknown_parent_code(tmp_path, region):
    path = xlsx(tmp_path, [HEADER, ["S1", "一号站", "社会工作站", "159999000000"]])
    assert errors_of(path) == [
        "第2行“上级单位代码”列：“159999000000”既不是系统中已有的单位，也不在本文件中"
    ]


def test_a_parent_row_with_its_own_error_does_not_make_its_children_unknown(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["T1", "街道", "街道办", "150000000000"],
            ["S1", "一号站", "社会工作站", "T1"],
        ],
    )
    assert errors_of(path) == ["第2行“单位类型”列：“街道办”不是有效的单位类型"]


def test_it_reports_a_cycle_in_the_file_once(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["A", "甲", "社会工作站", "B"],
            ["B", "乙", "社会工作站", "C"],
            ["C", "丙", "社会工作站", "A"],
            ["D", "丁", "社会工作室", "C"],
        ],
    )
    assert errors_of(path) == [
        "第2行“上级单位代码”列：“B”使隶属关系形成循环：A → B → C → A（箭头指向上级）"
    ]


def test_it_reports_a_cycle_through_stored_units(tmp_path, region):
    city = make_unit(region, "包头市民政局", Kind.PREFECTURE, code="150200000000")
    make_unit(city, "东河区民政局", Kind.COUNTY, code="150202000000")
    path = xlsx(tmp_path, [HEADER, ["150200000000", "包头市民政局", "地市民政局", "150202000000"]])
    assert errors_of(path) == [
        "第2行“上级单位代码”列：“150202000000”使隶属关系形成循环："
        "150200000000 → 150202000000 → 150200000000（箭头指向上级）"
    ]


def test_it_reports_a_unit_that_is_its_own_parent(tmp_path, region):
    path = xlsx(tmp_path, [HEADER, ["S1", "一号站", "社会工作站", "S1"]])
    assert errors_of(path) == ["第2行“上级单位代码”列：“S1”是本单位自己的代码，单位不能隶属于自己"]


def test_it_reports_a_division_code_that_is_not_12_digits(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            [*HEADER, "区划代码"],
            ["150200000000", "包头市民政局", "地市民政局", "150000000000", "1502"],
        ],
    )
    assert errors_of(path) == [
        "第2行“区划代码”列：“1502”无效：区划代码须为12位数字（GB/T 2260 + 统计用区划代码）。"
    ]


def test_it_reports_an_invalid_unit_code(tmp_path, region):
    path = xlsx(tmp_path, [HEADER, ["S 1", "一号站", "社会工作站", "150000000000"]])
    assert errors_of(path) == [
        "第2行“单位代码”列：“S 1”无效：单位代码只能包含字母、数字、下划线和连字符，最长32位。"
    ]


def test_it_reports_a_header_without_a_required_column(tmp_path, region):
    path = xlsx(
        tmp_path, [["单位代码", "单位名称", "上级单位代码"], ["S1", "一号站", "150000000000"]]
    )
    message = run_failing(path)
    assert "第1行的表头缺少“单位类型”列" in message
    assert "未保存任何单位" in message


def test_it_stores_nothing_when_any_row_fails(tmp_path, region):
    units, events = OrgUnit.objects.count(), AuditEvent.objects.count()
    path = xlsx(
        tmp_path,
        [
            HEADER,
            ["150200000000", "包头市民政局", "地市民政局", "150000000000"],
            ["150202000000", "东河区民政局", "县区民政局", "150200000000"],
            ["S1", "一号站", "社工站点", "150202000000"],
            ["S2", "", "社会工作站", "150202000000"],
        ],
    )
    message = run_failing(path)
    assert "第4行“单位类型”列：“社工站点”不是有效的单位类型" in message
    assert "第5行“单位名称”列：不能为空" in message
    assert "共发现 2 处错误，未保存任何单位" in message
    assert (OrgUnit.objects.count(), AuditEvent.objects.count()) == (units, events)


def test_it_updates_an_existing_unit(tmp_path, region):
    city = make_unit(region, "包头市民政局", Kind.PREFECTURE, code="150200000000")
    path = xlsx(
        tmp_path,
        [
            [*HEADER, "联系电话"],
            ["150200000000", "包头市民政局（新）", "地市民政局", "150000000000", "0472-1234567"],
        ],
    )
    assert "新建 0 个、更新 1 个、调整隶属 0 个" in run(path)
    city.refresh_from_db()
    assert (city.name, city.contact_phone, city.parent) == (
        "包头市民政局（新）",
        "0472-1234567",
        region,
    )
    event = AuditEvent.objects.get(action="orgs.unit_updated")
    assert event.after == {"name": "包头市民政局（新）", "contact_phone": "0472-1234567"}


def test_it_moves_an_existing_unit_to_its_new_parent(tmp_path, region):
    city = make_unit(region, "呼伦贝尔市民政局", Kind.PREFECTURE, code="150700000000")
    manzhouli = make_unit(city, "满洲里市民政局", Kind.COUNTY, code="150781000000")
    street = make_unit(manzhouli, "东山街道", Kind.TOWNSHIP, code="150781001000")
    path = xlsx(
        tmp_path, [HEADER, ["150781000000", "满洲里市民政局", "县区民政局", "150000000000"]]
    )
    assert "新建 0 个、更新 0 个、调整隶属 1 个" in run(path)

    manzhouli.refresh_from_db()
    street.refresh_from_db()
    assert manzhouli.parent == region
    assert street.path.startswith(manzhouli.path) and street.depth == 2
    move = OrgUnitMove.objects.get(unit=manzhouli)
    assert (move.old_parent, move.new_parent, move.reason) == (city, region, "批量导入调整隶属关系")


def test_it_orders_moves_so_that_no_unit_lands_under_its_own_subtree(tmp_path, region):
    # Stored: region → A → B. The file turns it round: region → B → A.
    a = make_unit(region, "甲", Kind.PREFECTURE, code="A")
    b = make_unit(a, "乙", Kind.COUNTY, code="B")
    path = xlsx(
        tmp_path,
        [HEADER, ["A", "甲", "地市民政局", "B"], ["B", "乙", "县区民政局", "150000000000"]],
    )
    assert "调整隶属 2 个" in run(path)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.parent, a.parent) == (region, b)
    assert a.path.startswith(b.path) and a.depth == 2


def test_it_refuses_to_make_a_stored_unit_top_level(tmp_path, region):
    make_unit(region, "包头市民政局", Kind.PREFECTURE, code="150200000000")
    path = xlsx(tmp_path, [HEADER, ["150200000000", "包头市民政局", "地市民政局", ""]])
    (message,) = errors_of(path)
    assert message.startswith("第2行“上级单位代码”列：不能为空：单位“150200000000”现隶属于")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, region):
    path = xlsx(tmp_path, [HEADER, ["S1", "一号站", "社会工作站", "150000000000"]])
    run(path)
    assert "新建 0 个、更新 0 个、调整隶属 0 个，无变化 1 个" in run(path)
    assert OrgUnit.objects.filter(code="S1").count() == 1


def test_a_dry_run_reports_and_stores_nothing(tmp_path, region):
    units = OrgUnit.objects.count()
    path = xlsx(tmp_path, [HEADER, ["S1", "一号站", "社会工作站", "150000000000"]])
    assert "试运行，未保存" in run(path, "--dry-run")
    assert "将新建 1 个" in run(path, "--dry-run")
    assert OrgUnit.objects.count() == units


def test_it_uses_the_first_sheet_that_has_unit_columns(tmp_path, region):
    path = xlsx(
        tmp_path,
        [HEADER, ["S1", "一号站", "社会工作站", "150000000000"]],
        sheets={"填表说明": ["请按模板填写，不要修改表头。"]},
    )
    run(path)
    assert OrgUnit.objects.filter(code="S1").exists()


def test_it_skips_a_hidden_sheet_that_has_unit_columns(tmp_path, region):
    book = openpyxl.Workbook()
    stale = book.active
    stale.title = "旧名单"
    stale.append(HEADER)
    stale.append(["S9", "九号站", "社会工作站", "150000000000"])
    stale.sheet_state = "hidden"
    units = book.create_sheet("单位")
    units.append(HEADER)
    units.append(["S1", "一号站", "社会工作站", "150000000000"])
    book.active = 1
    path = tmp_path / "units.xlsx"
    book.save(path)
    assert "新建 1 个" in run(path)
    assert OrgUnit.objects.filter(code="S1").exists()
    assert not OrgUnit.objects.filter(code="S9").exists()


def test_a_hidden_sheet_alone_does_not_make_a_file_a_unit_table(tmp_path, region):
    units = OrgUnit.objects.count()
    book = openpyxl.Workbook()
    book.active.title = "填表说明"
    book.active.append(["请按模板填写，不要修改表头。"])
    hidden = book.create_sheet("单位")
    hidden.append(HEADER)
    hidden.append(["S1", "一号站", "社会工作站", "150000000000"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "units.xlsx"
    book.save(path)
    message = run_failing(path)
    assert "第1行的表头缺少“单位代码”、“单位名称”、“单位类型”、“上级单位代码”列" in message
    assert OrgUnit.objects.count() == units


def test_it_reads_an_xls_file_with_codes_typed_as_numbers(tmp_path, region):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("单位")
    rows = [
        [*HEADER, "区划代码"],
        [150300000000, "乌海市民政局", "地市民政局", 150000000000, 150300000000],
        [150302001000, "千里山镇", "乡镇街道", 150300000000, 150302001000],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "units.xls"
    book.save(str(path))
    assert path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")  # a real OLE2 .xls
    assert "新建 2 个" in run(path)
    city = OrgUnit.objects.get(code="150300000000")
    town = OrgUnit.objects.get(code="150302001000")
    assert (city.division_code, city.parent) == ("150300000000", region)
    assert (town.kind, town.parent) == (Kind.TOWNSHIP, city)


def test_it_reads_excel_unicode_text_utf16_with_tabs(tmp_path, region):
    text = StringIO()
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(
        [HEADER, ["150400000000", "赤峰市民政局", "地市民政局", "150000000000"]]
    )
    path = tmp_path / "units.txt"
    path.write_bytes(text.getvalue().encode("utf-16"))  # with a byte-order mark, as Excel saves
    run(path)
    unit = OrgUnit.objects.get(code="150400000000")
    assert (unit.name, unit.kind, unit.parent) == ("赤峰市民政局", Kind.PREFECTURE, region)


def test_it_matches_kinds_and_headers_however_brackets_and_spaces_are_written(tmp_path, region):
    path = xlsx(
        tmp_path,
        [
            ["单位代码", "单位名称", "单位类型(kind)", "*上级单位代码："],
            ["T1", "一街道", "乡镇(街道)", "150000000000"],
            ["T2", "二街道", "乡镇街道", "150000000000"],
            ["S1", "一号站", " 社会 工作站 ", "T1"],
        ],
    )
    run(path)
    kinds = dict(OrgUnit.objects.filter(code__in=["T1", "T2", "S1"]).values_list("code", "kind"))
    assert kinds == {"T1": Kind.TOWNSHIP, "T2": Kind.TOWNSHIP, "S1": Kind.STATION}


def test_it_refuses_a_sheet_with_a_stray_value_far_away(tmp_path, region):
    units = OrgUnit.objects.count()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["S1", "一号站", "社会工作站", "150000000000"])
    sheet.cell(row=1_000_000, column=50, value="x")
    path = tmp_path / "units.xlsx"
    book.save(path)
    message = run_failing(path)
    assert "工作表的数据范围过大（约 1000000 行 × 50 列）" in message
    assert "未保存任何单位" in message
    assert OrgUnit.objects.count() == units


def test_it_rejects_an_empty_file(tmp_path, db):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"")
    assert "文件是空的（0 字节）" in run_failing(path)


def test_it_rejects_an_image_naming_it_a_picture(tmp_path, db):
    path = tmp_path / "units.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    message = run_failing(path)
    assert "文件内容是图片（PNG），不是表格" in message
    assert "未保存任何单位" in message


def test_it_rejects_a_pdf_naming_it_a_pdf(tmp_path, db):
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert "文件内容是PDF 文档，不是表格" in run_failing(path)


def test_it_rejects_a_word_document_renamed_to_xlsx(tmp_path, db):
    document = Document()
    document.add_paragraph("关于报送社会工作站名单的通知")
    path = tmp_path / "units.xlsx"
    document.save(path)
    assert "文件内容是Word 文档，不是表格" in run_failing(path)


def test_it_rejects_a_bare_word_zip_renamed_to_xlsx(tmp_path, db):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    path = tmp_path / "units.xlsx"
    path.write_bytes(data.getvalue())
    message = run_failing(path)
    assert "文件内容是Word 文档，不是表格" in message
    assert "请上传表格文件（xlsx、xls、ods 或 CSV）" in message


def test_it_reports_a_file_that_cannot_be_opened(tmp_path, db):
    assert "无法读取文件" in run_failing(tmp_path / "missing.xlsx")
