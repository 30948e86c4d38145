"""The rules of one activity row, shared by the form, the spreadsheet importer and the API.

check_activity() takes typed values (ints, Decimals, dates, strings, lists), returns the
values to store, Chinese errors by field (which block) and warnings (which do not).
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.cache import caches

from .models import ActivityType, Linkage, Mode, ServiceDomain

LABELS = {
    "name": "活动名称",
    "org_text": "参与活动的单位或社会组织（团队）名称",
    "participants": "参与人次",
    "date_start": "活动开展时间",
    "date_end": "活动开展时间",
    "place": "活动地点",
    "content": "活动内容",
    "domains": "服务领域",
    "beneficiaries": "受益人次",
    "funds": "链接资金（元）",
    "inkind": "链接物资折价（元）",
    "remarks": "备注",
    "activity_type": "活动形式",
    "mode": "线上/线下",
    "linkage": "五社联动",
    "filler_name": "填报人",
    "filler_mobile": "填报人手机号码",
}
TEXT_LIMITS = {
    "name": 200,
    "org_text": 300,
    "place": 200,
    "other_domains": 100,
    "filler_name": 50,
    "filler_mobile": 20,
}
MAX_COUNT = 10_000_000  # person-times of one activity; more is a typing error
MAX_MONEY = Decimal("999999999999.99")
FUNDS_WARNING = Decimal("1000000")
CENT = Decimal("0.01")
BENEFICIARY_RATIO = 100
# Control characters other than tab and line breaks: pasted from other programs, invisible,
# and PostgreSQL cannot store NUL at all. They are dropped.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MOBILE = re.compile(r"1[3-9]\d{9}")  # a mainland mobile number
# The enums' lists are built anew on every access: an import reads them for every row.
LINKAGE_LABELS = {label: value for value, label in Linkage.choices}
LINKAGE_VALUES = frozenset(Linkage.values)
MODES = frozenset(Mode.values)


def clean(value):
    text = value if type(value) is str else "" if value is None else str(value)
    # isprintable() is one C loop; most text has nothing for the pattern to remove.
    return (text if text.isprintable() else CONTROL.sub("", text)).strip()


@dataclass
class Checked:
    data: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)  # (field, message)

    def error(self, name, message):
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self):
        return not self.errors


# An import checks thousands of rows against the same two lists: read them once.
_lists = ContextVar("activity_lists", default=None)


@contextmanager
def lists_read_once():
    """Inside this block the domain and activity-form lists are read from the database once."""
    token = _lists.set({})
    try:
        yield
    finally:
        _lists.reset(token)


def _cached(key, load):
    """A reference list: read once in a lists_read_once() block, else kept a minute by the
    worker (they change only on the admin site, and seldom)."""
    cache = _lists.get()
    if cache is None:
        store = caches["default"]
        value = store.get("lists:" + key)
        if value is None:
            value = load()
            store.set("lists:" + key, value, 60)
        return value
    if key not in cache:
        cache[key] = load()
    return cache[key]


def domain_table():
    """Active domains by name and alias -> (mask, name)."""
    return _cached("domains", _domain_table)


def all_domains():
    """Every service domain, active or not, in the list's order."""
    return _cached("all_domains", lambda: list(ServiceDomain.objects.all()))


def all_types():
    """Every activity form, active or not."""
    return _cached("types", lambda: list(ActivityType.objects.all()))


def _domain_table():
    table = {}
    for d in (d for d in all_domains() if d.is_active):
        for key in [d.name, *filter(None, d.aliases.replace("，", "、").split("、"))]:
            table[key.strip()] = (d.mask, d.name)
    return table


def domain_names(mask):
    return [d.name for d in all_domains() if mask & d.mask]


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _count(checked, name, value):
    if _is_blank(value):
        checked.data[name] = None
        return
    if isinstance(value, bool) or not isinstance(value, int):
        checked.error(name, f"“{LABELS[name]}”须为整数。")
    elif value < 0:
        checked.error(name, f"“{LABELS[name]}”不能为负数。")
    elif value > MAX_COUNT:
        checked.error(name, f"“{LABELS[name]}”超过 {MAX_COUNT:,}，请核对。")
    else:
        checked.data[name] = value


def _money(checked, name, value):
    if _is_blank(value):
        checked.data[name] = None
        return
    if isinstance(value, bool | list | tuple | dict):
        value = "×"  # not an amount; falls through to the message below
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        checked.error(name, f"“{LABELS[name]}”须为金额（元），如 1200 或 1200.50。")
        return
    if not amount.is_finite():
        checked.error(name, f"“{LABELS[name]}”须为金额（元）。")
    elif amount < 0:
        checked.error(name, f"“{LABELS[name]}”不能为负数。")
    elif amount > MAX_MONEY:
        checked.error(name, f"“{LABELS[name]}”金额过大，请核对。")
    elif amount != (cents := amount.quantize(CENT)):
        checked.error(name, f"“{LABELS[name]}”最多保留两位小数（分）。")
    else:
        checked.data[name] = cents


