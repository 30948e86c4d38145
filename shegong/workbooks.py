"""Read an uploaded spreadsheet (xlsx, xls, ods or CSV) into plain rows, judging it by content.

python-calamine reads the cells, sheet visibility and the merged ranges of xlsx and xls. What it
does not give comes from a pre-scan of the file, done before calamine sees it:
- hidden rows of xlsx: the `<row ... hidden="1">` tags of each sheet part, found with a regular
  expression (iterparse hands every cell to Python: 1.3 s for 10,000 x 12 cells);
- hidden rows and merged ranges of ods (calamine has no merges for ods): the table, row and cell
  tags of `content.xml` (`table:visibility`, `number-*-repeated`, `number-*-spanned`);
- hidden rows and the password (FILEPASS) record of xls: one walk over its BIFF records. xlrd's
  `formatting_info` reader gave the same hidden rows in 0.41 s against the walk's 0.07 s on
  10,000 x 12 cells, and the walk is needed anyway for the extent (below).
- what an OLE2 file holds (xls, Word, PowerPoint, password-protected xlsx): its stream names,
  from olefile, which bounds every sector chain (xlrd's reader loops forever on a cyclic
  short-stream chain); calamine says "Cannot detect file format" for all of them.
The pre-scan also bounds each sheet's grid. calamine allocates rows x columns cells at once,
from the farthest cell (or an xls DIMENSIONS record); a stray value in XFD1048576 made it ask
for 550 GB and abort the process, which no `except` can catch.
Any failure of any reader on any bytes ends as FileRefused with a Chinese message.
"""

import codecs
import csv
import html
import io
import posixpath
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from operator import itemgetter
from xml.etree import ElementTree

import olefile
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum


class FileRefused(Exception):
    """The file as a whole cannot be read as a table; str(e) is a Chinese message for the user
    that says what the file really is and what to do."""


@dataclass
class Sheet:
    name: str
    # rows[i][j] is the cell Excel shows at row i+1, column j+1 (A=0), padded from A1 even when
    # the data starts at C5; every row has the same width. Values are str, int, float, bool,
    # datetime.date, .datetime, .time, .timedelta (a duration format such as [h]:mm) or None
    # for an empty cell. Formulas give their cached value. Trailing empty rows and columns
    # are trimmed.
    rows: list[list]
    hidden: bool  # the sheet is hidden or very hidden
    hidden_rows: set[int]  # indexes into rows of rows hidden in the file
    # (first_row, first_col, last_row, last_col), inclusive, in rows' coordinates; clipped to
    # the grid, so a title merged over A1:Z1 above data that ends at column H ends at H.
    merged: list[tuple[int, int, int, int]]


@dataclass
class Book:
    kind: str  # "xlsx", "xls", "ods" or "csv"
    sheets: list[Sheet]  # in file order, hidden ones included; chart sheets left out


# 5 million cells (200,000 rows x 25 columns) is far beyond any register and took 1.3 s and
# 300 MB to read; 9.4 million took 750 MB. Past it a sheet almost always has a stray value far
# from its data, and calamine would allocate the whole grid up to it.
MAX_CELLS = 5_000_000
# A zip that unpacks to more is a bomb or carries something else; the pre-scan reads each
# sheet part whole, so it is stopped before that.
MAX_UNPACKED = 512 * 1024 * 1024

SAVE_AS = "请在 Excel/WPS 中打开，另存为 xlsx、xls、ods 或 CSV 后再导入。"
EMPTY = "文件是空的（0 字节），请检查后重新上传。"
BROKEN = "文件已损坏或不完整，无法读取。" + SAVE_AS
ENCRYPTED = "文件设置了打开密码，请在 Excel/WPS 中取消密码后另存再导入。"
NO_DATA = "工作簿中没有数据：所有可见的工作表都是空的。请填写数据后再导入。"
UNKNOWN = "无法识别文件格式，它不是 xlsx、xls、ods 或 CSV 表格。" + SAVE_AS

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_workbook(data: bytes) -> Book:
    """Read every sheet of the uploaded file, or refuse it with a message for the user."""
    try:
        book = _read(bytes(data))
    except FileRefused:
        raise
    except PasswordError as exc:
        raise FileRefused(ENCRYPTED) from exc
    except Exception as exc:
        # Damaged bytes make the readers raise anything (zip, XML, struct, index errors); for
        # the user they all mean the same thing.
        raise FileRefused(BROKEN) from exc
    except BaseException as exc:
        # A panic inside calamine's Rust code surfaces as pyo3's PanicException, which is not
        # an Exception subclass.
        if type(exc).__name__ != "PanicException":
            raise
        raise FileRefused(BROKEN) from exc
    if not any(sheet.rows for sheet in book.sheets if not sheet.hidden):
        raise FileRefused(NO_DATA)
    return book


