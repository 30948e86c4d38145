"""Bulk import of units from a spreadsheet: read, check every row, then store all or nothing.

plan_import() finds every error and orders the rows parents first; import_units() applies a
clean plan in one transaction through the services, so paths and audit rows stay right.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from shegong import workbooks
from shegong.workbooks import fold_header, header_field, header_index

from . import services, tree
from .models import Kind, OrgUnit

# field -> accepted headers; the first is the one we name in messages when the file has none.
COLUMNS = {
    "code": ("单位代码", "代码", "code"),
    "name": ("单位名称", "名称", "name"),
    "kind": ("单位类型", "类型", "kind"),
    "parent_code": ("上级单位代码", "上级代码", "parent", "parent_code"),
    "short_name": ("简称",),
    "division_code": ("区划代码",),
    "contact_person": ("联系人",),
    "contact_phone": ("联系电话",),
    "address": ("地址",),
}
REQUIRED_COLUMNS = ("code", "name", "kind", "parent_code")
OPTIONAL_FIELDS = ("short_name", "division_code", "contact_person", "contact_phone", "address")
MOVE_REASON = "批量导入调整隶属关系"
TITLE_ROWS = 3  # lines above the header we look past, e.g. "2025年社会工作站名单"
# SQLite allows 999 parameters in older builds; stay well below.
CHUNK = 500
EMPTY = "文件中没有内容。"


class FileError(Exception):
    """The file as a whole cannot be read as a table of units; the message is for the user."""


class ImportAborted(Exception):
    """A service refused a row while storing; everything was rolled back."""


_NO_BRACKETS = str.maketrans("", "", "()[]【】〔〕<>《》")


def _kind_key(text):
    # "乡镇（街道）", "乡镇(街道)" and "乡镇街道" are all written for the same kind; NFKC has
    # already made full-width round brackets ASCII, the others it leaves alone.
    return fold_header(text).translate(_NO_BRACKETS)


_HEADER_FIELDS = header_index(COLUMNS)
_KINDS = {_kind_key(text): value for value, label in Kind.choices for text in (value, label)}


def _text(value):
    if value is None:
        return ""
    # Cells come typed; spreadsheets store codes typed as numbers as floats: 150200000000.0.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\u200b", "").replace("\ufeff", "").strip()


# --- reading -------------------------------------------------------------------------------


@dataclass
class Table:
    header_number: int
    columns: dict  # field -> (cell index, header as written in the file)
    rows: list  # (spreadsheet row number, [cell text, …]) for every non-empty data row


def _table(sheet):
    """The sheet's header and data rows, or a reason it is not a unit table."""
    # sheet.rows starts at A1, so the numbers are the ones Excel shows.
    rows = [(number, [_text(v) for v in cells]) for number, cells in enumerate(sheet.rows, 1)]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    if not rows:
        return None, EMPTY
    # The header is the first non-empty row, unless a title line or two sits above it.
    at = next((i for i, (_, cells) in enumerate(rows[: TITLE_ROWS + 1]) if _has_code(cells)), 0)
    header_number, header = rows[at]
    columns = {}
    for index, text in enumerate(header):
        name = header_field(text, _HEADER_FIELDS)
        if name is None:
            continue
        if name in columns:
            return None, f"第{header_number}行：表头“{text}”与“{columns[name][1]}”重复。"
        columns[name] = (index, text)
    missing = [COLUMNS[f][0] for f in REQUIRED_COLUMNS if f not in columns]
    if missing:
        return None, (
            f"第{header_number}行的表头缺少{'、'.join(f'“{m}”' for m in missing)}列"
            "（表头须包括单位代码、单位名称、单位类型、上级单位代码）。"
        )
    return Table(header_number, columns, rows[at + 1 :]), None


def _has_code(cells):
    return any(header_field(text, _HEADER_FIELDS) == "code" for text in cells)


