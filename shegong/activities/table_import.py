"""Import the Attachment 1 table (seed 002) as stations really send it.

plan_import() reads a file and decides, row by row, what would be stored, what is rejected
and why (row as Excel shows it, column header, value, reason) and what is skipped; nothing is
written. apply_plan() stores a plan's accepted rows through record_activity/update_activity
in one transaction: all of them or none. The same unit + name + start date + place is the
same activity, so uploading a file again updates (with a version row) instead of duplicating.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from shegong.workbooks import FileRefused, read_workbook

from . import services
from .cells import CellError, parse_count, parse_dates, parse_money, parse_text
from .models import Activity, Linkage
from .sheets import write_table
from .validation import MOBILE, check_activity, domain_names, lists_read_once

# field -> header spellings seen in real files; folded with _fold() before comparing.
COLUMNS = {
    "seq": ["序号", "编号", "序"],
    "name": ["活动名称", "活动主题", "活动标题", "名称"],
    "org_text": [
        "参与活动的单位或社会组织（团队）名称",
        "参与活动的单位或社会组织名称",
        "参与单位或社会组织",
        "参与单位",
        "参与活动单位",
        "组织单位",
        "承办单位",
        "主办单位",
    ],
    "participants": ["参与人次", "参与人数", "参加人次", "参加人数"],
    "dates": ["活动开展时间", "活动时间", "开展时间", "活动日期", "日期", "时间"],
    "place": ["活动地点", "地点", "开展地点"],
    "content": ["活动内容", "内容", "活动简介", "主要内容"],
    "domains": ["服务领域", "服务对象", "服务领域类别"],
    "beneficiaries": ["受益人次", "服务人次", "受益人数", "服务人数", "受益群众人次"],
    "funds": ["链接资金", "链接资金（元）", "资金"],
    "inkind": ["链接物资折价", "物资折价", "链接物资折价（元）", "链接物资"],
    "remarks": ["备注"],
    "activity_type": ["活动形式", "活动类型"],
    "mode": ["线上线下", "线上/线下", "开展方式"],
    "linkage": ["五社联动"],
}
# Columns we write ourselves (the rejected-rows file, a subtree export) and do not import.
IGNORED = {"错误原因": "reason", "原行号": "origin", "单位": "unit"}
REQUIRED = ("name", "dates")
MODES = {"线上": "online", "线下": "offline", "线上+线下": "both", "线上线下": "both"}
TOTAL_WORDS = ("合计", "总计", "小计")
FOOTER = re.compile(r"^(填表)?说明|^注[:：]|^备注[:：]")
FILLER = re.compile(r"填报人(及手机号码|及联系方式|及电话)?\s*[:：]?\s*(.*)")
YEAR_LINE = re.compile(r"^年份\s*[:：]\s*(\d{4})")
FILLED_ON = re.compile(r"填报(时间|日期)\s*[:：]?\s*(.*)")
SPLIT_DOMAINS = re.compile(r"[、,，;；/\s]+")
HEADER_SCAN = 20  # rows from the top where the header may be
_BRACKETED = re.compile(r"[(（\[【〔<《][^)）\]】〕>》]*[)）\]】〕>》]")
_NOISE = re.compile(r"[\s_\-*:：/、]")


def _fold(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    return _NOISE.sub("", text).lower()


def _header_field(text):
    """The field a header cell names: exact spelling first, then without brackets
    (服务领域（老年人、残疾人…）, 链接资金(元))."""
    folded = _fold(text)
    if not folded:
        return None
    for candidate in (folded, _fold(_BRACKETED.sub("", unicodedata.normalize("NFKC", text)))):
        if candidate in _HEADERS:
            return _HEADERS[candidate]
    return None


_HEADERS = {_fold(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
_HEADERS.update({_fold(k): v for k, v in IGNORED.items()})
LABELS = {name: aliases[0] for name, aliases in COLUMNS.items()}


@dataclass
class Row:
    number: int  # as Excel shows it
    data: dict
    warnings: list = field(default_factory=list)  # (column, message)
    status: str = "new"  # new / changed / unchanged
    existing: Activity | None = None
    differs: list = field(default_factory=list)  # stored fields this row would change


@dataclass
class Plan:
    verdict: str = "no_rows"  # import / reject_file / no_rows
    message: str = ""
    kind: str = ""
    sheet: str = ""
    filler_name: str = ""
    filler_mobile: str = ""
    year: int | None = None
    filled_year: int | None = None  # from the 填报时间 line, when nothing else gives a year
    columns: list = field(default_factory=list)  # (index, header text, field or None)
    header_rows: list = field(default_factory=list)  # the header as it is in the file
    accepted: list = field(default_factory=list)  # Row
    rejected: list = field(default_factory=list)  # {row, column, value, message, cells}
    skipped: list = field(default_factory=list)  # {row, reason}
    warnings: list = field(default_factory=list)  # {row, column, message}

    def warn(self, message, row=None, column=None):
        self.warnings.append({"row": row, "column": column, "message": message})

    @property
    def counts(self):
        statuses = [r.status for r in self.accepted]
        return {s: statuses.count(s) for s in ("new", "changed", "unchanged")}

    @property
    def totals(self):
        def total(key, zero):
            return sum((r.data.get(key) or zero for r in self.accepted), zero)

        return {
            "participants": total("participants", 0),
            "beneficiaries": total("beneficiaries", 0),
            "funds": total("funds", Decimal("0.00")),
            "inkind": total("inkind", Decimal("0.00")),
        }


# ----------------------------------------------------------------------------- reading


def _fill_merged(sheet):
    """A merged cell holds its value in the top-left corner only; every cell it covers means
    the same (链接资源情况 over two columns, one 参与单位 for several rows)."""
    rows = sheet.rows
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = value


def _find_header(rows):
    """(row index, number of header rows, columns) of the best header near the top."""
    best = None
    for i, row in enumerate(rows[:HEADER_SCAN]):
        fields = {_header_field(v) for v in row if isinstance(v, str)} - {None}
        if not set(REQUIRED) <= fields and len(fields) < 3:
            continue
        score = len(fields)
        if best is None or score > best[0]:
            best = (score, i)
    if best is None:
        return None
    top = best[1]
    below = rows[top + 1] if top + 1 < len(rows) else []
    columns, two_rows = [], False
    for c, upper in enumerate(rows[top]):
        lower = below[c] if c < len(below) else None
        lower_field = _header_field(lower) if isinstance(lower, str) else None
        upper_field = _header_field(upper) if isinstance(upper, str) else None
        if lower_field and lower != upper:
            two_rows = True
        chosen = lower_field or upper_field
        text = parse_text(lower if lower_field else upper) or parse_text(lower)
        columns.append((c, text, chosen))
    return top, 2 if two_rows else 1, columns


def _title_lines(plan, rows):
    for row in rows:
        line = " ".join(parse_text(v) for v in row if parse_text(v))
        if found := FILLER.search(line):
            rest = found.group(2)
            mobile = MOBILE.search(rest)
            plan.filler_mobile = mobile.group(0) if mobile else ""
            name = MOBILE.sub("", rest)
            plan.filler_name = re.sub(r"[\s,，;；/、:：()（）]+", " ", name).strip()[:50]
        if found := YEAR_LINE.search(line):
            plan.filled_year = plan.filled_year or int(found.group(1))
        if found := FILLED_ON.search(line):
            try:
                day = parse_dates(found.group(2))
            except CellError:
                day = None
            if day and not plan.filled_year:
                plan.filled_year = day[0].year


def _pick_sheet(plan, book):
    found = []
    for sheet in book.sheets:
        if sheet.hidden:
            plan.warn(f"隐藏的工作表“{sheet.name}”未导入。")
            continue
        _fill_merged(sheet)
        header = _find_header(sheet.rows)
        if header:
            found.append((sheet, header))
    if not found:
        return None, None
    sheet, header = found[0]
    if len(book.sheets) > 1:
        plan.warn(f"从工作表“{sheet.name}”导入。")
    for other, _ in found[1:]:
        plan.warn(f"工作表“{other.name}”也有活动表头，未导入；如需导入请单独上传。")
    return sheet, header


# ----------------------------------------------------------------------------- rows


def _row_kind(values, by_field):
    """'blank', 'seq' (only a 序号), 'total', 'footer' or 'data'."""
    filled = [v for v in values if parse_text(v)]
    if not filled:
        return "blank"
    first = parse_text(filled[0])
    if any(first.replace(" ", "").startswith(word) for word in TOTAL_WORDS):
        return "total"
    if FOOTER.match(first.replace(" ", "")):
        return "footer"
    seq = by_field.get("seq")
    if seq is not None and len(filled) == 1 and values[seq] is not None:
        return "seq"
    return "data"


def _domains(text):
    return [t for t in SPLIT_DOMAINS.split(text) if t]


def _raw_row(plan, values, columns, number, extra):
    """The row as check_activity's input, or the first cell error."""
    raw, errors = {}, []
    for c, header, name in columns:
        value = values[c] if c < len(values) else None
        try:
            if name in ("participants", "beneficiaries"):
                raw[name] = parse_count(value)
            elif name in ("funds", "inkind"):
                raw[name] = parse_money(value)
            elif name == "dates":
                days = parse_dates(value, year=plan.year)
                raw["date_start"], raw["date_end"] = days or (None, None)
            elif name == "domains":
                raw["domains"] = _domains(parse_text(value))
            elif name == "linkage":
                raw["linkage"] = _domains(parse_text(value))
            elif name == "mode":
                text = parse_text(value)
                raw["mode"] = MODES.get(text.replace(" ", ""), text)
            elif name in ("name", "org_text", "place", "content", "remarks", "activity_type"):
                raw[name] = parse_text(value)
        except CellError as e:
            errors.append((header, value, str(e)))
    notes = [f"{header}：{parse_text(values[c])}" for c, header in extra if parse_text(values[c])]
    if notes:
        raw["remarks"] = "；".join(filter(None, [raw.get("remarks", ""), *notes]))
    raw.setdefault("filler_name", plan.filler_name)
    raw.setdefault("filler_mobile", plan.filler_mobile)
    return raw, errors


