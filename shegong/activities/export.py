"""Exporting the register as seed 002's 附件 1 (盟市社会工作主题宣传活动工作进展情况统计表):
a styled, printable xlsx laid out like the paper form, and a flat CSV."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.properties import PageSetupProperties

from shegong.sheets import BOX, safe_cell

from .models import ServiceDomain

# Text Excel would take as the start of a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COUNT_FORMAT = "#,##0"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

# (key, header, width, kind)
COLUMNS = [
    ("index", "序号", 6, "index"),
    ("unit", "单位", 22, "text"),
    ("name", "活动名称", 24, "text"),
    ("org_text", "参与活动的单位或社会组织（团队）名称", 24, "text"),
    ("participants", "参与人次", 10, "count"),
    ("dates", "活动开展时间", 16, "dates"),
    ("place", "活动地点", 18, "text"),
    ("content", "活动内容", 44, "text"),
    ("domains", "服务领域（老年人、残疾人、妇女、儿童青少年、困难群体等）", 18, "text"),
    ("beneficiaries", "受益人次", 10, "count"),
    ("funds", "链接资金（元）", 14, "money"),
    ("inkind", "链接物资折价（元）", 14, "money"),
    ("remarks", "备注", 16, "text"),
]
LINKED = "链接资源情况"  # over funds and inkind in the first header row
TOTALLED = ("participants", "beneficiaries", "funds", "inkind")
CSV_HEADERS = {"domains": "服务领域"}
SHEET_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")

# How each kind of cell looks: keyword arguments for _look().
LOOKS = {
    "title": {"bold": True, "size": 16, "horizontal": "center", "border": False},
    "line": {"horizontal": "left", "border": False},
    "head": {"bold": True, "horizontal": "center"},
    "index": {"horizontal": "center"},
    "text": {"horizontal": "left"},
    "count": {"fmt": COUNT_FORMAT},
    "money": {"fmt": MONEY_FORMAT},
    "date": {"horizontal": "center", "fmt": DATE_FORMAT},
    "dates": {"horizontal": "center"},
}

# XML readers turn a raw carriage return into a line feed and cannot hold other control
# characters at all. OOXML writes them as _xHHHH_ (and a literal _xHHHH_ as _x005F_xHHHH_),
# as Excel does; Excel, WPS and calamine decode them back to the same text.
OOXML_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")


def _ooxml_char(match):
    found = match.group()
    return f"_x{ord(found):04X}_" if len(found) == 1 else "_x005F" + found


def _ooxml(text):
    return OOXML_ESCAPE.sub(_ooxml_char, text)


def columns_for(unit_column):
    return [c for c in COLUMNS if unit_column or c[0] != "unit"]


def day_text(d):
    return f"{d.year}年{d.month}月{d.day}日"


def _dates(activity):
    """A one-day activity is its date; a longer one the text 'start至end'."""
    if activity.date_end and activity.date_end != activity.date_start:
        return f"{day_text(activity.date_start)}至{day_text(activity.date_end)}"
    return activity.date_start


def _domain_text(activity, domains):
    names = [d.name for d in domains if activity.domain_mask & d.mask]
    if activity.other_domains:
        names.append(activity.other_domains)
    return "、".join(names)


def row_values(activity, index, domains):
    return {
        "index": index,
        "unit": activity.unit.name,
        "name": activity.name,
        "org_text": activity.org_text,
        "participants": activity.participants,
        "dates": _dates(activity),
        "place": activity.place,
        "content": activity.content,
        "domains": _domain_text(activity, domains),
        "beneficiaries": activity.beneficiaries,
        "funds": activity.funds,
        "inkind": activity.inkind,
        "remarks": activity.remarks,
    }


def sum_row(activities):
    totals = {"participants": 0, "beneficiaries": 0, "funds": Decimal(0), "inkind": Decimal(0)}
    for a in activities:
        for key in TOTALLED:
            value = getattr(a, key)
            if value is not None:
                totals[key] += value
    for key in ("funds", "inkind"):
        totals[key] = totals[key].quantize(Decimal("0.01"))
    return totals


# What the form shows, and what per-unit sheets need of the unit.
FIELDS = ["name", "org_text", "participants", "date_start", "date_end", "place", "content"]
FIELDS += ["domain_mask", "other_domains", "beneficiaries", "funds", "inkind", "remarks"]
FIELDS += ["unit__name", "unit__short_name", "unit__path"]


def prepare(activities):
    if isinstance(activities, QuerySet):
        # Building full model instances is most of the time a large export takes.
        activities = activities.select_related("unit").only(*FIELDS)
    # Loaded once per export: domain_names() would query for every row.
    return list(activities), list(ServiceDomain.objects.all())


def _look(cell, *, bold=False, size=None, horizontal=None, border=True, fmt=None, quoted=False):
    if bold or size:
        cell.font = Font(bold=bold, size=size)
    cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    if border:
        cell.border = BOX
    if fmt:
        cell.number_format = fmt
    if quoted:
        cell.quotePrefix = True


def _put(sheet, row, column, value, look):
    """Write one cell through openpyxl (titles, headers, 合计). Text that would start a
    formula stays the same text, as an explicit string with the quote prefix, so Excel and
    WPS neither evaluate it on opening nor when someone edits the cell."""
    cell = sheet.cell(row=row, column=column)
    quoted = isinstance(value, str) and value.startswith(FORMULA_START)
    cell.value = _ooxml(value) if isinstance(value, str) else value
    if quoted:
        cell.data_type = "s"
    _look(cell, **LOOKS[look], quoted=quoted)
    return cell


class _StyleIds:
    """The workbook's index of each look, registered once: the data rows are written as
    XML directly and name their style by this index."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.ids = {}

    def __call__(self, look, quoted=False):
        if (look, quoted) not in self.ids:
            proto = Cell(self.sheet)  # never added to the sheet
            _look(proto, **LOOKS[look], quoted=quoted)
            self.ids[look, quoted] = proto.style_id
        return self.ids[look, quoted]


