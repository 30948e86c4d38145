"""Import the Attachment 1 table (seed 002) as stations and bureaus really send it.

plan_import() reads a file and decides, row by row, what would be stored and in which unit,
what is rejected and why (row as Excel shows it, column, value, reason), which rows are exact
repeats of others and what is skipped; nothing is written. apply_plan() stores a plan in one
transaction: all of it or nothing. Which stored activity a row is (so that the same file
uploaded again adds nothing twice) is matching.py; which unit a row of a bureau's
consolidated table goes to is routing.py.
"""

import gc
import io
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from shegong.orgs.models import OrgUnit
from shegong.sheets import write_table
from shegong.workbooks import FileRefused, header_field, header_index, read_workbook

from . import matching, routing, services
from .cells import (
    CellError,
    parse_count,
    parse_dates,
    parse_money,
    parse_text,
    read_count,
    read_money,
)
from .validation import LABELS, MOBILE, check_activity, domain_names, lists_read_once

# field -> header spellings seen in real files (compared as workbooks.fold_header folds them).
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
# Columns we write ourselves (the rejected-rows file, a subtree export): not activity fields.
# 单位 routes the rows of a consolidated table (routing.py) and is ignored otherwise.
COLUMNS |= {"reason": ["错误原因"], "origin": ["原行号"], "unit": ["单位", "填报单位"]}
NOT_STORED = {"seq", "reason", "origin", "unit"}
# How a rejected row, a warning and the rejected-rows file name a column: as Attachment 1
# names it, never as the file spelt it (with its line breaks and notes).
LABEL = {
    **LABELS,
    "dates": LABELS["date_start"],
    "seq": "序号",
    "reason": "错误原因",
    "origin": "原行号",
    "unit": "单位",
}
REQUIRED = ("name", "dates")
MODES = {"线上": "online", "线下": "offline", "线上+线下": "both", "线上线下": "both"}
TOTAL_WORDS = ("合计", "总计", "小计")
FOOTER = re.compile(r"^(填表)?说明|^注[:：]|^备注[:：]")
FILLER = re.compile(r"填报人(及手机号码|及联系方式|及电话)?\s*[:：]?\s*(.*)")
YEAR_LINE = re.compile(r"^年份\s*[:：]\s*(\d{4})")
FILLED_ON = re.compile(r"填报(时间|日期)\s*[:：]?\s*(.*)")
SPLIT_DOMAINS = re.compile(r"[、,，;；/\s]+")
HEADER_SCAN = 20  # rows from the top where the header may be
PREVIEW_ROWS = 500  # accepted rows the preview lists (and keeps in its summary)
_HEADERS = header_index(COLUMNS)


@dataclass(slots=True)
class Row:
    """One accepted row: where it goes and what it would change."""

    number: int  # as Excel shows it
    values: dict  # check_activity's data, the activity form by id (services.stored_values)
    organiser: str = ""  # the text a consolidated table is routed by
    unit: OrgUnit | None = None
    existing: matching.Stored | None = None
    differs: list = field(default_factory=list)  # stored fields this row would change

    @property
    def status(self):
        if self.existing is None:
            return "new"
        return "changed" if self.differs else "unchanged"


@dataclass
class Plan:
    unit: OrgUnit | None  # the importing unit
    route: bool = False  # a consolidated table: rows go to units of the subtree
    verdict: str = "no_rows"  # import / reject_file / no_rows
    message: str = ""
    kind: str = ""
    sheet: str = ""
    filler_name: str = ""
    filler_mobile: str = ""
    year: int | None = None
    filled_year: int | None = None  # from the 填报时间 line, when nothing else gives a year
    columns: list = field(default_factory=list)  # (index, label, field or None)
    header_rows: list = field(default_factory=list)  # the header as it is in the file
    accepted: list = field(default_factory=list)  # Row
    rejected: list = field(default_factory=list)  # {row, column, value, message}
    repeats: list = field(default_factory=list)  # {row, first, kept}: exact repeats
    skipped: list = field(default_factory=list)  # {row, reason}
    warnings: list = field(default_factory=list)  # {row, column, message}
    matches: dict = field(default_factory=dict)  # routing: fold(organiser) -> routing.Match
    matched: tuple = ()  # (matching.scope, matching.mark) when the rows were matched

    def warn(self, message, row=None, column=None):
        self.warnings.append({"row": row, "column": column, "message": message})

    @property
    def counts(self):
        statuses = Counter(r.status for r in self.accepted)
        return {s: statuses[s] for s in ("new", "changed", "unchanged")}

    @property
    def repeats_left(self):
        """Exact repeats that are not stored."""
        return sum(not r["kept"] for r in self.repeats)

    @property
    def totals(self):
        def total(key, zero):
            return sum((r.values[key] or zero for r in self.accepted), zero)

        return {
            "participants": total("participants", 0),
            "beneficiaries": total("beneficiaries", 0),
            "funds": total("funds", Decimal("0.00")),
            "inkind": total("inkind", Decimal("0.00")),
        }

    @property
    def present(self):
        """The stored fields this file has a column for: an update changes only these."""
        out = set()
        for _, label, name in self.columns:
            if name in STORES:
                out.update(STORES[name])
            elif name is None and label:
                out.add("remarks")  # unknown columns are kept in 备注
            elif name not in NOT_STORED:
                out.add(name)
        # The 填报人 line names whoever sent this file; it is kept on new rows but is not a
        # change to an activity someone else entered (an export carries the exporter's name).
        return out