# column field -> the stored fields it fills
STORES = {
    "dates": ("date_start", "date_end"),
    "domains": ("domain_mask", "other_domains"),
}


def present_fields(plan):
    """The stored fields this file has a column for: an update changes only these."""
    names = {name for _, _, name in plan.columns if name}
    out = set()
    for name in names - {"seq", "unit", "reason", "origin"}:
        out.update(STORES.get(name, (name,)))
    if any(not name and header for _, header, name in plan.columns):
        out.add("remarks")
    # The 填报人 line names whoever sent this file; it is kept on new rows but is not a
    # change to an activity someone else entered (an export carries the exporter's name).
    return out


def _field_column(plan, name):
    if name in ("date_start", "date_end"):
        name = "dates"
    if name == "other_domains":
        name = "domains"
    for _, header, field_name in plan.columns:
        if field_name == name:
            return header
    return LABELS.get(name, name)


def _reject(plan, number, values, column, value, message):
    plan.rejected.append(
        {
            "row": number,
            "column": column,
            "value": "" if value is None else parse_text(value),
            "message": message,
            "cells": values,
        }
    )


def _check_total(plan, number, values, columns, since):
    """A 合计 row must equal the sum of the rows above it; warn when it does not."""
    rows = plan.accepted[since:]
    parsers = {"participants": parse_count, "beneficiaries": parse_count}
    parsers |= {"funds": parse_money, "inkind": parse_money}
    for c, header, name in columns:
        if name not in parsers or c >= len(values):
            continue
        try:
            stated = parsers[name](values[c])
        except CellError:
            continue
        if stated is None:
            continue
        zero = Decimal("0.00") if name in ("funds", "inkind") else 0
        summed = sum((r.data.get(name) or zero for r in rows), zero)
        if stated != summed:
            plan.warn(
                f"合计行的“{header}”为 {stated}，上面各行相加为 {summed}，请核对。", number, header
            )