def _text_xml(ref, value, style_ids, look):
    quoted = value.startswith(FORMULA_START)
    text = _ooxml(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    s = style_ids(look, quoted)
    return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _rows_xml(activities, domains, columns, first_row, style_ids):
    """The data rows as <row> elements. openpyxl takes about 35 µs a cell to hold and write
    one (4–5 s for 10,000 activities); this takes a fraction of that for the same XML."""
    plan = [
        (key, get_column_letter(n), kind, style_ids(kind))
        for n, (key, _, _, kind) in enumerate(columns, 1)
    ]
    date_id = style_ids("date")
    parts = []
    for index, activity in enumerate(activities, 1):
        r = first_row + index - 1
        values = row_values(activity, index, domains)
        parts.append(f'<row r="{r}">')
        for key, letter, look, s in plan:
            value = values[key]
            ref = f"{letter}{r}"
            if value is None or value == "":
                parts.append(f'<c r="{ref}" s="{s}"/>')
            elif isinstance(value, str):
                parts.append(_text_xml(ref, value, style_ids, look))
            elif isinstance(value, date):
                parts.append(f'<c r="{ref}" s="{date_id}"><v>{to_excel(value):.0f}</v></c>')
            elif isinstance(value, Decimal):
                parts.append(f'<c r="{ref}" s="{s}"><v>{value:f}</v></c>')
            else:
                parts.append(f'<c r="{ref}" s="{s}"><v>{value}</v></c>')
        parts.append("</row>")
    return "".join(parts)


def _write_sheet(sheet, style_ids, activities, domains, *, title, lines, unit_column):
    """Lay out one sheet; returns (XML of the data rows, the row they go before)."""
    columns = columns_for(unit_column)
    last = get_column_letter(len(columns))
    _put(sheet, 1, 1, title, "title")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 36
    row = 1
    for text in lines:
        row += 1
        _put(sheet, row, 1, text, "line")
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.row_dimensions[row].height = 20

    top, sub = row + 1, row + 2
    for n, (key, header, width, _) in enumerate(columns, 1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = width
        if key in ("funds", "inkind"):
            _put(sheet, top, n, LINKED if key == "funds" else None, "head")
            _put(sheet, sub, n, header, "head")
        else:
            _put(sheet, top, n, header, "head")
            _put(sheet, sub, n, None, "head")
            sheet.merge_cells(f"{letter}{top}:{letter}{sub}")
    keys = [key for key, *_ in columns]
    funds_at = get_column_letter(keys.index("funds") + 1)
    inkind_at = get_column_letter(keys.index("inkind") + 1)
    sheet.merge_cells(f"{funds_at}{top}:{inkind_at}{top}")
    sheet.row_dimensions[top].height = 36
    sheet.row_dimensions[sub].height = 36

    total_row = sub + len(activities) + 1
    totals = sum_row(activities)
    for n, (key, _, _, kind) in enumerate(columns, 1):
        if key == "index":
            _put(sheet, total_row, n, "合计", "head")
        else:
            _put(sheet, total_row, n, totals.get(key), kind)

    sheet.freeze_panes = f"A{sub + 1}"
    sheet.print_title_rows = f"{top}:{sub}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return _rows_xml(activities, domains, columns, sub + 1, style_ids), total_row


def _sheet_names(units):
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    taken, names = set(), {}
    for unit in units:
        base = (unit.short_name or unit.name).translate(SHEET_FORBIDDEN).strip("' ") or "单位"
        base = base[:31]
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f"({n})"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        names[unit.pk] = name
    return names


def _with_rows(data, inserts):
    """Put each sheet's data rows into the saved file, before its 合计 row."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in inserts:
                rows, before = inserts[item.filename]
                xml = content.decode("utf-8")
                at = xml.index(f'<row r="{before}"')
                content = (xml[:at] + rows + xml[at:]).encode("utf-8")
            target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def attachment1_xlsx(
    activities,
    *,
    title: str,
    filler: str = "",
    filled_on: date | None = None,
    addressee: str = "",
    unit_column: bool = False,
    per_unit: bool = False,
) -> bytes:
    """附件 1 as xlsx. `per_unit` writes one sheet (with its own 合计) per unit in tree order;
    `unit_column` adds a 单位 column after 序号. `filled_on` defaults to today."""
    activities, domains = prepare(activities)
    filled_on = filled_on or timezone.localdate()
    lines = [addressee] if addressee else []
    lines += [f"填报人及手机号码：{filler}", f"填报时间：{day_text(filled_on)}"]

    book = Workbook()
    first = book.active
    style_ids = _StyleIds(first)
    if per_unit and activities:
        groups = {}
        for a in activities:
            groups.setdefault(a.unit_id, (a.unit, []))[1].append(a)
        ordered = sorted(groups.values(), key=lambda g: (g[0].path, g[0].pk))
        names = _sheet_names([unit for unit, _ in ordered])
        sheets = []
        for n, (unit, rows) in enumerate(ordered):
            sheet = first if n == 0 else book.create_sheet()
            sheet.title = names[unit.pk]
            sheets.append((sheet, rows, f"{title}（{unit.name}）"))
    else:
        first.title = "附件1"
        sheets = [(first, activities, title)]

    written = []
    for sheet, rows, sheet_title in sheets:
        xml = _write_sheet(
            sheet,
            style_ids,
            rows,
            domains,
            title=sheet_title,
            lines=lines,
            unit_column=unit_column,
        )
        written.append((sheet, xml))
    out = io.BytesIO()
    book.save(out)
    # A sheet's part name is known once it has been saved.
    inserts = {sheet.path.lstrip("/"): xml for sheet, xml in written if xml[0]}
    return _with_rows(out.getvalue(), inserts) if inserts else out.getvalue()


def _csv_value(key, value):
    if value is None:
        return ""
    if isinstance(value, date):
        return day_text(value)
    if key in ("funds", "inkind"):
        return f"{value:.2f}"
    return safe_cell(value)


def attachment1_csv(activities, *, unit_column: bool = False) -> bytes:
    """附件 1 as one flat table: UTF-8 with BOM (so Excel reads the Chinese), CRLF, a 合计
    row last. Text that would start a formula gets a leading apostrophe."""
    activities, domains = prepare(activities)
    columns = columns_for(unit_column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([CSV_HEADERS.get(key, header) for key, header, *_ in columns])
    for index, activity in enumerate(activities, 1):
        values = row_values(activity, index, domains)
        writer.writerow([_csv_value(key, values[key]) for key, *_ in columns])
    totals = sum_row(activities)
    writer.writerow(
        ["合计" if key == "index" else _csv_value(key, totals.get(key)) for key, *_ in columns]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