# column field -> the stored fields it fills
STORES = {
    "dates": ("date_start", "date_end"),
    "domains": ("domain_mask", "other_domains"),
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
        fields = {header_field(v, _HEADERS) for v in row if isinstance(v, str)} - {None}
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
        lower_field = header_field(lower, _HEADERS) if isinstance(lower, str) else None
        upper_field = header_field(upper, _HEADERS) if isinstance(upper, str) else None
        if lower_field and lower != upper:
            two_rows = True
        chosen = lower_field or upper_field
        text = parse_text(lower if lower_field else upper) or parse_text(lower)
        columns.append((c, LABEL[chosen] if chosen else " ".join(text.split()), chosen))
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


def _row_kind(values, seq):
    """'blank', 'seq' (only a 序号), 'total', 'footer' or 'data'."""
    first, second = None, None  # the first two cells with text: enough to tell
    for i, value in enumerate(values):
        if value is not None and (text := parse_text(value)):
            if first is not None:
                second = i
                break
            first = (i, text.replace(" ", ""))
    if first is None:
        return "blank"
    if first[1].startswith(TOTAL_WORDS):
        return "total"
    if FOOTER.match(first[1]):
        return "footer"
    if second is None and first[0] == seq:
        return "seq"
    return "data"


def _domains(text):
    return [t for t in SPLIT_DOMAINS.split(text) if t]


# Every reader takes the cell and the year of dates written without one.
def _text(value, year):
    return parse_text(value)


def _dates(value, year):
    return parse_dates(value, year=year) or (None, None)


def _mode(value, year):
    text = parse_text(value)
    return MODES.get(text.replace(" ", ""), text)


def _names(value, year):
    return _domains(parse_text(value))


# field -> (reader of its cell, stored field(s) it gives)
READERS = {
    "name": _text,
    "org_text": _text,
    "place": _text,
    "content": _text,
    "remarks": _text,
    "activity_type": _text,
    "mode": _mode,
    "dates": _dates,
    "domains": _names,
    "linkage": _names,
}
NUMBERS = {"participants": read_count, "beneficiaries": read_count}
NUMBERS |= {"funds": read_money, "inkind": read_money}


def _readers(plan):
    """(column, label, field, number reader, reader) of the columns that fill a field, and
    (column, label) of the unknown ones, whose text goes to 备注."""
    readers = [
        (c, label, name, NUMBERS.get(name), READERS.get(name))
        for c, label, name in plan.columns
        if name in NUMBERS or name in READERS
    ]
    return readers, [(c, label) for c, label, name in plan.columns if not name and label]


def _raw_row(plan, values, number, readers, extra):
    """The row as check_activity's input, or the cell errors; approximate numbers warn."""
    raw, errors = {}, []
    for c, label, name, number_reader, reader in readers:
        value = values[c]
        try:
            if number_reader is None:
                raw[name] = reader(value, plan.year)
                continue
            reading = number_reader(value)
            raw[name] = reading.value
            if reading.approximate:
                plan.warn(f"“{parse_text(value)}”是约数，按 {reading.value} 导入。", number, label)
        except CellError as e:
            errors.append((label, value, str(e)))
    if "dates" in raw:
        raw["date_start"], raw["date_end"] = raw.pop("dates")
    notes = [f"{label}：{text}" for c, label in extra if (text := parse_text(values[c]))]
    if notes:
        raw["remarks"] = "；".join(filter(None, [raw.get("remarks", ""), *notes]))
    raw["filler_name"] = plan.filler_name
    raw["filler_mobile"] = plan.filler_mobile
    return raw, errors


def _label(name):
    """The column a checked field's error is shown under."""
    return LABEL.get({"date_end": "dates", "other_domains": "domains"}.get(name, name), name)


def _reject(plan, number, column, value, message):
    value = "" if value is None else parse_text(value)
    plan.rejected.append({"row": number, "column": column, "value": value, "message": message})


def _check_total(plan, number, values, since):
    """A 合计 row must equal the sum of the rows above it; warn when it does not."""
    rows = plan.accepted[since:]
    parsers = {"participants": parse_count, "beneficiaries": parse_count}
    parsers |= {"funds": parse_money, "inkind": parse_money}
    for c, label, name in plan.columns:
        if name not in parsers:
            continue
        try:
            stated = parsers[name](values[c])
        except CellError:
            continue
        if stated is None:
            continue
        zero = Decimal("0.00") if name in ("funds", "inkind") else 0
        summed = sum((r.values[name] or zero for r in rows), zero)
        if stated != summed:
            plan.warn(
                f"合计行的“{label}”为 {stated}，上面各行相加为 {summed}，请核对。", number, label
            )


def _read_rows(plan, sheet, top, height, progress=None):
    by_field = {name: c for c, _, name in plan.columns if name}
    for _, label, name in plan.columns:
        if name is None and label:
            plan.warn(f"未识别的列“{label}”：内容已记入“备注”。", None, label)
    if "unit" in by_field and not plan.route:
        plan.warn("“单位”列不导入：所有活动都记入本单位。", None, "单位")
    # A consolidated table is routed by our own export's 单位 column, else by the organiser.
    routed_by = by_field.get("unit", by_field.get("org_text")) if plan.route else None
    readers, extra = _readers(plan)
    since, footer = 0, False
    for i in range(top + height, len(sheet.rows)):
        values, number = sheet.rows[i], i + 1
        sheet.rows[i] = None  # read once: its memory goes to the rows the plan keeps
        if progress and i % 500 == 0:
            progress(i, len(sheet.rows))
        kind = _row_kind(values, by_field.get("seq"))
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
            _check_total(plan, number, values, since)
            since = len(plan.accepted)
            continue
        row = _one_row(plan, values, number, readers, extra)
        if row is not None:
            row.organiser = parse_text(values[routed_by]) if routed_by is not None else ""


def _one_row(plan, values, number, readers, extra):
    raw, errors = _raw_row(plan, values, number, readers, extra)
    if errors:
        for column, value, message in errors:
            _reject(plan, number, column, value, message)
        return None
    if raw.get("date_start") is None:
        _reject(plan, number, LABEL["dates"], None, "请填写活动开展时间。")
        return None
    checked = check_activity(raw)
    if not checked.ok:
        for name, messages in checked.errors.items():
            value = raw.get(name)
            _reject(plan, number, _label(name), value, "；".join(messages))
        return None
    for name, message in checked.warnings:
        plan.warn(message, number, _label(name))
    row = Row(number, services.stored_values(checked.data))
    plan.accepted.append(row)
    return row


# ----------------------------------------------------------------------------- routing


def _route(plan, choices):
    """Give each accepted row the unit of the subtree its organiser names; reject the rows
    whose organiser matches no unit (or several) and has no unit chosen."""
    units = routing.subtree_units(plan.unit)
    chosen, fallback = {}, None
    for key, code in (choices.get("units") or {}).items():
        unit = routing.unit_by_choice(code, units)
        if unit is None:
            plan.warn(f"所选单位“{code}”不是本单位或下级单位，未采用。")
        else:
            chosen[key] = unit
    if choices.get("fallback"):
        fallback = routing.unit_by_choice(choices["fallback"], units)
        if fallback is None:
            plan.warn(f"所选单位“{choices['fallback']}”不是本单位或下级单位，未采用。")
    texts = Counter(row.organiser for row in plan.accepted)
    plan.matches = routing.match(
        texts, scope=plan.unit, units=units, chosen=chosen, fallback=fallback
    )
    column = LABEL["unit" if any(n == "unit" for *_, n in plan.columns) else "org_text"]
    for found in plan.matches.values():
        if found.how == "contains":
            plan.warn(f"“{found.text}”按名称对应到“{found.unit.name}”，请核对。", None, column)
    routed = []
    for row in plan.accepted:
        found = plan.matches[routing.fold(row.organiser)]
        if found.unit is not None:
            row.unit = found.unit
            routed.append(row)
            continue
        if not found.key:
            why = "没有填写，无法确定记入哪个单位"
        elif found.how == "tie":
            names = "、".join(u.name for u in found.candidates[:5])
            why = f"对应多个单位（{names}）"
        else:
            why = "在本单位及下级单位中找不到这个单位"
        message = f"{why}：请在预览页的“单位对照”中选择，或指定未对应的行记入哪个单位。"
        _reject(plan, row.number, column, row.organiser, message)
    plan.accepted = routed


# ----------------------------------------------------------------------------- plan


@contextmanager
def _collector_paused():
    """A 10,000-row import makes some 100,000 objects that all live until it ends; the
    cyclic garbage collector would walk them again and again for nothing (0.1 s of 1 s).
    Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def plan_import(data, *, unit, year=None, route=False, choices=None, max_rows=None, progress=None):
    """Everything the preview shows, from the file's bytes; stores nothing. `route` reads a
    consolidated table of a supervising unit; `choices` are the clerk's answers on the
    preview (see ActivityImport.choices)."""
    with _collector_paused():
        return _plan(data, unit, year, route, choices or {}, max_rows, progress)


def _plan(data, unit, year, route, choices, max_rows, progress):
    plan = Plan(unit=unit, route=route, year=year)
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
        below = sheet.rows[top + height :]
        if len(below) > max_rows:  # count only when it could matter: empty rows do not count
            filled = sum(1 for row in below if any(v is not None for v in row))
            if filled > max_rows:
                too_many = f"文件有 {filled:,} 行，超过一次最多导入的 {max_rows:,} 行"
                return _refuse(plan, too_many + "，请分成几个文件导入。")
        plan.header_rows = [list(sheet.rows[r]) for r in range(top, top + height)]
        _title_lines(plan, sheet.rows[:top])
        if plan.year is None and plan.filled_year:
            plan.year = plan.filled_year
        _read_rows(plan, sheet, top, height, progress)
    del book, sheet  # a 100,000-row file: the plan keeps what it needs, not the grid
    if route:
        _route(plan, choices)
    else:
        for row in plan.accepted:
            row.unit = unit
    _split_repeats(plan, set(choices.get("keep") or ()))
    _match(plan)
    if plan.accepted:
        plan.verdict = "import"
        counts = plan.counts
        plan.message = (
            f"可导入 {len(plan.accepted)} 行（新增 {counts['new']}，修改 {counts['changed']}，"
            f"未变 {counts['unchanged']}），退回 {len({r['row'] for r in plan.rejected})} 行"
            + (f"，完全相同的重复行 {plan.repeats_left} 行只导入一次" if plan.repeats_left else "")
            + "。"
        )
    else:
        plan.verdict = "no_rows"
        plan.message = "没有可以导入的活动行。"
    return plan


def _refuse(plan, message):
    plan.verdict, plan.message = "reject_file", message
    return plan


def _split_repeats(plan, keep):
    plan.accepted, plan.repeats = matching.split_repeats(plan.accepted, keep)
    first = {row.number: row.values for row in plan.accepted}
    for repeat in plan.repeats:
        values = first[repeat["first"]]
        repeat["activity"] = f"{values['name']}（{values['date_start']:%Y-%m-%d}）"
        if repeat["kept"]:
            message = f"与第 {repeat['first']} 行完全相同，按您的选择两行都导入。"
        else:
            message = (
                f"与第 {repeat['first']} 行完全相同（每一列都一样），只导入一次；"
                "如确是两次活动，请在预览中选“两行都保留”。"
            )
        plan.warn(message, repeat["row"])


def _match(plan):
    """Mark each accepted row new, changed or unchanged against what its unit has stored;
    a change to a locked activity is rejected."""
    where = matching.scope(plan.accepted) if plan.accepted else ([], None, None)
    plan.matched = (where, matching.mark(*where))
    matching.match(plan.accepted, plan.present)
    kept = []
    for row in plan.accepted:
        if row.differs and row.existing.locked:
            _reject(plan, row.number, LABEL["name"], row.values["name"], services.LOCKED)
        else:
            kept.append(row)
    plan.accepted = kept


def apply_plan(plan, *, by, notice=None, source="", obj=None):
    """Store the plan's accepted rows in one transaction; returns (new, changed). When the
    register changed since the rows were matched (the preview), they are matched again."""
    with _collector_paused(), transaction.atomic():
        # Two imports into one unit wait for each other instead of both adding its rows.
        units = sorted({row.unit.pk for row in plan.accepted})
        list(OrgUnit.objects.select_for_update().filter(pk__in=units).values_list("pk"))
        where, mark = plan.matched or (None, None)
        if where is None or matching.mark(*where) != mark:
            _match(plan)
        present = plan.present
        new = [(r.unit, r.values) for r in plan.accepted if r.existing is None]
        changed = [
            (r.unit, r.existing, {**r.existing.values, **{f: r.values[f] for f in present}})
            for r in plan.accepted
            if r.differs
        ]
        services.import_activities(
            unit=plan.unit,
            new=new,
            changed=changed,
            fields=[f for f in matching.FIELDS if f in present],
            organisers=plan.matches,
            by=by,
            notice=notice,
            source=source,
            obj=obj,
        )
    return len(new), len(changed)


# ----------------------------------------------------------------------------- output


def _money_text(value):
    return None if value is None else f"{value:.2f}"


def _accepted_json(row):
    v = row.values
    return {
        "row": row.number,
        "unit": row.unit.code,
        "name": v["name"],
        "org": v["org_text"],
        "participants": v["participants"],
        "beneficiaries": v["beneficiaries"],
        "funds": _money_text(v["funds"]),
        "inkind": _money_text(v["inkind"]),
        "date_start": v["date_start"].isoformat(),
        "date_end": v["date_end"].isoformat(),
        "place": v["place"],
        "domains": domain_names(v["domain_mask"]),
        "other_domains": [x for x in v["other_domains"].split("、") if x],
    }


REJECTED_KEYS = ("row", "column", "value", "message")


def as_json(plan, *, preview=False):
    """The plan as the CLI prints it; `preview` adds what the browser preview needs for the
    stored summary (each row's status and unit name, the exact repeats, the organiser →
    unit table), and keeps only the first PREVIEW_ROWS accepted rows: the page lists no
    more, and a 100,000-row summary would be tens of MB."""
    with lists_read_once():
        return _as_json(plan, preview)


def _as_json(plan, preview):
    totals = plan.totals
    rows = plan.accepted[:PREVIEW_ROWS] if preview else plan.accepted
    out = {
        "verdict": plan.verdict,
        "message": plan.message,
        "sheet": plan.sheet,
        "accepted": [_accepted_json(r) for r in rows],
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
        for item, row in zip(out["accepted"], rows, strict=True):
            item["status"] = row.status
            item["unit_name"] = row.unit.name
        out["n_accepted"] = len(plan.accepted)
        out["counts"] = plan.counts
        out["repeats"] = plan.repeats
        out["route"] = plan.route
        out["mapping"] = [_match_json(m) for m in plan.matches.values()]
        out["columns"] = [label for _, label, _ in plan.columns]
        out["filler"] = [plan.filler_name, plan.filler_mobile]
        out["kind"] = plan.kind
        out["year"] = plan.year
    return out


def _match_json(found):
    unit = found.unit
    return {
        "text": found.text,
        "key": found.key,
        "rows": found.rows,
        "unit": f"{unit.code} {unit.name}" if unit else "",
        "how": found.how,
        "how_text": found.how_text,
        "candidates": [f"{u.code} {u.name}" for u in found.candidates],
    }


def file_rows(data, numbers):
    """The cells, as text, of rows `numbers` (as Excel shows them) of the sheet an import of
    the file `data` reads: the rejected rows as they were typed, whatever rejected them."""
    sheet, _ = _pick_sheet(Plan(unit=None), read_workbook(data))
    rows = sheet.rows if sheet is not None else []
    return {n: [parse_text(v) for v in rows[n - 1]] for n in numbers if 0 < n <= len(rows)}


def rejects_workbook(summary, filename, data):
    """The rejected rows of the file `data` as they were, with the reason beside each: fix,
    save, upload again. The importer reads this file like any other (it ignores 错误原因
    and 原行号)."""
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
    reasons = {}
    for item in summary.get("rejected", []):
        reasons.setdefault(item["row"], []).append(
            f"“{item['column']}”{item['message']}" if item["column"] else item["message"]
        )
    cells = file_rows(data, reasons)
    rows = []
    for number in sorted(reasons):
        typed = (cells.get(number, []) + [""] * len(columns))[: len(columns) - 2]
        rows.append([c or None for c in typed] + ["；".join(reasons[number]), number])
    write_table(sheet, columns, rows, start_row=header_row)
    for col in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 18
    sheet.column_dimensions[get_column_letter(len(columns) - 1)].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