def read_table(data):
    """The first sheet that has the unit columns (WPS files often start with a notes sheet)."""
    try:
        book = workbooks.read_workbook(data)
    except workbooks.FileRefused as e:
        raise FileError(str(e)) from e
    reasons = []
    # A hidden sheet is a lookup list or a stale copy, not what the sender means to import.
    for sheet in (s for s in book.sheets if not s.hidden):
        table, reason = _table(sheet)
        if table is not None:
            return table
        reasons.append(reason)
    # Name what is wrong with a sheet that has content, not with an empty one.
    raise FileError(next((r for r in reasons if r != EMPTY), EMPTY))


# --- checking ------------------------------------------------------------------------------


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    kind: str
    parent_code: str
    fields: dict  # optional columns present in the file, as they should be stored
    action: str = "create"  # or "keep": a stored unit, changed by `changes` and `move`
    changes: dict = field(default_factory=dict)
    move: bool = False


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)  # parents before children
    errors: list = field(default_factory=list)  # messages, by row number

    @property
    def created(self):
        return sum(r.action == "create" for r in self.rows)

    @property
    def updated(self):
        return sum(bool(r.changes) for r in self.rows)

    @property
    def moved(self):
        return sum(r.move for r in self.rows)

    @property
    def unchanged(self):
        return sum(r.action == "keep" and not r.changes and not r.move for r in self.rows)


def _shown(value, limit=30):
    return value if len(value) <= limit else value[:limit] + "…"


class _Checker:
    def __init__(self, table):
        self.table = table
        self.errors = []  # (row number, message)

    def error(self, number, name, message):
        header = self.table.columns[name][1]
        self.errors.append((number, f"第{number}行“{header}”列：{message}"))

    def cell(self, cells, name):
        index = self.table.columns[name][0]
        return cells[index] if index < len(cells) else ""

    def field_ok(self, number, name, value):
        try:
            OrgUnit._meta.get_field(name).clean(value, None)
        except ValidationError as e:
            self.error(number, name, f"“{_shown(value)}”无效：{'；'.join(e.messages)}")
            return False
        return True

    def parse(self, number, cells):
        values = {name: self.cell(cells, name) for name in ("code", "name", "kind", "parent_code")}
        ok = True
        for name in ("code", "name", "kind"):
            if not values[name]:
                self.error(number, name, "不能为空")
                ok = False
        for name in ("code", "name"):
            if values[name]:
                ok = self.field_ok(number, name, values[name]) and ok
        if values["kind"]:
            kind = _KINDS.get(_kind_key(values["kind"]))
            if kind is None:
                self.error(number, "kind", f"“{_shown(values['kind'])}”不是有效的单位类型")
                ok = False
            values["kind"] = kind
        fields = {}
        for name in OPTIONAL_FIELDS:
            if name in self.table.columns:
                fields[name] = self.cell(cells, name)
                ok = self.field_ok(number, name, fields[name]) and ok
        return UnitRow(number=number, fields=fields, **values) if ok else None


def _fetch(codes):
    found = {}
    codes = sorted(codes)
    for i in range(0, len(codes), CHUNK):
        for unit in OrgUnit.objects.filter(code__in=codes[i : i + CHUNK]):
            found[unit.code] = unit
    return found


def _paths_to_codes(units):
    """Codes of the given units and of all their ancestors, by path."""
    paths = {u.path: u.code for u in units}
    wanted = sorted({p for u in units for p in tree.ancestor_paths(u.path)} - set(paths))
    for i in range(0, len(wanted), CHUNK):
        paths.update(
            OrgUnit.objects.filter(path__in=wanted[i : i + CHUNK]).values_list("path", "code")
        )
    return paths


