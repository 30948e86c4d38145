"""Reading uploaded spreadsheets by content: every fixture is built here, in code."""

import datetime
import io
import random
import re
import struct
import zipfile

import openpyxl
import pytest
import xlwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msoffcrypto.format.ooxml import OOXMLFile
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from PIL import Image

from shegong.workbooks import Book, FileRefused, read_workbook

# --- fixture builders ------------------------------------------------------------------------


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def patch_zip(data: bytes, name: str, change) -> bytes:
    """The same zip with one member's bytes passed through change()."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()


def register_xlsx() -> bytes:
    """An activity register as bureaus send it: title and unit rows above the header, a
    merged title, a vertically merged note, a hidden row, a formula, a hidden sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "活动登记"
    sheet["A1"] = "2024年社区活动登记表"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "填报单位：幸福社区"
    sheet.append(["姓名", "日期", "人次", "备注"])
    sheet.append(["张三", datetime.date(2024, 3, 8), 1, "合并备注"])
    sheet.append(["李四", datetime.date(2024, 3, 9), 2, None])
    sheet.append(["王五（已删）", datetime.date(2024, 3, 10), 3, "作废"])
    sheet.append(["合计", None, "=SUM(C4:C6)", "=C7*2"])
    sheet.merge_cells("D4:D5")
    sheet.row_dimensions[6].hidden = True
    notes = book.create_sheet("填表说明")
    notes["A1"] = "请勿修改表头"
    notes.sheet_state = "hidden"
    offset = book.create_sheet("偏移")
    offset["C5"] = "从C5开始"
    offset["D6"] = 42
    data = xlsx_bytes(book)
    # openpyxl writes no cached values. Excel would have stored 6 for C7; store 7, so a reader
    # that evaluated the formula instead of reading the cache would be caught. D7 keeps none.
    return patch_zip(
        data,
        "xl/worksheets/sheet1.xml",
        # openpyxl writes the empty cache as <v /> with its own XML writer, <v></v> with lxml.
        lambda xml: re.sub(
            rb"<f>SUM\(C4:C6\)</f><v ?(/>|></v>)", b"<f>SUM(C4:C6)</f><v>7</v>", xml
        ),
    )


def register_xls() -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("活动登记")
    sheet.write_merge(0, 0, 0, 3, "2024年社区活动登记表")
    for col, title in enumerate(["姓名", "日期", "人次", "备注"]):
        sheet.write(2, col, title)
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for i, (name, count) in enumerate([("张三", 1), ("李四", 2), ("王五（已删）", 3)]):
        sheet.write(3 + i, 0, name)
        sheet.write(3 + i, 1, datetime.date(2024, 3, 8 + i), day)
        sheet.write(3 + i, 2, count)
    sheet.write_merge(3, 4, 3, 3, "合并备注")
    sheet.write(5, 3, "作废")
    sheet.row(5).hidden = True
    notes = book.add_sheet("填表说明")
    notes.write(0, 0, "请勿修改表头")
    notes.visibility = 1  # hidden
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odf_cell(value=None, **attrs) -> TableCell:
    if value is None:
        return TableCell(**attrs)
    if isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=value, **attrs)
    else:
        cell = TableCell(valuetype="string", **attrs)
    cell.addElement(P(text=str(value)))
    return cell


def register_ods() -> bytes:
    doc = OpenDocumentSpreadsheet()
    table = Table(name="活动登记")

    def row(*cells, **attrs):
        element = TableRow(**attrs)
        for cell in cells:
            element.addElement(cell)
        table.addElement(element)

    row(odf_cell(), numberrowsrepeated=2)  # two empty rows above the title
    row(
        odf_cell(),
        odf_cell("2024年社区活动登记表", numbercolumnsspanned=3),
        CoveredTableCell(numbercolumnsrepeated=2),
    )
    row(odf_cell(), odf_cell("姓名"), odf_cell("人次"), odf_cell("备注"))
    row(odf_cell(), odf_cell("张三"), odf_cell(1), odf_cell("合并备注", numberrowsspanned=2))
    row(odf_cell(), odf_cell("李四"), odf_cell(2), CoveredTableCell())
    row(odf_cell(), odf_cell("王五（已删）"), odf_cell(3), odf_cell("作废"), visibility="collapse")
    row(odf_cell(numbercolumnsrepeated=1024), numberrowsrepeated=1000)  # what LibreOffice pads
    doc.spreadsheet.addElement(table)

    hidden_style = Style(name="hiddentable", family="table")
    hidden_style.addElement(TableProperties(display=False))
    doc.automaticstyles.addElement(hidden_style)
    notes = Table(name="填表说明", stylename=hidden_style)
    notes_row = TableRow()
    notes_row.addElement(odf_cell("请勿修改表头"))
    notes.addElement(notes_row)
    doc.spreadsheet.addElement(notes)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def zip_of(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx_bytes(application="Microsoft Office Word") -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zip_of(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" '
                'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
            ),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
                "</Relationships>"
            ),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>关于开展社工宣传周活动的通知</w:t></w:r></w:p></w:body>"
                "</w:document>"
            ),
            "docProps/app.xml": (
                '<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
                'openxmlformats.org/officeDocument/2006/extended-properties">'
                f"<Application>{application}</Application></Properties>"
            ),
        }
    )