def _read_rows(plan, sheet, top, height, progress=None):
    columns = plan.columns
    by_field = {name: c for c, _, name in columns if name}
    extra = [(c, header) for c, header, name in columns if not name and header]
    for _, header in extra:
        plan.warn(f"未识别的列“{header}”：内容已记入“备注”。", None, header)
    if "unit" in by_field:
        plan.warn("“单位”列不导入：所有活动都记入本单位。", None, "单位")
    seen, since, footer = {}, 0, False
    for i in range(top + height, len(sheet.rows)):
        values, number = sheet.rows[i], i + 1
        if progress and i % 500 == 0:
            progress(i, len(sheet.rows))
        kind = _row_kind(values, by_field)
        if kind == "blank":
            continue
        if footer or kind == "footer":
            footer = True
            plan.skipped.append({"row": number, "reason": "说明文字"})
            continue
        if i in sheet.hidden_rows:
            plan.skipped.append({"row": number, "reason": "隐藏行"})
            plan.warn(f"第 {number} 行是隐藏行，未导入。", number)
            continue
        if kind == "seq":
            plan.skipped.append({"row": number, "reason": "只有序号的空行"})
            continue
        if kind == "total":
            plan.skipped.append({"row": number, "reason": "合计行"})
            _check_total(plan, number, values, columns, since)
            since = len(plan.accepted)
            continue
        _one_row(plan, values, number, extra, seen)