def _read(data: bytes) -> Book:
    if not data:
        raise FileRefused(EMPTY)
    if data.startswith(ZIP_MAGICS):
        return _read_zip(data)
    if data.startswith(OLE_MAGIC):
        return _read_ole(data)
    what = _other_format(data)
    if what:
        raise FileRefused(what)
    text = _decode_text(data)
    if text is None:
        raise FileRefused(UNKNOWN)
    return Book(kind="csv", sheets=[_csv_sheet(text)])


@dataclass
class _Layout:
    """What the pre-scan learnt about one sheet: the extent of its cells, and what calamine
    does not give for its format."""

    height: int = 0
    width: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _check_extent(height: int, width: int) -> None:
    if height * width > MAX_CELLS:
        raise FileRefused(
            f"工作表的数据范围过大（约 {height} 行 × {width} 列），多半是远处的单元格误填了内容。"
            "请在 Excel/WPS 中删除数据以外的行和列后再导入。"
        )


def _not_a_table(what: str) -> str:
    return f"文件内容是{what}，不是表格。请上传表格文件（xlsx、xls、ods 或 CSV）后再导入。"


# --- formats we recognise only to name them ---------------------------------------------

IMAGE_MAGICS = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
ARCHIVE_MAGICS = (
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
)
BMP_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)


def _other_format(data: bytes) -> str | None:
    """The message for a file we can name but not read, or None."""
    for magic, name in IMAGE_MAGICS:
        if data.startswith(magic):
            return _picture(name)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _picture("WebP")
    # "BM" alone could start a CSV line, so also require a known DIB header size.
    dib_header_size = int.from_bytes(data[14:18], "little")
    if data[:2] == b"BM" and len(data) >= 18 and dib_header_size in BMP_HEADER_SIZES:
        return _picture("BMP")
    if data.startswith(b"%PDF-"):
        return _not_a_table("PDF 文档") + "若只有 PDF，请向发文单位索取原始表格。"
    for magic, name in ARCHIVE_MAGICS:
        if data.startswith(magic):
            return _archive(name)
    if data.startswith(b"{\\rtf"):
        return _not_a_table("RTF 文档（多为 Word 另存）")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    # Business systems often export an HTML table (or Excel's single-file web page) and name it
    # .xls; Excel opens it with a warning, but it is not a workbook.
    web_page = head.startswith(b"<") and (b"<html" in head or b"<table" in head)
    if web_page or head.startswith(b"mime-version:"):
        return "文件实际是网页（HTML），只是扩展名像表格（常见于业务系统导出的 xls）。" + SAVE_AS
    if head.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
            return "文件是 Excel 2003 XML 表格，无法直接读取。" + SAVE_AS
        return _not_a_table("XML 文件")
    return None


def _picture(name: str) -> str:
    return (
        f"文件内容是图片（{name}），不是表格，照片或截图中的数据无法导入。"
        "请上传表格文件（xlsx、xls、ods 或 CSV）后再导入。"
    )


def _archive(name: str) -> str:
    return (
        f"文件是压缩包（{name}），不是表格。请解压后上传其中的表格文件（xlsx、xls、ods 或 CSV）。"
    )


# --- zip containers: xlsx, ods, and the office files that are not tables ----------------


def _read_zip(data: bytes) -> Book:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise FileRefused(BROKEN) from exc
    if "xl/workbook.xml" in names:
        _check_unpacked(zf)
        layouts = _xlsx_layouts(zf, names)
        return Book(kind="xlsx", sheets=_calamine_sheets(data, layouts))
    if "xl/workbook.bin" in names:
        raise FileRefused("文件是 Excel 二进制工作簿（xlsb）。" + SAVE_AS)
    mimetype = zf.read("mimetype").strip() if "mimetype" in names else b""
    if mimetype.startswith(ODS_MIMETYPE):  # also its template, .ots
        _check_unpacked(zf)
        layouts = _ods_layouts(zf)
        return Book(kind="ods", sheets=_calamine_sheets(data, layouts))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise FileRefused(_not_a_table("OpenDocument 文字文档（odt）"))
    if mimetype.startswith(b"application/vnd.oasis.opendocument.presentation"):
        raise FileRefused(_not_a_table("OpenDocument 演示文稿（odp）"))
    if "word/document.xml" in names:
        raise FileRefused(_not_a_table(_word_name(zf, names)))
    if "ppt/presentation.xml" in names:
        raise FileRefused(_not_a_table("PowerPoint 演示文稿"))
    if "[Content_Types].xml" in names:
        raise FileRefused(_not_a_table("Office 文件"))
    raise FileRefused(_archive("zip"))