def compound_file(stream_name: str, payload: bytes = bytes(4096), mini_chain=None) -> bytes:
    """A minimal OLE2 compound file (version 3) holding one stream, as Word, PowerPoint and
    encrypted OOXML files are. Sector 0 is the FAT, 1 the directory; then the stream itself
    (4 KiB or more), or with mini_chain the mini FAT (2) and mini stream (3) that hold a
    stream under 4 KiB in 64-byte mini sectors, chained as mini_chain says."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    if mini_chain is None:
        sectors = len(payload) // 512
        fat = [fat_sector, end, *range(3, sectors + 2), end]
        mini_fat, root, body = (end, 0), (end, 0), payload
    else:
        fat = [fat_sector, end, end, end]
        mini_fat, root = (2, 1), (3, 512)
        body = struct.pack("<128I", *mini_chain, *[free] * (128 - len(mini_chain)))
        body += payload.ljust(512, b"\0")
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    # versions, byte order, sector sizes; counts and first sectors of directory, FAT, mini FAT
    # and DIFAT; then the DIFAT's first entry (the FAT is sector 0).
    header += struct.pack("<5H6x7I", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, *mini_fat)
    header += struct.pack("<2I109I", end, 0, 0, *[free] * 108)

    def entry(name, kind, child, start, size):
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, no_stream, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, *root)
    directory += entry(stream_name, 2, no_stream, 0 if mini_chain else 2, len(payload))
    directory += bytes(128) * 2
    fat += [free] * (128 - len(fat))
    return header + struct.pack("<128I", *fat) + directory + body


def xls_with_password() -> bytes:
    """An xls whose globals carry a FILEPASS record (RC4), as Excel writes for a password;
    xlwt cannot encrypt, so the record is put in after its BOF."""
    original = xlwt.Workbook._Workbook__bof_rec
    filepass = struct.pack("<HHH", 0x002F, 54, 1) + struct.pack("<HH", 1, 1) + bytes(48)

    def bof_with_filepass(self):
        return original(self) + filepass

    xlwt.Workbook._Workbook__bof_rec = bof_with_filepass
    try:
        book = xlwt.Workbook()
        book.add_sheet("表").write(0, 0, "机密")
        out = io.BytesIO()
        book.save(out)
    finally:
        xlwt.Workbook._Workbook__bof_rec = original
    return out.getvalue()


def encrypted_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "机密"
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes(book))).encrypt("123456", encrypted)
    return encrypted.getvalue()


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format=fmt)
    return out.getvalue()


def refusal(data: bytes) -> str:
    with pytest.raises(FileRefused) as caught:
        read_workbook(data)
    return str(caught.value)


# --- xlsx ------------------------------------------------------------------------------------


def test_xlsx_cells_keep_excel_coordinates_below_title_rows():
    book = read_workbook(register_xlsx())
    assert book.kind == "xlsx"
    assert [s.name for s in book.sheets] == ["活动登记", "填表说明", "偏移"]
    rows = book.sheets[0].rows
    assert rows[0][0] == "2024年社区活动登记表"
    assert rows[0][1:] == [None, None, None]
    assert rows[1] == ["填报单位：幸福社区", None, None, None]
    assert rows[2] == ["姓名", "日期", "人次", "备注"]
    assert rows[3][:3] == ["张三", datetime.date(2024, 3, 8), 1]
    assert rows[4][3] is None  # covered by the vertical merge
    assert {len(row) for row in rows} == {4}


def test_xlsx_pads_a_sheet_whose_data_starts_at_c5():
    rows = read_workbook(register_xlsx()).sheets[2].rows
    assert len(rows) == 6
    assert rows[4] == [None, None, "从C5开始", None]
    assert rows[5][3] == 42
    assert all(value is None for row in rows[:4] for value in row)


def test_xlsx_merges_hidden_rows_and_hidden_sheets():
    register, notes, offset = read_workbook(register_xlsx()).sheets
    assert register.merged == [(0, 0, 0, 3), (3, 3, 4, 3)]
    assert register.hidden_rows == {5}
    assert register.rows[5][0] == "王五（已删）"  # hidden rows are still read, only flagged
    assert not register.hidden
    assert notes.hidden and notes.rows == [["请勿修改表头"]]
    assert not offset.hidden and offset.hidden_rows == set() and offset.merged == []


def test_xlsx_formula_gives_its_cached_value_and_is_never_evaluated():
    rows = read_workbook(register_xlsx()).sheets[0].rows
    assert rows[6][2] == 7  # the cache says 7; SUM(C4:C6) would be 6
    assert rows[6][3] is None  # no cached value: nothing is computed


def test_xlsx_hidden_rows_are_found_in_sheets_out_of_part_order():
    # Workbook order and part names need not agree: the rels file decides which part is which.
    book = openpyxl.Workbook()
    book.active.title = "一"
    book.active["A1"] = "甲"
    second = book.create_sheet("二")
    for i in range(1, 5):
        second[f"A{i}"] = i
    second.row_dimensions[3].hidden = True
    book.move_sheet("二", offset=-1)
    sheets = read_workbook(xlsx_bytes(book)).sheets
    assert [s.name for s in sheets] == ["二", "一"]
    assert sheets[0].hidden_rows == {2}
    assert sheets[1].hidden_rows == set()


def test_xlsx_merge_wider_than_the_data_is_cut_at_the_last_column():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "2024年社区活动登记表"
    sheet.merge_cells("A1:H1")
    sheet.append(["姓名", "人次"])
    sheet.merge_cells("A5:B9")  # below the data, holding no value
    assert read_workbook(xlsx_bytes(book)).sheets[0].merged == [(0, 0, 0, 1)]


def test_xlsx_duration_reads_as_timedelta():
    book = openpyxl.Workbook()
    book.active.append(["活动时长", datetime.timedelta(hours=26, minutes=30)])
    assert book.active["B1"].number_format == "[hh]:mm:ss"
    rows = read_workbook(xlsx_bytes(book)).sheets[0].rows
    assert rows == [["活动时长", datetime.timedelta(hours=26, minutes=30)]]


def test_xlsx_with_a_stray_value_in_the_last_cell_is_refused_not_crashing():
    # calamine allocates the whole grid up to the farthest cell at once: 550 GB for this one,
    # and a failed allocation aborts the process, beyond any `except`.
    book = openpyxl.Workbook()
    book.active["A1"] = "姓名"
    book.active["XFD1048576"] = " "
    message = refusal(xlsx_bytes(book))
    assert "范围过大" in message and "1048576 行 × 16384 列" in message


# --- xls -------------------------------------------------------------------------------------


def test_xls_reads_cells_merges_hidden_rows_and_sheets():
    book = read_workbook(register_xls())
    assert book.kind == "xls"
    register, notes = book.sheets
    assert register.rows[0][0] == "2024年社区活动登记表"
    assert register.rows[1] == [None, None, None, None]
    assert register.rows[2] == ["姓名", "日期", "人次", "备注"]
    assert register.rows[3] == ["张三", datetime.date(2024, 3, 8), 1, "合并备注"]
    assert register.merged == [(0, 0, 0, 3), (3, 3, 4, 3)]
    assert register.hidden_rows == {5}
    assert notes.hidden and notes.rows == [["请勿修改表头"]]


def test_xls_hidden_rows_find_their_sheet_by_latin_and_chinese_name():
    book = xlwt.Workbook()
    for name, hidden in (("Sheet1", 2), ("第二", 3)):
        sheet = book.add_sheet(name)
        for i in range(5):
            sheet.write(i, 0, i)
        sheet.row(hidden).hidden = True
    out = io.BytesIO()
    book.save(out)
    sheets = read_workbook(out.getvalue()).sheets
    assert [(s.name, s.hidden_rows) for s in sheets] == [("Sheet1", {2}), ("第二", {3})]


def test_xls_with_impossible_dimensions_is_refused_not_crashing():
    # calamine reserves rows x columns from DIMENSIONS before reading any cell; with the first
    # row after the last it asked for 686 GB and the process aborted, beyond any `except`.
    data = bytearray(register_xls())
    dimensions = data.find(struct.pack("<HHII", 0x0200, 14, 0, 6))
    assert dimensions > 0
    struct.pack_into("<I", data, dimensions + 4, 0x600000)
    assert "损坏或不完整" in refusal(bytes(data))


def test_xls_with_a_value_far_away_is_refused():
    book = xlwt.Workbook()
    sheet = book.add_sheet("表")
    sheet.write(0, 0, "姓名")
    sheet.write(65535, 255, "x")
    out = io.BytesIO()
    book.save(out)
    assert "范围过大" in refusal(out.getvalue())


def test_xls_whose_short_stream_chain_loops_is_read_in_bounded_time():
    # A mini FAT chain 0 -> 1 -> 0: xlrd's compound-file reader follows it forever.
    bof = struct.pack("<HH8x", 0x0809, 8)
    eof = struct.pack("<HH", 0x000A, 0)
    data = compound_file("Workbook", (bof + eof).ljust(128, b"\0"), mini_chain=[1, 0])
    assert "没有数据" in refusal(data)


def test_xls_with_open_password_is_refused_as_encrypted():
    assert "打开密码" in refusal(xls_with_password())


# --- ods -------------------------------------------------------------------------------------


def test_ods_reads_cells_spans_collapsed_rows_and_hidden_tables():
    book = read_workbook(register_ods())
    assert book.kind == "ods"
    register, notes = book.sheets
    assert register.rows[:2] == [[None] * 4, [None] * 4]
    assert register.rows[2] == [None, "2024年社区活动登记表", None, None]
    assert register.rows[3] == [None, "姓名", "人次", "备注"]
    assert register.rows[4] == [None, "张三", 1, "合并备注"]
    assert len(register.rows) == 7  # the 1000 padding rows are not data
    assert register.merged == [(2, 1, 2, 3), (4, 3, 5, 3)]
    assert register.hidden_rows == {6}
    assert notes.hidden and notes.rows == [["请勿修改表头"]]


def test_ods_repeating_a_value_a_billion_times_is_refused():
    doc = OpenDocumentSpreadsheet()
    table = Table(name="表")
    row = TableRow(numberrowsrepeated=1000000)
    row.addElement(odf_cell(1, numbercolumnsrepeated=1000))
    table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    assert "范围过大" in refusal(out.getvalue())


# --- CSV -------------------------------------------------------------------------------------

CSV_TEXT = "姓名,日期,人次\n张三,2024-03-08,1\n李四,,2\n"
CSV_ROWS = [["姓名", "日期", "人次"], ["张三", "2024-03-08", "1"], ["李四", None, "2"]]


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("utf-8-sig"),
        CSV_TEXT.encode("gbk"),
        CSV_TEXT.replace(",", "\t").encode("utf-8"),
        CSV_TEXT.replace(",", ";").replace("\n", "\r\n").encode("gbk"),
        CSV_TEXT.replace(",", "\t").encode("utf-16"),  # Excel's "Unicode 文本"
    ],
    ids=["utf8", "utf8-bom", "gbk", "tab", "semicolon-crlf", "utf16-tab"],
)
def test_csv_is_decoded_and_split_into_text_cells(data):
    book = read_workbook(data)
    assert book.kind == "csv"
    [sheet] = book.sheets
    assert sheet.name == "CSV"
    assert sheet.rows == CSV_ROWS
    assert not sheet.hidden and sheet.hidden_rows == set() and sheet.merged == []


def test_csv_keeps_commas_and_newlines_inside_quotes():
    text = '标题行\n姓名,备注\n张三,"第一行\n第二行，含逗号,"\n'
    rows = read_workbook(text.encode("gbk")).sheets[0].rows
    assert rows == [["标题行", None], ["姓名", "备注"], ["张三", "第一行\n第二行，含逗号,"]]


def test_csv_with_a_line_of_a_million_commas_is_refused():
    text = "姓名,人次\n" * 20 + "," * 1_000_000 + "备注\n"
    assert "范围过大" in refusal(text.encode())


# --- refusals --------------------------------------------------------------------------------


def test_empty_file_is_refused():
    assert "空的" in refusal(b"")


def test_word_documents_are_named():
    assert "Word 文档" in refusal(docx_bytes())
    assert "WPS 文字" in refusal(docx_bytes("WPS Office_12.1.0.16120_F1E327BC-269C-435d"))
    assert "旧版 Word" in refusal(compound_file("WordDocument"))


def test_powerpoint_is_named():
    assert "PowerPoint" in refusal(compound_file("PowerPoint Document"))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "WEBP"])
def test_pictures_are_refused(fmt):
    message = refusal(image_bytes(fmt))
    assert "图片" in message and "xlsx" in message


def test_pdf_is_refused():
    assert "PDF" in refusal(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")


def test_plain_zip_archive_is_refused():
    message = refusal(zip_of({"活动登记.xlsx.txt": "不是表格"}))
    assert "压缩包" in message and "解压" in message


def test_password_protected_xlsx_is_refused():
    assert (
        refusal(encrypted_xlsx()) == "文件设置了打开密码，请在 Excel/WPS 中取消密码后另存再导入。"
    )


def test_truncated_or_damaged_xlsx_is_refused_as_broken():
    data = register_xlsx()
    assert "损坏或不完整" in refusal(data[: len(data) // 2])
    damaged = patch_zip(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    assert "损坏或不完整" in refusal(damaged)


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the unpacked size its central directory declares for name changed."""
    data = bytearray(data)
    entry = 0
    while (entry := data.find(b"PK\x01\x02", entry + 1)) != -1:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + length] == name.encode():
            struct.pack_into("<I", data, entry + 24, size)
            return bytes(data)
    raise AssertionError(name)


