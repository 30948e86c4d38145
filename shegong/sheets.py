"""Writing spreadsheets people open in Excel or WPS: styled, and safe to open."""

import io
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def safe_cell(value):
    """Text that Excel would run as a formula (= + - @, or a leading tab/CR) is prefixed
    with an apostrophe-like quote so it stays text when a bureau opens the file."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_table(sheet, header, rows, *, start_row=1):
    for col, title in enumerate(header, 1):
        cell = sheet.cell(row=start_row, column=col, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for r, row in enumerate(rows, start_row + 1):
        for col, value in enumerate(row, 1):
            cell = sheet.cell(row=r, column=col, value=safe_cell(value))
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if hasattr(value, "year") and not isinstance(value, str):
                cell.number_format = 'yyyy"年"m"月"d"日"'
    for col, title in enumerate(header, 1):
        sheet.column_dimensions[get_column_letter(col)].width = max(10, min(40, len(title) * 2 + 4))


def workbook_bytes(title, header, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    write_table(sheet, header, rows)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def workbook_response(filename, title, header, rows):
    response = HttpResponse(workbook_bytes(title, header, rows), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
