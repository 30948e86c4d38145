"""The 审计管理员's pages: the log with its filters, and its export to xlsx. Nobody can
change the log here or anywhere else; the 系统管理员 cannot read it (三员分立)."""

import io
import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from shegong.sheets import XLSX, safe_cell

from . import selectors
from .forms import AuditFilterForm
from .services import record_event

PER_PAGE = 50
EXPORT_MAX_ROWS = 100_000  # past this the file is too big to open; narrow the filter
SHOWN_CHARS = 60


def _filtered(request):
    """(form, events): the filter form over request.GET, and the events it selects (none
    when the filter is not valid)."""
    selectors.require_reader(request.user)
    form = AuditFilterForm(
        request.GET or None,
        actions=selectors.action_choices(),
        object_types=selectors.object_type_choices(),
    )
    if not form.is_bound:
        return form, selectors.events_for(request.user)
    if not form.is_valid():
        return form, selectors.events_for(request.user).none()
    data = form.cleaned_data
    events = selectors.events_for(
        request.user,
        date_from=data["date_from"],
        date_to=data["date_to"],
        user_name=data["user"].strip(),
        unit=data["unit"],
        action=data["action"].strip(),
        object_type=data["object_type"].strip(),
        q=data["q"].strip(),
    )
    return form, events


def _short(value):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def changes(event):
    """[(key, before, after)] to show one event's change compactly: "" where a side has no
    value. Non-dict values show under the key ""."""
    before, after = event.before, event.after
    if before is None and after is None:
        return []
    if not isinstance(before, dict | None) or not isinstance(after, dict | None):
        return [("", _short(before) if before is not None else "", _short(after))]
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        (
            key,
            _short(before[key]) if key in before else "",
            _short(after[key]) if key in after else "",
        )
        for key in keys
    ]


@login_required
def audit_list(request):
    """审计管理员 reads the whole log; nobody can change it."""
    form, events = _filtered(request)
    page = Paginator(events.select_related("unit"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(event, changes(event)) for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/list.html", {"form": form, "page": page, "rows": rows, "query": query}
    )


HEADER = [
    "序号",
    "时间",
    "账号",
    "单位",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "修改前",
    "修改后",
    "IP地址",
    "哈希",
]
WIDTHS = [10, 20, 16, 24, 24, 18, 10, 30, 40, 40, 16, 20]


def _cells(event):
    def text(value):
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    return [
        event.seq,
        timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        event.username,
        event.unit.name if event.unit_id else "",
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        text(event.before),
        text(event.after),
        event.ip or "",
        event.hash,
    ]


def workbook_bytes(events):
    """The events as one xlsx sheet, written row by row (write-only: flat memory); every text
    cell through safe_cell, so nothing in it runs as a formula when opened."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计日志")
    for col, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, title) for title in HEADER])
    count = 0
    for event in events.select_related("unit").iterator(chunk_size=2000):
        sheet.append([safe_cell(value) for value in _cells(event)])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


@login_required
def audit_export(request):
    """The filtered log as xlsx. The export is itself an audit event: who took what."""
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "筛选条件有误，请改正后再导出。")
        return redirect(f"{reverse('audit_list')}?{request.GET.urlencode()}")
    total = events.count()
    if total > EXPORT_MAX_ROWS:
        messages.error(
            request,
            f"筛选结果有 {total:,} 条，超过一次导出的上限 {EXPORT_MAX_ROWS:,} 条，"
            "请缩小时间范围后分批导出。",
        )
        return redirect(f"{reverse('audit_list')}?{request.GET.urlencode()}")
    content, count = workbook_bytes(events)
    record_event(
        action="audit.exported",
        by=request.user,
        after={"filters": form.used() if form.is_bound else {}, "rows": count},
    )
    name = quote(f"审计日志-{timezone.localtime():%Y%m%d-%H%M}.xlsx")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