def _check_unpacked(zf: zipfile.ZipFile) -> None:
    """Refuse a zip bomb before calamine unpacks it."""
    if sum(info.file_size for info in zf.infolist()) > MAX_UNPACKED:
        raise FileRefused(
            "文件解压后超过 512 MB，不像一份表格。请删除多余的工作表、图片或行列后再导入。"
        )
    # The sizes above are what the zip declares. testzip reads every part (8 ms for 10,000
    # rows) and stops at the declared size, so a part that unpacks to more fails its CRC here.
    if zf.testzip() is not None:
        raise FileRefused(BROKEN)


def _word_name(zf: zipfile.ZipFile, names: set[str]) -> str:
    # WPS writes its own name into docProps/app.xml; Word writes "Microsoft Office Word".
    if "docProps/app.xml" in names and b"WPS" in zf.read("docProps/app.xml")[:4096]:
        return "WPS 文字文档"
    return "Word 文档"


def _xlsx_layouts(zf: zipfile.ZipFile, names: set[str]) -> dict[str, _Layout]:
    """Sheet name -> layout, for every sheet part named in xl/workbook.xml."""
    targets = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        for el in ElementTree.fromstring(zf.read(rels)).iter():
            if _local(el.tag) == "Relationship":
                targets[el.get("Id")] = el.get("Target", "")
    layouts = {}
    for el in ElementTree.fromstring(zf.read("xl/workbook.xml")).iter():
        if _local(el.tag) != "sheet":
            continue
        # The relationship id is r:id in either the transitional or the strict namespace.
        rel_id = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        target = targets.get(rel_id, "")
        # Readers resolve a target in more than one way: every part it may mean is scanned, so
        # none reaches calamine with an unchecked extent.
        candidates = ("xl/" + target, posixpath.normpath("xl/" + target), target.lstrip("/"))
        parts = [part for part in dict.fromkeys(candidates) if part in names]
        scanned = [_xlsx_layout(zf.read(part)) for part in parts]
        if scanned:
            layouts[el.get("name")] = scanned[0]
    return layouts


# A cell reference attribute, r="B7", in any quoting and spacing XML allows. Not anchored to
# the attribute's start, which is faster; another name ending in r could only widen the check.
CELL_REF = re.compile(rb"""r\s*=\s*["']([A-Z]+)([0-9]+)["']""")
# The start tag of a row element, with or without a namespace prefix (not <rowBreaks>).
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(\s[^>]*)?/?>")
ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d+)["']""")
ROW_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")


def _xlsx_layout(xml: bytes) -> _Layout:
    layout = _Layout()
    refs = CELL_REF.findall(xml)
    if refs:
        layout.height = max(map(int, set(map(itemgetter(1), refs))))
        layout.width = max(map(_column_number, set(map(itemgetter(0), refs))))
        _check_extent(layout.height, layout.width)
    if b"hidden" not in xml:
        return layout
    last = -1
    for match in ROW_TAG.finditer(xml):
        attrs = match.group(1) or b""
        # r is optional: a row without it follows the previous one.
        number = ROW_NUMBER.search(attrs)
        last = int(number.group(1)) - 1 if number else last + 1
        if ROW_HIDDEN.search(attrs):
            layout.hidden_rows.add(last)
    return layout


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


ODS_TABLE_NS = re.compile(
    rb"""xmlns:([\w.-]+)\s*=\s*["']urn:oasis:names:tc:opendocument:xmlns:table:1\.0["']"""
)
# An attribute value may hold a bare ">" (in a formula), so values are matched whole.
TAG_BODY = rb"""((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>"""