def test_zip_bomb_is_refused_before_it_is_unpacked():
    data = declare_size(register_xlsx(), "xl/worksheets/sheet1.xml", 600 * 1024 * 1024)
    assert "解压后超过 512 MB" in refusal(data)


def test_sheet_that_unpacks_to_more_than_declared_is_refused_as_broken():
    data = declare_size(register_xlsx(), "xl/worksheets/sheet1.xml", 100)
    assert "损坏或不完整" in refusal(data)


def test_workbook_without_cells_in_visible_sheets_is_refused():
    book = openpyxl.Workbook()
    book.create_sheet("空表二")
    assert "没有数据" in refusal(xlsx_bytes(book))
    hidden = book.create_sheet("隐藏")
    hidden["A1"] = "只在隐藏表里"
    hidden.sheet_state = "hidden"
    assert "没有数据" in refusal(xlsx_bytes(book))


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><table><tr><td>姓名</td></tr></table></body></html>",
        '<meta charset="gbk"><table border=1><tr><td>姓名</td></tr></table>',
        "MIME-Version: 1.0\nX-Document-Type: Workbook\n",
    ],
)
def test_web_page_saved_as_xls_is_refused_with_a_hint(page):
    assert "网页" in refusal(page.encode("gbk"))


def test_random_bytes_are_refused():
    data = random.Random(20240308).randbytes(4096)
    assert "无法识别" in refusal(data)