def _one_row(plan, values, number, extra, seen):
    raw, errors = _raw_row(plan, values, plan.columns, number, extra)
    if errors:
        for column, value, message in errors:
            _reject(plan, number, values, column, value, message)
        return
    for name in REQUIRED:
        if name == "dates" and raw.get("date_start") is None:
            column = _field_column(plan, "dates")
            _reject(plan, number, values, column, None, "请填写活动开展时间。")
            return
    checked = check_activity(raw)
    if not checked.ok:
        for name, messages in checked.errors.items():
            column = _field_column(plan, name)
            value = raw.get(name)
            _reject(plan, number, values, column, value, "；".join(messages))
        return
    key = (checked.data["name"], checked.data["date_start"], checked.data["place"])
    if key in seen:
        plan.skipped.append({"row": number, "reason": f"与第 {seen[key]} 行是同一活动"})
        plan.warn(f"与第 {seen[key]} 行的活动名称、开始日期和地点都相同，未重复导入。", number)
        return
    seen[key] = number
    row = Row(number, checked.data)
    for name, message in checked.warnings:
        row.warnings.append((_field_column(plan, name), message))
        plan.warn(message, number, _field_column(plan, name))
    plan.accepted.append(row)


# ----------------------------------------------------------------------------- plan


def plan_import(data, *, unit, year=None, max_rows=None, progress=None):
    """Everything the preview shows, from the file's bytes; stores nothing."""
    plan = Plan(year=year)
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    try:
        book = read_workbook(data)
    except FileRefused as e:
        return _refuse(plan, str(e))
    plan.kind = book.kind
    with lists_read_once():
        sheet, header = _pick_sheet(plan, book)
        if sheet is None:
            return _refuse(
                plan,
                "没有找到活动统计表的表头：表格前几行中须有“活动名称”和“活动开展时间”等列名"
                "（可参照附件1的表样）。",
            )
        top, height, columns = header
        plan.sheet, plan.columns = sheet.name, columns
        filled = sum(1 for row in sheet.rows[top + height :] if any(v is not None for v in row))
        if filled > max_rows:
            return _refuse(
                plan,
                f"文件有 {filled:,} 行，超过一次最多导入的 {max_rows:,} 行，请分成几个文件导入。",
            )
        plan.header_rows = [list(sheet.rows[r]) for r in range(top, top + height)]
        _title_lines(plan, sheet.rows[:top])
        if plan.year is None and plan.filled_year:
            plan.year = plan.filled_year
        _read_rows(plan, sheet, top, height, progress)
        _compare(plan, unit)
    if plan.accepted:
        plan.verdict = "import"
        counts = plan.counts
        plan.message = (
            f"可导入 {len(plan.accepted)} 行（新增 {counts['new']}，修改 {counts['changed']}，"
            f"未变 {counts['unchanged']}），退回 {len({r['row'] for r in plan.rejected})} 行。"
        )
    else:
        plan.verdict = "no_rows"
        plan.message = "没有可以导入的活动行。"
    return plan


def _refuse(plan, message):
    plan.verdict, plan.message = "reject_file", message
    return plan


def _compare(plan, unit):
    """Mark each accepted row new, changed or unchanged against what the unit has."""
    if not plan.accepted:
        return
    starts = [r.data["date_start"] for r in plan.accepted]
    existing = {
        (a.name, a.date_start, a.place): a
        for a in Activity.objects.filter(
            unit=unit, deleted_at__isnull=True, date_start__range=(min(starts), max(starts))
        ).select_related("activity_type")
    }
    present = present_fields(plan)
    for row in list(plan.accepted):
        found = existing.get((row.data["name"], row.data["date_start"], row.data["place"]))
        if found is None:
            continue
        row.existing = found
        differs = [k for k in present if getattr(found, k) != row.data[k]]
        row.differs = differs
        same = not differs
        row.status = "unchanged" if same else "changed"
        if row.status == "changed" and found.locked_at:
            plan.accepted.remove(row)
            _reject(plan, row.number, [], "活动名称", row.data["name"], services.LOCKED)