def _text(checked, name, value):
    value = clean(value)
    limit = TEXT_LIMITS.get(name)
    if limit and len(value) > limit:
        checked.error(
            name, f"“{LABELS.get(name, name)}”最多 {limit} 个字（现有 {len(value)} 个）。"
        )
    checked.data[name] = value


def _as_list(checked, name, value):
    """The list fields take a list of names; a single name is a list of one."""
    if value is None or isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    checked.error(name, f'“{LABELS[name]}”须为名称列表，如 ["老年人", "妇女"]。')
    return []


def _domains(checked, names, other):
    table = domain_table()
    mask, unknown = 0, []
    for raw in _as_list(checked, "domains", names):
        token = clean(raw)
        if not token:
            continue
        if token in table:
            mask |= table[token][0]
        elif token != "其他":
            unknown.append(token)
    others = [x for x in [str(other or "").strip(), *unknown] if x]
    if unknown:
        checked.warnings.append(
            ("domains", f"服务领域“{'、'.join(unknown)}”不在列表中，已记为“其他”。")
        )
    checked.data["domain_mask"] = mask
    _text(checked, "other_domains", "、".join(dict.fromkeys(others)))


def _linkage(checked, values):
    valid = LINKAGE_LABELS
    mask = 0
    for raw in _as_list(checked, "linkage", values):
        if isinstance(raw, int) and not isinstance(raw, bool) and raw in LINKAGE_VALUES:
            mask |= raw
        elif clean(raw) in valid:
            mask |= valid[clean(raw)]
        else:
            checked.error("linkage", f"“{clean(raw)[:50]}”不是五社联动中的一方。")
    checked.data["linkage"] = mask


def _activity_type(checked, value):
    if value in (None, ""):
        checked.data["activity_type"] = None
        return
    if isinstance(value, ActivityType):
        checked.data["activity_type"] = value
        return
    text = clean(value)
    types = all_types()
    # A code must be exact; a name may carry blanks and pasted control characters.
    by_code = next((t for t in types if t.code == text), None) if text == str(value) else None
    found = by_code or next((t for t in types if t.name == text), None)
    if found is None:
        checked.error("activity_type", f"“{text[:50]}”不是有效的活动形式。")
    else:
        checked.data["activity_type"] = found


def check_activity(raw, *, notice=None):
    """Validate one activity. `raw` keys are the model's field names, plus `domains`
    (a list of names) and `linkage` (a list of labels or values)."""
    checked = Checked()
    for key in ("name", "org_text", "place", "content", "remarks", "filler_name", "filler_mobile"):
        _text(checked, key, raw.get(key))
    if not checked.data["name"]:
        checked.error("name", "请填写“活动名称”。")

    start = _day(raw.get("date_start"))
    end = _day(raw.get("date_end")) or start
    if not start:
        checked.error("date_start", "请填写“活动开展时间”。")
    elif not isinstance(start, date) or not isinstance(end, date):
        checked.error("date_start", "“活动开展时间”须为日期，如 2022-03-21。")
    elif end < start:
        checked.error("date_end", "活动结束日期不能早于开始日期。")
    checked.data["date_start"], checked.data["date_end"] = start, end

    for key in ("participants", "beneficiaries"):
        _count(checked, key, raw.get(key))
    for key in ("funds", "inkind"):
        _money(checked, key, raw.get(key))
    _domains(checked, raw.get("domains"), raw.get("other_domains"))
    _linkage(checked, raw.get("linkage"))
    _activity_type(checked, raw.get("activity_type"))
    mode = raw.get("mode") or Mode.OFFLINE
    if not isinstance(mode, str) or mode not in MODES:
        checked.error("mode", "请选择线上、线下或线上+线下。")
    checked.data["mode"] = mode
    if checked.ok:
        _warn(checked, notice)
    return checked


def _day(value):
    """Callers parse dates; a datetime counts as its day, anything else is left to refuse."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def notice_span(notice):
    """The days a notice covers: its window, and beyond it any quota or reporting period
    (南川's window ends 3月31日 but its 千场活动 quota runs to 5月31日)."""
    starts = [notice.window_start, *(q.start_date for q in notice.quotas.all())]
    ends = [notice.window_end, *(q.end_date for q in notice.quotas.all())]
    starts += [p.start_date for p in notice.periods.all()]
    ends += [p.end_date for p in notice.periods.all()]
    return min(starts), max(ends)


def _md(day):
    return f"{day.month}月{day.day}日"


def _warn(checked, notice):
    data = checked.data
    if notice is not None:
        start, end = notice_span(notice)
        if data["date_end"] < start or data["date_start"] > end:
            checked.warnings.append(
                ("date_start", f"活动时间不在通知规定的时间（{_md(start)}至{_md(end)}）内。")
            )
    participants, beneficiaries = data.get("participants"), data.get("beneficiaries")
    if participants and beneficiaries and beneficiaries >= BENEFICIARY_RATIO * participants:
        checked.warnings.append(
            ("beneficiaries", f"受益人次（{beneficiaries}）是参与人次的 100 倍以上，请核对。")
        )
    for key in ("funds", "inkind"):
        if data.get(key) is not None and data[key] > FUNDS_WARNING:
            checked.warnings.append((key, f"“{LABELS[key]}”超过 100 万元，请核对单位是否为“元”。"))