def _ods_layouts(zf: zipfile.ZipFile) -> dict[str, _Layout]:
    """Table name -> layout, from the start tags of tables, rows and cells in content.xml.

    A regular expression rather than iterparse, which hands every paragraph of every cell to
    Python: on 10,000 x 12 cells 0.25 s against 0.66 s (calamine itself takes 0.1 s).
    """
    xml = zf.read("content.xml")
    found = {}
    ns = ODS_TABLE_NS.search(xml)
    if not ns:
        return found
    prefix = re.escape(ns.group(1))
    # Only the end tag of a table matters: rows and cells are counted at their start tags.
    tags = re.compile(
        rb"<(?:/" + prefix + rb":table>|" + prefix + rb":(table|table-row|table-cell|"
        rb"covered-table-cell)(?=[\s/>])" + TAG_BODY + rb")"
    )
    attr = re.compile(rb"\s" + prefix + rb""":([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    depth = 0  # a table can nest inside a cell; only the outer table's grid counts
    row = col = repeat = 0
    layout = runs = None
    hidden_runs = {}  # table name -> (first row, count), made rows once the height is known
    for match in tags.finditer(xml):
        tag, body = match.groups()
        if depth == 1 and tag in (b"table-cell", b"covered-table-cell"):
            # Written-out empty cells are self-closing and carry no value type.
            filled = not body.endswith(b"/") or b"value-type" in body
            columns = 1
            if b"ed=" in body:  # repeated or spanned; most cells are neither
                values = _attrs(attr, body)
                columns = int(values.get(b"number-columns-repeated", 1))
                height = int(values.get(b"number-rows-spanned", 1))
                width = int(values.get(b"number-columns-spanned", 1))
                if tag == b"table-cell" and (height > 1 or width > 1):
                    top = row - repeat
                    layout.merged.append((top, col, top + height - 1, col + width - 1))
            col += columns
            if filled:
                # calamine repeats a filled cell and its row as often as they say.
                layout.height = max(layout.height, row)
                layout.width = max(layout.width, col)
                _check_extent(layout.height, layout.width)
        elif depth == 1 and tag == b"table-row":
            values = _attrs(attr, body) if b"ed=" in body or b"visibility" in body else {}
            # Cells count from the row's start; the next row starts after this one's repeats.
            repeat = int(values.get(b"number-rows-repeated", 1))
            if values.get(b"visibility") in (b"collapse", b"filter"):
                runs.append((row, repeat))
            col, row = 0, row + repeat
        elif tag is None:
            depth -= 1
        elif tag == b"table" and not body.endswith(b"/"):
            depth += 1
            if depth == 1:
                layout, runs, row = _Layout(), [], 0
                name = html.unescape(_attrs(attr, body).get(b"name", b"").decode("utf-8"))
                found[name], hidden_runs[name] = layout, runs
    for name, layout in found.items():
        for first, count in hidden_runs[name]:
            layout.hidden_rows.update(range(max(first, 0), min(first + count, layout.height)))
    return found


def _attrs(pattern: re.Pattern, body: bytes) -> dict[bytes, bytes]:
    return {m[1]: m[2] if m[2] is not None else m[3] for m in pattern.finditer(body)}


# --- OLE2 compound files: xls, and the old Word/PowerPoint formats ----------------------


def _read_ole(data: bytes) -> Book:
    try:
        # A file object, never bytes: given short bytes, olefile takes them for a file name.
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {path[0].lower(): path[0] for path in ole.listdir() if len(path) == 1}
        if "encryptioninfo" in streams or "encryptedpackage" in streams:
            raise FileRefused(ENCRYPTED)  # an xlsx/docx saved with a password
        name = streams.get("workbook") or streams.get("book")
        stream = ole.openstream(name).read() if name else None
    except FileRefused:
        raise
    except Exception as exc:
        raise FileRefused(BROKEN) from exc  # not handed to calamine unchecked
    if stream is None:
        if "worddocument" in streams:
            raise FileRefused(_not_a_table("旧版 Word 文档（doc）或 WPS 文字文档"))
        if "powerpoint document" in streams:
            raise FileRefused(_not_a_table("旧版 PowerPoint 演示文稿（ppt）"))
        raise FileRefused(_not_a_table("Office 旧格式文件"))
    layouts = _biff_layouts(stream)
    return Book(kind="xls", sheets=_calamine_sheets(data, layouts))


BOF, FILEPASS, CODEPAGE, BOUNDSHEET, EOF = 0x0809, 0x002F, 0x0042, 0x0085, 0x000A
ROW, DIMENSIONS, MULRK = 0x0208, 0x0200, 0x00BD
BIFF8 = 0x0600
# Records that put a value in a cell (row, column first): FORMULA, NUMBER, LABEL, BOOLERR,
# RK, MULRK, LABELSST, RSTRING. Blank cells do not widen calamine's range.
VALUE_RECORDS = frozenset((0x0006, 0x0203, 0x0204, 0x0205, 0x027E, MULRK, 0x00FD, 0x00D6))
ROW_HIDDEN_BIT = 0x20  # fDyZero in the ROW record's option flags
RECORD_HEADER = struct.Struct("<HH")
CELL_POSITION = struct.Struct("<HH")


def _biff_layouts(stream: bytes) -> dict[str, _Layout]:
    """One walk over the records of an xls workbook stream: refuse a password, and give each
    sheet's hidden rows (ROW records) and extent (value records, DIMENSIONS)."""
    version, encoding, sheets = BIFF8, "cp1252", []
    for kind, pos, size in _biff_records(stream, 0):
        if kind == BOF and size >= 2:
            version = struct.unpack_from("<H", stream, pos)[0]
        elif kind == FILEPASS:
            raise FileRefused(ENCRYPTED)
        elif kind == CODEPAGE and size >= 2:
            encoding = _codec(struct.unpack_from("<H", stream, pos)[0])
        elif kind == BOUNDSHEET and size >= 8:
            sheets.append(pos)
        elif kind == EOF:
            break
    layouts = {}
    for record in sheets:
        # BOUNDSHEET: where the sheet's records start, then its name after two flag bytes.
        offset, length = struct.unpack_from("<I2xB", stream, record)
        if version == BIFF8:  # the name is UTF-16, or Latin-1 with its high bytes left out
            wide = stream[record + 7] & 1
            raw = stream[record + 8 : record + 8 + length * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
        else:  # BIFF5: in the workbook's code page (GBK for Chinese Excel 95)
            name = stream[record + 7 : record + 7 + length].decode(encoding, "replace")
        layout = layouts[name] = _Layout()
        for kind, pos, size in _biff_records(stream, offset):
            if kind in VALUE_RECORDS and size >= 4:
                row, col = CELL_POSITION.unpack_from(stream, pos)
                if kind == MULRK and size >= 6:  # a run of columns; the last one ends it
                    col = struct.unpack_from("<H", stream, pos + size - 2)[0]
                if row >= layout.height or col >= layout.width:
                    layout.height, layout.width = (
                        max(layout.height, row + 1),
                        max(layout.width, col + 1),
                    )
                    _check_extent(layout.height, layout.width)
            elif kind == ROW and size >= 16:
                row, flags = struct.unpack_from("<H10xI", stream, pos)
                if flags & ROW_HIDDEN_BIT:
                    layout.hidden_rows.add(row)
            elif kind == DIMENSIONS:
                _check_dimensions(stream, pos, size)
            elif kind == EOF:
                break
    return layouts


def _codec(codepage: int) -> str:
    try:
        return codecs.lookup(f"cp{codepage}").name
    except LookupError:
        return "cp1252"  # what Excel assumes when the record is missing


def _biff_records(stream: bytes, pos: int):
    """(record type, data offset, data size) of the whole records from pos on."""
    unpack, end = RECORD_HEADER.unpack_from, len(stream) - 4
    while pos <= end:
        kind, size = unpack(stream, pos)
        if pos + size > end:
            return  # a record cut off by the stream's end
        yield kind, pos + 4, size
        pos += 4 + size


def _check_dimensions(stream: bytes, pos: int, size: int) -> None:
    """calamine reserves the cells a DIMENSIONS record announces before reading any; a
    damaged one (first row after the last) made it ask for 686 GB."""
    if size >= 14:  # BIFF8: 32-bit rows
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", stream, pos)
    elif size >= 8:  # BIFF5: 16-bit rows
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", stream, pos)
    else:
        raise FileRefused(BROKEN)
    if first_row > end_row or first_col > end_col:
        raise FileRefused(BROKEN)
    _check_extent(end_row - first_row, end_col - first_col)


# --- cells, through calamine -------------------------------------------------------------


def _calamine_sheets(data: bytes, layouts: dict[str, _Layout]) -> list[Sheet]:
    """calamine's worksheets, with the hidden rows and merges the pre-scan found."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for index, meta in enumerate(workbook.sheets_metadata):
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart, dialog and macro sheets hold no table
        sheet = workbook.get_sheet_by_index(index)
        rows = _grid(sheet.to_python(skip_empty_area=False))
        layout = layouts.get(meta.name) or _Layout()
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]
        sheets.append(
            Sheet(
                name=meta.name,
                rows=rows,
                hidden=meta.visible != SheetVisibleEnum.Visible,
                hidden_rows={r for r in layout.hidden_rows if 0 <= r < len(rows)},
                merged=_clip_merges(merged or layout.merged, rows),
            )
        )
    return sheets


def _grid(raw: list[list]) -> list[list]:
    """Empty cells become None; trailing empty rows and columns go; rows get one width."""
    rows = [[None if value == "" else value for value in row] for row in raw]
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        end = len(row)
        while end > width and row[end - 1] is None:
            end -= 1
        width = max(width, end)
    _check_extent(len(rows), width)  # before padding: a CSV line can hold a million commas
    for i, row in enumerate(rows):
        if len(row) != width:
            rows[i] = row[:width] + [None] * (width - len(row))
    return rows


def _clip_merges(merged, rows: list[list]) -> list[tuple[int, int, int, int]]:
    """Merges whose top-left cell (which holds the value) is in the grid, cut at its edge."""
    height, width = len(rows), len(rows[0]) if rows else 0
    out = []
    for r0, c0, r1, c1 in merged:
        if not (0 <= r0 <= r1 and 0 <= c0 <= c1) or r0 >= height or c0 >= width:
            continue
        r1, c1 = min(r1, height - 1), min(c1, width - 1)
        if (r0, c0) != (r1, c1):
            out.append((r0, c0, r1, c1))
    return sorted(out)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# --- CSV -----------------------------------------------------------------------------------

# C0 controls other than tab, newline, carriage return, form feed and vertical tab.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes) -> str | None:
    """The text of a CSV file, or None if these bytes are not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode 文本" export: UTF-16 with a byte-order mark, tab-separated.
        encodings = ("utf-16",)
    elif b"\x00" in data:
        return None
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # A stray control character can come from a copy-paste; many of them mean binary.
        sample = text[:65536]
        if "\x00" in text or len(CONTROL.findall(sample)) * 100 > len(sample):
            return None
        return text
    return None


def _csv_sheet(text: str) -> Sheet:
    delimiter = _sniff_delimiter(text)
    try:
        raw = [
            [cell or None for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise FileRefused("CSV 文件格式有误，无法读取。" + SAVE_AS) from exc
    return Sheet(name="CSV", rows=_grid(raw), hidden=False, hidden_rows=set(), merged=[])


def _sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one most lines use the same number of times.

    csv.Sniffer is not used: it guesses other characters and is slow on long lines.
    """
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";"):
        counts = [line.count(delimiter) for line in lines]
        nonzero = [n for n in counts if n]
        score = max((nonzero.count(n) for n in set(nonzero)), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- headers -------------------------------------------------------------------------------

# Spaces, line breaks, underscores, dashes, stars and colons inside a header cell are layout,
# not meaning: "活动\n名称", "活动名称：", "*活动名称" are all 活动名称.
_HEADER_NOISE = re.compile(r"[\s_\-*:：/、]")
_BRACKETED = re.compile(r"[(\[【〔<《][^)\]】〕>》]*[)\]】〕>》]")


def fold_header(text) -> str:
    """A header cell as it is compared: NFKC (full-width brackets and letters become ASCII),
    without layout characters, lower case."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text or ""))).lower()


def header_index(columns: dict[str, list | tuple]) -> dict[str, str]:
    """{folded spelling: field} for {field: [spellings seen in real files]}."""
    return {fold_header(alias): name for name, aliases in columns.items() for alias in aliases}


def header_field(text, index: dict[str, str]) -> str | None:
    """The field a header cell names: as written first, then without its bracketed parts
    (服务领域（老年人、残疾人…） → 服务领域, 链接资金(元) → 链接资金, 单位类型(kind) → 单位类型)."""
    folded = fold_header(text)
    if not folded:
        return None
    if folded in index:
        return index[folded]
    bare = fold_header(_BRACKETED.sub("", unicodedata.normalize("NFKC", str(text))))
    return index.get(bare)