def _service_data(values):
    """check_activity's output in the shape of its input (names and lists, not masks)."""
    data = dict(values)
    data["domains"] = domain_names(data.pop("domain_mask"))
    data["linkage"] = [bit for bit in Linkage.values if data["linkage"] & bit]
    return data


def _update_data(row, present):
    """Fields the file has no column for keep their stored value."""
    stored = {f: getattr(row.existing, f) for f in services.STORED}
    return _service_data({**stored, **{k: row.data[k] for k in present}})


@transaction.atomic
def apply_plan(plan, *, unit, by, notice=None, source=""):
    """Store the plan's accepted rows in one transaction; returns (new, changed)."""
    present = present_fields(plan)
    changed = [r for r in plan.accepted if r.status == "changed"]
    with lists_read_once():
        fresh = [_service_data(r.data) for r in plan.accepted if r.status == "new"]
        if fresh:
            services.record_activities(unit=unit, rows=fresh, by=by, notice=notice, source=source)
        for row in changed:
            data = _update_data(row, present)
            services.update_activity(activity=row.existing, data=data, by=by)
    return len(fresh), len(changed)


# ----------------------------------------------------------------------------- output


def _money_text(value):
    return None if value is None else f"{value:.2f}"


def _accepted_json(row):
    d = row.data
    return {
        "row": row.number,
        "name": d["name"],
        "org": d["org_text"],
        "participants": d["participants"],
        "beneficiaries": d["beneficiaries"],
        "funds": _money_text(d["funds"]),
        "inkind": _money_text(d["inkind"]),
        "date_start": d["date_start"].isoformat(),
        "date_end": d["date_end"].isoformat(),
        "place": d["place"],
        "domains": domain_names(d["domain_mask"]),
        "other_domains": [x for x in d["other_domains"].split("、") if x],
    }


REJECTED_KEYS = ("row", "column", "value", "message")


def as_json(plan, *, preview=False):
    """The plan as the CLI prints it; `preview` adds what the browser preview needs
    (each row's status, the rejected rows' cells, the header) for the stored summary."""
    with lists_read_once():
        return _as_json(plan, preview)


def _as_json(plan, preview):
    totals = plan.totals
    out = {
        "verdict": plan.verdict,
        "message": plan.message,
        "sheet": plan.sheet,
        "accepted": [_accepted_json(r) for r in plan.accepted],
        "rejected": [{k: r[k] for k in REJECTED_KEYS} for r in plan.rejected],
        "skipped": plan.skipped,
        "warnings": plan.warnings,
        "totals": {
            "participants": totals["participants"],
            "beneficiaries": totals["beneficiaries"],
            "funds": _money_text(totals["funds"]),
            "inkind": _money_text(totals["inkind"]),
        },
    }
    if preview:
        for item, row in zip(out["accepted"], plan.accepted, strict=True):
            item["status"] = row.status
        for item, row in zip(out["rejected"], plan.rejected, strict=True):
            item["cells"] = [parse_text(v) for v in row["cells"]]
        out["counts"] = plan.counts
        out["columns"] = [header for _, header, _ in plan.columns]
        out["header"] = [[parse_text(v) for v in row] for row in plan.header_rows]
        out["filler"] = [plan.filler_name, plan.filler_mobile]
        out["kind"] = plan.kind
        out["year"] = plan.year
    return out


def rejects_workbook(summary, filename):
    """The rejected rows as they were, with the reason beside each: fix, save, upload again.
    The importer reads this file like any other (it ignores 错误原因 and 原行号)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "退回修改"
    columns = [*summary.get("columns", []), "错误原因", "原行号"]
    sheet.append([f"退回修改的活动（原文件：{filename}）"])
    name, mobile = summary.get("filler") or ["", ""]
    sheet.append([f"填报人及手机号码：{name} {mobile}".strip()])
    if summary.get("year"):
        sheet.append([f"年份：{summary['year']}（表中日期没写年份的，按这一年）"])
    header_row = sheet.max_row + 1
    by_row = {}
    for item in summary.get("rejected", []):
        by_row.setdefault(item["row"], (item["cells"], []))[1].append(
            f"“{item['column']}”{item['message']}" if item["column"] else item["message"]
        )
    rows = []
    for number, (cells, reasons) in sorted(by_row.items()):
        cells = (list(cells) + [""] * len(columns))[: len(columns) - 2]
        rows.append([c or None for c in cells] + ["；".join(reasons), number])
    write_table(sheet, columns, rows, start_row=header_row)
    for col in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.column_dimensions[get_column_letter(len(columns) - 1)].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