def test_every_message_says_what_to_do():
    samples = [
        b"",
        docx_bytes(),
        image_bytes("PNG"),
        b"%PDF-1.4",
        encrypted_xlsx(),
        register_xlsx()[:500],
        xlsx_bytes(openpyxl.Workbook()),
        random.Random(1).randbytes(512),
    ]
    for data in samples:
        message = refusal(data)
        assert "请" in message and message.endswith("。"), message


# --- any bytes -------------------------------------------------------------------------------


def read_or_refuse(data: bytes) -> None:
    try:
        book = read_workbook(data)
    except FileRefused as refused:
        assert str(refused)
        return
    assert isinstance(book, Book)
    for sheet in book.sheets:
        height = len(sheet.rows)
        width = len(sheet.rows[0]) if sheet.rows else 0
        assert all(len(row) == width for row in sheet.rows)
        assert all(0 <= r < height for r in sheet.hidden_rows)
        for r0, c0, r1, c1 in sheet.merged:
            assert 0 <= r0 <= r1 < height and 0 <= c0 <= c1 < width


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=4096))
def test_any_bytes_give_a_book_or_a_refusal(data):
    read_or_refuse(data)


VALID_FILES = [register_xlsx(), register_xls(), register_ods()]


# Derandomized: a new way to crash calamine would abort the whole run, so it should show up
# on every run of a given version, never as a one-off.
@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.sampled_from(VALID_FILES),
    st.floats(0, 1),
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8),
)
def test_damaged_real_files_give_a_book_or_a_refusal(data, keep, changes):
    damaged = bytearray(data[: max(1, int(len(data) * keep))])
    for where, value in changes:
        damaged[int(where * (len(damaged) - 1))] = value
    read_or_refuse(bytes(damaged))
