"""附件 1 exports: the xlsx laid out like seed 002's form, the flat CSV, and both safe to open."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from shegong.activities.export import attachment1_csv, attachment1_xlsx
from shegong.activities.models import Activity
from tests.factories import make_activity, make_unit

pytestmark = pytest.mark.django_db

TITLE = "盟市社会工作主题宣传活动工作进展情况统计表"
HEADER = [
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
SUBHEADER = [None] * 9 + ["链接资金（元）", "链接物资折价（元）", None]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
DANGEROUS = {
    "name": '=HYPERLINK("http://evil.example","点我")',
    "org_text": "+86 13800001111",
    "place": "-1+1",
    "content": "@SUM(A1:A9)",
}


@pytest.fixture
def register(world):
    make_activity(
        world.station,
        name="助老义诊",
        date_start=date(2022, 3, 20),
        date_end=date(2022, 3, 20),
        participants=45,
        beneficiaries=120,
        funds=Decimal("1200.00"),
        inkind=Decimal("800.50"),
        domains=["老年人", "妇女"],
        other_domains="社区居民",
    )
    make_activity(
        world.room,
        name="社工宣传周",
        date_start=date(2022, 3, 20),
        date_end=date(2022, 3, 22),
        participants=10,
        beneficiaries=None,
        funds=Decimal("0.10"),
        inkind=None,
        domains=[],
        other_domains="",
    )
    make_activity(
        world.neighbour,
        name="邻里守望",
        date_start=date(2022, 3, 21),
        date_end=date(2022, 3, 21),
        participants=None,
        beneficiaries=7,
        funds=Decimal("0.20"),
        inkind=Decimal("0.01"),
        domains=["儿童青少年"],
    )
    return world


def activities():
    return Activity.objects.filter(deleted_at=None).order_by("date_start", "id")


def xlsx(**kwargs):
    kwargs.setdefault("title", TITLE)
    kwargs.setdefault("filler", "李娜 13800001111")
    kwargs.setdefault("filled_on", date(2022, 3, 24))
    return attachment1_xlsx(activities(), **kwargs)


def opened(data):
    return load_workbook(io.BytesIO(data))


def calamine_rows(data, sheet=0):
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(sheet).to_python(skip_empty_area=False)


def row_values(sheet, row):
    return [c.value for c in sheet[row]]


def sheet_xml(data, n=1):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{n}.xml"))
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    cells = {c.get("r"): c for c in sheet.iter(f"{{{NS['m']}}}c")}
    return cells, xfs


def test_it_writes_the_title_and_the_filler_lines():
    data = xlsx(addressee="盟市民政局慈善社工相关科室：")
    sheet = opened(data).active
    assert sheet["A1"].value == TITLE
    assert sheet["A1"].font.bold and sheet["A1"].font.size >= 14
    assert sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "盟市民政局慈善社工相关科室："
    assert sheet["A3"].value == "填报人及手机号码：李娜 13800001111"
    assert sheet["A4"].value == "填报时间：2022年3月24日"
    assert row_values(sheet, 5) == HEADER


def test_without_addressee_the_header_starts_on_row_four():
    sheet = opened(xlsx()).active
    assert sheet["A2"].value == "填报人及手机号码：李娜 13800001111"
    assert sheet["A3"].value == "填报时间：2022年3月24日"
    assert row_values(sheet, 4) == HEADER
    assert row_values(sheet, 5) == SUBHEADER


def test_header_cells_are_merged_like_the_form(register):
    sheet = opened(xlsx(addressee="盟市民政局慈善社工相关科室：")).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    vertical = {f"{c}5:{c}6" for c in "ABCDEFGHIL"}
    assert merged == {"A1:L1", "A2:L2", "A3:L3", "A4:L4", "J5:K5"} | vertical
    assert row_values(sheet, 6) == SUBHEADER
    assert sheet["A5"].border.top.style == "thin"
    assert sheet["A5"].font.bold


def test_rows_are_numbered_and_totalled_with_values(register):
    data = xlsx()
    sheet = opened(data).active
    assert [sheet.cell(row=r, column=1).value for r in range(6, 10)] == [1, 2, 3, "合计"]
    names = [sheet.cell(row=r, column=2).value for r in range(6, 9)]
    assert names == ["助老义诊", "社工宣传周", "邻里守望"]
    total = row_values(sheet, 9)
    assert total[3] == 55  # 参与人次: 45 + 10 + blank
    assert total[8] == 127  # 受益人次: 120 + blank + 7
    assert sheet.max_row == 9

    cells, _ = sheet_xml(data)
    for ref in ("D9", "I9", "J9", "K9"):
        assert cells[ref].find("m:f", NS) is None  # a value, not a formula
    assert Decimal(cells["J9"].find("m:v", NS).text) == Decimal("1200.30")
    assert Decimal(cells["K9"].find("m:v", NS).text) == Decimal("800.51")
    # An importer reading with calamine finds the same sums.
    rows = calamine_rows(data)
    assert rows[8][0] == "合计"
    assert Decimal(str(rows[8][9])) == Decimal("1200.30")
    assert Decimal(str(rows[8][10])) == Decimal("800.51")
    assert rows[5][3] == 45 and rows[7][3] == ""


def test_borders_cover_rows_and_total(register):
    sheet = opened(xlsx()).active
    for ref in ("A6", "G7", "L8", "A9", "J9", "L9"):
        assert sheet[ref].border.left.style == "thin", ref
        assert sheet[ref].alignment.wrap_text, ref


def test_number_formats_for_counts_money_and_dates(register):
    sheet = opened(xlsx()).active
    assert sheet["D6"].number_format == "#,##0"
    assert sheet["I6"].number_format == "#,##0"
    assert sheet["J6"].number_format == "#,##0.00"
    assert sheet["K6"].number_format == "#,##0.00"
    assert sheet["D9"].number_format == "#,##0"
    assert sheet["J9"].number_format == "#,##0.00"
    assert sheet["E6"].number_format == 'yyyy"年"m"月"d"日"'


def test_a_one_day_activity_is_a_date_and_a_range_is_text(register):
    data = xlsx()
    sheet = opened(data).active
    assert sheet["E6"].value == datetime(2022, 3, 20)
    assert sheet["E6"].is_date
    assert sheet["E7"].value == "2022年3月20日至2022年3月22日"
    rows = calamine_rows(data)
    assert rows[5][4] == date(2022, 3, 20)
    assert rows[6][4] == "2022年3月20日至2022年3月22日"


def test_service_domains_are_named_then_the_other_text(register):
    sheet = opened(xlsx()).active
    assert sheet["H6"].value == "老年人、妇女、社区居民"
    assert sheet["H7"].value is None
    assert sheet["H8"].value == "儿童青少年"


def test_domains_are_loaded_once_per_export(register, django_assert_num_queries):
    with django_assert_num_queries(2):  # the activities with their units, the domains
        attachment1_xlsx(activities(), title=TITLE, filled_on=date(2022, 3, 24))
    with django_assert_num_queries(2):
        attachment1_csv(activities())


def test_panes_and_print_setup(register):
    sheet = opened(xlsx()).active
    assert sheet.freeze_panes == "A6"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$4:$5"
    widths = {c: sheet.column_dimensions[c].width for c in "AG"}
    assert widths["G"] > 3 * widths["A"]


def test_unit_column_follows_the_index(register):
    data = xlsx(unit_column=True)
    sheet = opened(data).active
    assert row_values(sheet, 4)[:3] == ["序号", "单位", "活动名称"]
    assert row_values(sheet, 5)[10:12] == ["链接资金（元）", "链接物资折价（元）"]
    assert "K4:L4" in {str(r) for r in sheet.merged_cells.ranges}
    assert [sheet.cell(row=r, column=2).value for r in range(6, 9)] == [
        "西脑包街道社会工作服务站",
        "宏源社区社会工作室",
        "和平路街道社会工作服务站",
    ]
    assert row_values(sheet, 9)[:5] == ["合计", None, None, None, 55]


def test_per_unit_writes_a_sheet_per_unit_with_its_own_total(register):
    book = opened(xlsx(per_unit=True))
    # Tree order: 西脑包站, its 宏源 room, then the neighbour station.
    assert book.sheetnames == [
        "西脑包街道社会工作服务站",
        "宏源社区社会工作室",
        "和平路街道社会工作服务站",
    ]
    first = book["西脑包街道社会工作服务站"]
    assert first["A1"].value == f"{TITLE}（西脑包街道社会工作服务站）"
    assert row_values(first, 4) == HEADER
    assert row_values(first, 6)[:4] == [1, "助老义诊", first["C6"].value, 45]
    assert row_values(first, 7)[0] == "合计"
    assert row_values(first, 7)[9] == 1200
    neighbour = book["和平路街道社会工作服务站"]
    assert row_values(neighbour, 6)[1] == "邻里守望"
    assert row_values(neighbour, 7)[8] == 7


def test_per_unit_sheet_names_are_cleaned_short_and_unique(world):
    long = "呼和浩特市赛罕区大学西路街道[第一]社会工作服务站:总站*一号?/\\扩展"
    units = [
        make_unit(world.township, long),
        make_unit(world.township, long + "二"),
        make_unit(world.township, "任意名称", short_name="西脑包站"),
        make_unit(world.township, "另一名称", short_name="西脑包站"),
    ]
    for unit in units:
        make_activity(unit, date_start=date(2022, 3, 20), date_end=date(2022, 3, 20))
    book = opened(xlsx(per_unit=True))
    names = book.sheetnames
    assert len(names) == 4
    assert len({n.casefold() for n in names}) == 4
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert "西脑包站" in names
    assert book[names[0]]["A1"].value.endswith(f"（{long}）")


def test_formula_text_stays_text_and_round_trips(world):
    a = make_activity(world.station, remarks="普通备注", **DANGEROUS)
    Activity.objects.filter(pk=a.pk).update(remarks="\t=1+1")
    b = make_activity(world.station, name="正常名称")
    Activity.objects.filter(pk=b.pk).update(remarks="\r=2+2", other_domains="-社区", domain_mask=0)
    data = xlsx()
    cells, xfs = sheet_xml(data)

    expected = {
        "B6": DANGEROUS["name"],
        "C6": DANGEROUS["org_text"],
        "F6": DANGEROUS["place"],
        "G6": DANGEROUS["content"],
        "L6": "\t=1+1",
        "L7": "\r=2+2",
        "H7": "-社区",
    }
    for ref in expected:
        cell = cells[ref]
        assert cell.get("t") in ("s", "inlineStr"), ref
        assert cell.find("m:f", NS) is None, ref
        assert xfs[int(cell.get("s"))].get("quotePrefix") == "1", ref
    # Ordinary text is not quote-prefixed.
    assert xfs[int(cells["B7"].get("s"))].get("quotePrefix") in (None, "0")

    sheet = opened(data).active
    rows = calamine_rows(data)
    for ref, text in expected.items():
        row, col = int(ref[1:]) - 1, ord(ref[0]) - ord("A")
        assert rows[row][col] == text, ref  # what the importer reads
        assert sheet[ref].data_type == "s", ref
        if "\r" not in text:  # openpyxl does not decode _x000D_
            assert sheet[ref].value == text, ref


def test_markup_line_ends_and_control_characters_survive_the_xml(world):
    text = "第一行\r\n第二行 _x0041_ <b>&amp;</b> 原样"
    a = make_activity(world.station, content=text)
    Activity.objects.filter(pk=a.pk).update(remarks="复制来的\x01文字")
    data = xlsx()
    row = calamine_rows(data)[5]
    assert row[6] == text
    assert row[11] == "复制来的\x01文字"
    cells, _ = sheet_xml(data)
    assert "_x000D_" in ElementTree.tostring(cells["G6"], encoding="unicode")


def test_an_empty_export_still_has_the_form_and_a_zero_total(world):
    data = xlsx()
    sheet = opened(data).active
    assert row_values(sheet, 4) == HEADER
    assert row_values(sheet, 6)[0] == "合计"
    assert row_values(sheet, 6)[3] == 0
    assert opened(xlsx(per_unit=True)).sheetnames == ["附件1"]


def parse_csv(data):
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_bom_crlf_one_header_and_a_total(register):
    data = attachment1_csv(activities())
    assert data.startswith("\ufeff序号,活动名称,".encode())
    assert data.count(b"\r\n") == 5 and re.search(rb"[^\r]\n", data) is None
    rows = parse_csv(data)
    assert rows[0] == [
        "序号",
        "活动名称",
        "参与活动的单位或社会组织（团队）名称",
        "参与人次",
        "活动开展时间",
        "活动地点",
        "活动内容",
        "服务领域",
        "受益人次",
        "链接资金（元）",
        "链接物资折价（元）",
        "备注",
    ]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "合计"]
    assert rows[1][4] == "2022年3月20日"
    assert rows[2][4] == "2022年3月20日至2022年3月22日"
    assert rows[1][7] == "老年人、妇女、社区居民"
    assert rows[1][9:11] == ["1200.00", "800.50"]
    assert rows[2][8] == "" and rows[2][10] == ""
    assert rows[4][3] == "55" and rows[4][8] == "127"
    assert rows[4][9:11] == ["1200.30", "800.51"]


def test_csv_unit_column(register):
    rows = parse_csv(attachment1_csv(activities(), unit_column=True))
    assert rows[0][:3] == ["序号", "单位", "活动名称"]
    assert rows[1][1] == "西脑包街道社会工作服务站"
    assert rows[4][:2] == ["合计", ""]
    assert len({len(r) for r in rows}) == 1


def test_csv_prefixes_formula_text_with_a_quote(world):
    a = make_activity(world.station, **DANGEROUS)
    Activity.objects.filter(pk=a.pk).update(remarks="\t=1+1")
    row = parse_csv(attachment1_csv(activities()))[1]
    assert row[1] == "'" + DANGEROUS["name"]
    assert row[2] == "'" + DANGEROUS["org_text"]
    assert row[5] == "'" + DANGEROUS["place"]
    assert row[6] == "'" + DANGEROUS["content"]
    assert row[11] == "'\t=1+1"
    assert row[3] == "45"  # numbers are not text and are left alone