def plan_import(data):
    """Read `data` (the file's bytes) and check it against the database; stores nothing."""
    table = read_table(data)
    if not table.rows:
        raise FileError(f"第{table.header_number}行表头之下没有单位数据。")
    checker = _Checker(table)
    rows, first_seen = {}, {}
    for number, cells in table.rows:
        code = checker.cell(cells, "code")
        if code and code in first_seen:
            checker.error(number, "code", f"“{code}”与第{first_seen[code]}行重复")
            continue
        if code:
            first_seen[code] = number
        row = checker.parse(number, cells)
        if row is not None:
            rows[row.code] = row

    existing = _fetch(set(rows) | {r.parent_code for r in rows.values() if r.parent_code})
    code_at = _paths_to_codes(existing.values())
    path_of = {code: path for path, code in code_at.items()}

    def stored_parent(code):
        path = path_of[code]
        return code_at[path[: -tree.SEGMENT]] if len(path) > tree.SEGMENT else ""

    for row in list(rows.values()):
        parent = row.parent_code
        if parent == row.code:
            checker.error(
                row.number, "parent_code", f"“{parent}”是本单位自己的代码，单位不能隶属于自己"
            )
        elif parent and parent not in first_seen and parent not in existing:
            checker.error(
                row.number, "parent_code", f"“{parent}”既不是系统中已有的单位，也不在本文件中"
            )
        elif not parent and row.code in existing and stored_parent(row.code):
            checker.error(
                row.number,
                "parent_code",
                f"不能为空：单位“{row.code}”现隶属于“{stored_parent(row.code)}”，"
                "不能改为顶级单位；如不调整隶属关系，请填写现上级单位代码",
            )
        else:
            continue
        del rows[row.code]

    def final_parent(code):
        if code in rows:
            return rows[code].parent_code or None
        if code in path_of:
            return stored_parent(code) or None
        return None  # a row dropped for its own errors

    order = _order(rows, final_parent, checker)
    plan = ImportPlan()
    for code in order:
        row = rows[code]
        unit = existing.get(code)
        if unit is not None:
            row.action = "keep"
            wanted = {"name": row.name, "kind": row.kind, **row.fields}
            row.changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
            row.move = row.parent_code != stored_parent(code)
        plan.rows.append(row)
    plan.errors = [message for _, message in sorted(checker.errors, key=lambda e: e[0])]
    return plan


def _order(rows, final_parent, checker):
    """Row codes parents first, over the tree as it will be; reports each cycle once.

    A row waits for every row above it in the final tree, even through stored units that
    are not in the file, so that a move never lands under the moving unit's own subtree.
    """
    depth = {}  # code -> rows of the file on the way up to the root (None under a cycle)
    for start in rows:
        chain, on_chain, code = [], set(), start
        while code is not None and code not in depth and code not in on_chain:
            chain.append(code)
            on_chain.add(code)
            code = final_parent(code)
        if code is not None and code in on_chain:
            cycle = chain[chain.index(code) :]
            first = min((rows[c] for c in cycle if c in rows), key=lambda r: r.number)
            at = cycle.index(first.code)
            ring = cycle[at:] + cycle[:at] + [first.code]
            checker.error(
                first.number,
                "parent_code",
                f"“{first.parent_code}”使隶属关系形成循环：{' → '.join(ring)}（箭头指向上级）",
            )
            base = None
        else:
            base = 0 if code is None else depth[code]
        for code in reversed(chain):
            if base is not None:
                base += code in rows
            depth[code] = base
    ordered = [c for c in rows if depth[c] is not None]
    return sorted(ordered, key=lambda c: (depth[c], rows[c].number))


# --- storing -------------------------------------------------------------------------------


def apply_plan(plan):
    """Store a plan without errors through the services, in one transaction."""
    units = {}

    def unit(code):
        if code not in units:
            units[code] = OrgUnit.objects.get(code=code)
        return units[code]

    with transaction.atomic():
        for row in plan.rows:
            try:
                parent = unit(row.parent_code) if row.parent_code else None
                if row.action == "create":
                    units[row.code] = services.create_unit(
                        parent=parent,
                        code=row.code,
                        name=row.name,
                        kind=row.kind,
                        by=None,
                        **row.fields,
                    )
                    continue
                if row.changes:
                    services.update_unit(unit=unit(row.code), data=row.changes, by=None)
                if row.move:
                    services.move_unit(
                        unit=unit(row.code), new_parent=parent, by=None, reason=MOVE_REASON
                    )
                    # Paths under the moved unit changed: instances read before are stale.
                    units.clear()
            except ValidationError as e:
                raise ImportAborted(f"第{row.number}行：{'；'.join(e.messages)}") from e


def import_units(data, *, dry_run=False):
    """Check the file and, when it has no errors and this is not a dry run, store it."""
    with transaction.atomic():
        plan = plan_import(data)
        if not plan.errors and not dry_run:
            apply_plan(plan)
    return plan
