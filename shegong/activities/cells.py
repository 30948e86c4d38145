"""One hand-typed spreadsheet cell to a typed value: a count, an amount of money, a span of
days, or clean text. Pure functions; the importer adds the row and column to the errors."""

import functools
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple

# The same caps as validation.MAX_COUNT / MAX_MONEY, repeated so that this module imports
# nothing from Django.
MAX_COUNT = 10_000_000
MAX_MONEY = Decimal("999999999999.99")
CENT = Decimal("0.01")
# A text date in a register of activities is a typing error outside these years, and a number
# whose serial date falls outside them was never meant as a date.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# No real cell is longer; the caps also bound the work the patterns do on junk.
MAX_NUMBER_TEXT = 60
MAX_DATE_TEXT = 200

NOT_INT = "不是整数"
NOT_MONEY = "不是金额"
NEGATIVE = "不能为负数"
TOO_BIG = "数值过大"
CENTS = "最多两位小数"
NOT_DATE = "不是日期"
TIME_ONLY = "只有时间，没有日期"
INVALID_DATE = "不是有效日期"
YEAR_OUT = f"年份应在{FIRST_YEAR}年至{LAST_YEAR}年之间"
END_BEFORE_START = "结束日期早于开始日期"
NO_YEAR = "缺少年份，请写明年份（如 2022年3月20日）"
UNRECOGNISED = "无法识别的日期，请写成 2022年3月20日 或 2022-03-20"

# What people type into a count or money cell to mean "none".
BLANK_MARKS = frozenset({"", "-", "--", "—", "——", "–", "/", "无"})


class CellError(ValueError):
    """str(e) is a short Chinese reason for the user, e.g. "不是整数" — the caller adds row
    and column."""


def _normal(text):
    # NFKC turns full-width digits and punctuation (４５, １，２００, ～, （）, ￥) into the
    # ASCII forms the patterns expect. Runs of spaces become one, as the patterns allow a
    # space between any two parts and would otherwise try every split of a long run.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _float_decimal(value):
    # 15 significant digits is what Excel shows and keeps: 1200.1 stored as
    # 1200.0999999999999 and a formula's 0.30000000000000004 read back as typed.
    return Decimal(f"{value:.15g}")


# Patterns run with re.ASCII so that \d is 0-9 only: int() and Decimal() would otherwise
# take Arabic-Indic or other digits that nobody in a bureau types.
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
_SIGN = "[-−]"
# One reader for counts and money, so that a form stations type (约3000, 5千, 3000余) is read
# the same way in every number column; only the unit words tell a count from money.
_COUNT_UNITS = frozenset({"人次", "人", "次", "名", "位", "户"})
_MONEY_UNITS = frozenset({"元整", "元", "圆"})
# An estimate is stored as the number typed, and flagged so the importer can say so.
_ABOUT_WORDS = frozenset(
    {"约", "大约", "大概", "约计", "约有", "近", "将近", "接近", "逾", "超过", "多于"}
)
_EXACT_WORDS = frozenset({"共", "共计", "共有", "合计", "总计", "总共"})
# Powers of ten; each allows as many more decimal places before it (1.2345万 = 12345).
_TIMES = {"百": 2, "千": 3, "万": 4, "萬": 4, "百万": 6, "百萬": 6, "千万": 7, "千萬": 7}
_TIMES |= {"亿": 8, "億": 8}


def _either(words):
    return "|".join(sorted(words, key=len, reverse=True))  # 将近 before 近, 人次 before 人


_MARK = r"人民币|(?i:rmb|cny)|¥"
_MORE = r"余|多|\+"  # 3000余人, 300多万元: before or after a multiplier
_READING = re.compile(
    rf"(?P<sign>{_SIGN})?\s*(?P<mark>{_MARK})?\s*(?P<word>{_either(_ABOUT_WORDS | _EXACT_WORDS)})?"
    rf"\s*(?P<mark2>{_MARK})?\s*(?P<sign2>{_SIGN})?\s*{_NUMBER}\s*(?P<more>{_MORE})?\s*"
    rf"(?P<times>{_either(_TIMES)})?\s*(?P<more2>{_MORE})?\s*"
    rf"(?P<unit>{_either(_COUNT_UNITS | _MONEY_UNITS)})?\s*(?P<around>左右|以上|上下)?",
    re.ASCII,
)


class Reading(NamedTuple):
    """A number cell as read: the value (None for an empty cell) and whether it was typed as
    an estimate (约3000, 3000余, 近3000, 3000左右)."""

    value: int | Decimal | None
    approximate: bool


_NOTHING = Reading(None, False)


class _Kind(NamedTuple):
    wrong: str  # the reason when the cell is not this kind of number at all
    units: frozenset
    money: bool  # takes ¥, 人民币, RMB, CNY
    cap: int | Decimal
    max_whole: int  # digits before the point, checked before any arithmetic
    max_places: int
    too_many_places: str
    finish: Callable  # Decimal -> value, or CellError
    whole_cap: int  # an int, as comparing an int or float with a Decimal is slow
    whole: Callable  # a whole number up to whole_cap -> value, without the checks of finish


def _read(value, kind):
    """The shared reader behind read_count, read_money, parse_count and parse_money."""
    if value is None:
        return _NOTHING
    # Exact types first, as these run for every number cell; type() also leaves out bool.
    # A whole number in range needs no Decimal; NaN and inf fail the comparison.
    if type(value) is float:
        if 0 <= value <= kind.whole_cap and value % 1 == 0:
            return Reading(kind.whole(value), False)
        return Reading(kind.finish(_float_decimal(value)), False)
    if type(value) is int:
        if 0 <= value <= kind.whole_cap:
            return Reading(kind.whole(value), False)
        # No Decimal of a huge int.
        return Reading(kind.finish(Decimal(max(-1, min(value, kind.cap + 1)))), False)
    if isinstance(value, str):
        return _read_text(value, kind)
    if isinstance(value, Decimal):
        return Reading(kind.finish(value), False)
    if isinstance(value, bool):
        raise CellError(kind.wrong)
    if isinstance(value, int):  # a subclass of int or float, read as the plain number
        return _read(int(value), kind)
    if isinstance(value, float):
        return _read(float(value), kind)
    raise CellError(kind.wrong)


# Number texts repeat down a column (20人次, 1,000元): each is read once. A refused text is
# read again each time, as lru_cache keeps no exceptions; they are few.
@functools.lru_cache(maxsize=4096)
def _read_text(value, kind):
    text = _normal(value)
    if text in BLANK_MARKS:
        return _NOTHING
    match = _READING.fullmatch(text) if len(text) <= MAX_NUMBER_TEXT else None
    if match is None:
        raise CellError(kind.wrong)
    sign, mark, word, mark2, sign2, number, more, times, more2, unit, around = match.groups()
    # A count in a money column, or money in a count column, is a typing slip: refused, not
    # read as a number.
    if (unit and unit not in kind.units) or ((mark or mark2) and not kind.money):
        raise CellError(kind.wrong)
    if mark and mark2:
        raise CellError(kind.wrong)
    whole, _, places = number.replace(",", "").partition(".")
    whole, places = whole.lstrip("0"), places.rstrip("0")
    if (sign or sign2) and (whole or places):
        raise CellError(NEGATIVE)
    shift = _TIMES[times] if times else 0
    # Digit lengths are checked before any arithmetic so that the sums stay exact and short
    # whatever was typed.
    if len(whole) + shift > kind.max_whole:
        raise CellError(TOO_BIG)
    if len(places) > kind.max_places + shift:
        raise CellError(kind.too_many_places)
    amount = Decimal(f"{whole or 0}.{places or 0}E{shift}")
    approximate = bool(more or more2 or around) or word in _ABOUT_WORDS
    return Reading(kind.finish(amount), approximate)


def _count(amount):
    if not amount.is_finite():
        raise CellError(NOT_INT)
    if amount < 0:
        raise CellError(NEGATIVE)
    # Before int(), which would build a billion-digit number from 1E+999999999.
    if amount > MAX_COUNT:
        raise CellError(TOO_BIG)
    if amount != amount.to_integral_value():
        raise CellError(NOT_INT)
    return int(amount)


def _money(amount):
    if not amount.is_finite():
        raise CellError(NOT_MONEY)
    if amount < 0:
        raise CellError(NEGATIVE)
    if amount > MAX_MONEY:
        raise CellError(TOO_BIG)
    rounded = amount.quantize(CENT)
    if rounded != amount:
        raise CellError(CENTS)
    return rounded.copy_abs()  # never "-0.00"


def _whole_yuan(number):
    return Decimal(int(number)).quantize(CENT)


_COUNT = _Kind(
    wrong=NOT_INT,
    units=_COUNT_UNITS,
    money=False,
    cap=MAX_COUNT,
    max_whole=9,
    max_places=0,
    too_many_places=NOT_INT,
    finish=_count,
    whole_cap=MAX_COUNT,
    whole=int,
)
_MONEY = _Kind(
    wrong=NOT_MONEY,
    units=_MONEY_UNITS,
    money=True,
    cap=MAX_MONEY,
    max_whole=13,
    max_places=2,
    too_many_places=CENTS,
    finish=_money,
    whole_cap=int(MAX_MONEY),
    whole=_whole_yuan,
)


def read_count(value) -> Reading:
    """A number of person-times (参与人次, 受益人次): a non-negative integer, and whether it
    was typed as an estimate."""
    return _read(value, _COUNT)


def read_money(value) -> Reading:
    """An amount in yuan (链接资金, 链接物资折价): non-negative, quantized to 0.01, and
    whether it was typed as an estimate."""
    return _read(value, _MONEY)


def parse_count(value) -> int | None:
    """read_count without the estimate flag."""
    return _read(value, _COUNT)[0]


def parse_money(value) -> Decimal | None:
    """read_money without the estimate flag."""
    return _read(value, _MONEY)[0]


# Dates. A cell holds one or more dates separated by 、 or commas; each may be a range of two.
# A date after the first may leave out its year, or its year and month, and takes them from the
# date before it. Time of day and weekday after a date are read over and ignored.
_DASH = "-‐‑‒–—―−~〜"  # NFKC has already made ～ and － into ~ and -
_TO = rf"\s*(?:[{_DASH}]{{1,2}}|至|到)\s*"
_RANGE = re.compile(_TO, re.ASCII)
_LIST = re.compile(r"\s*(?:[、,;]|和|及)\s*", re.ASCII)
_DATE_FORMS = [
    re.compile(form, re.ASCII)
    for form in (
        # 2022-03-20, 2022/3/20, 2022.3.20: one separator throughout
        r"(?P<y>\d{4})\s*(?P<s>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?!\d)",
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
        r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?!\d)",  # 20220320
        r"(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
        # 3.20 and 3/20 but not 3-20, which reads as well as a range of two days.
        r"(?P<m>\d{1,2})\s*[./]\s*(?P<d>\d{1,2})(?!\d)",
    )
]
_DAY_ONLY = re.compile(r"(?P<d>\d{1,2})\s*[日号]?(?!\d)", re.ASCII)  # "22日" in 3月20日-22日
_PERIOD = r"(?:上午|下午|中午|晚上|早上|早晨|傍晚|晚间|夜间|凌晨|全天|整天|白天)"
# A clock time has a colon or 点/时, so that "-22日" after a date is never taken for one.
_CLOCK = r"(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\d{1,2}\s*[点时](?:\s*半|\s*\d{1,2}\s*分?)?)"
_AT = rf"(?:{_PERIOD}\s*)?{_CLOCK}"
_SPAN = rf"{_AT}(?:{_TO}{_AT})?|(?:{_PERIOD}\s*)?\d{{1,2}}{_TO}{_AT}"  # 9:00-11:00, 9-11点
# Atomic: "9点 30" in brackets could otherwise be split as two clocks or one in as many ways
# as there are clocks, and a long junk cell would take minutes to refuse.
_ASIDE = rf"(?>{_SPAN}|{_PERIOD}|(?:周|星期|礼拜)[一二三四五六日天1-7])"
_TRAILER = re.compile(
    rf"\s*(?:{_ASIDE}|[(\[【〔]\s*{_ASIDE}(?:\s*[,、]?\s*{_ASIDE})*\s*[)\]】〕])", re.ASCII
)
# Digits alone are an Excel serial number (45000, 45000.5 as text), except eight of them.
_SERIAL_TEXT = re.compile(r"\d{1,7}|\d{3,}\.\d+", re.ASCII)
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 and on; 1-59 are a day later, 60 is 1900-02-29
_MAX_SERIAL = 2_958_465  # 9999-12-31


def parse_dates(value, *, year: int | None = None) -> tuple[date, date] | None:
    """The first and last day of an activity (活动开展时间). `year` is for dates typed
    without one, e.g. the year of the campaign."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(UNRECOGNISED)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = _in_years(value)
        return day, day
    if isinstance(value, time):
        raise CellError(TIME_ONLY)
    if isinstance(value, int | float | Decimal):
        day = _serial_day(value)
        return day, day
    if not isinstance(value, str):
        raise CellError(UNRECOGNISED)
    return _text_dates(value, year)


# A table repeats its dates (a campaign has a few dozen days): each text is read once.
@functools.lru_cache(maxsize=4096)
def _text_dates(value, year):
    text = _normal(value)
    if not text:
        return None
    if len(text) > MAX_DATE_TEXT:
        raise CellError(UNRECOGNISED)
    if _SERIAL_TEXT.fullmatch(text):
        day = _serial_day(Decimal(text))
        return day, day
    items = _scan(text)
    if items is None:
        raise CellError(UNRECOGNISED)
    days = _resolve(items, year)
    return days[0], days[-1]


def _serial_day(number):
    # Compared before floor() so that 1E+999999999 is never turned into an int; a Decimal NaN
    # cannot be compared at all.
    if isinstance(number, Decimal) and not number.is_finite():
        raise CellError(NOT_DATE)
    if not 1 <= number <= _MAX_SERIAL:  # False for a float NaN
        raise CellError(NOT_DATE)
    serial = int(number // 1)
    if serial == 60:  # Excel's 1900-02-29, a day that never was
        raise CellError(NOT_DATE)
    day = _EXCEL_EPOCH + timedelta(days=serial + (1 if serial < 60 else 0))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(NOT_DATE)
    return day


def _in_years(day):
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CellError(YEAR_OUT)
    return day


def _scan(text):
    """The dates in `text` as (year, month, day) with None for a part left out, in the order
    written, or None if the text is not dates, ranges and their separators throughout."""
    items, at = [], 0
    while True:
        at = _read_date(text, at, items)
        if at is not None and (to := _RANGE.match(text, at)):
            at = _read_date(text, to.end(), items)
        if at is None:
            return None
        if at == len(text):
            return items
        comma = _LIST.match(text, at)
        if comma is None:
            return None
        at = comma.end()


def _read_date(text, at, items):
    """Appends the date at `at` to items; returns where it ends, after any time of day."""
    forms = _DATE_FORMS if not items else [*_DATE_FORMS, _DAY_ONLY]
    found = next((m for form in forms if (m := form.match(text, at))), None)
    if found is None:
        return None
    parts = found.groupdict()
    items.append(tuple(int(parts[k]) if parts.get(k) else None for k in ("y", "m", "d")))
    at = found.end()
    while (aside := _TRAILER.match(text, at)) and aside.end() > at:
        at = aside.end()
    return at


def _resolve(items, year):
    """Days for the scanned items, each at or after the one before. A date without a year
    that goes back in the year (12月30日-1月2日) is in the next year."""
    days = []
    for item_year, month, day in items:
        if not days:
            if item_year is None and year is None:
                raise CellError(NO_YEAR)
            days.append(_make_day(year if item_year is None else item_year, month, day))
            continue
        before = days[-1]
        if item_year is None:
            item_year = before.year + (1 if month is not None and month < before.month else 0)
        current = _make_day(item_year, before.month if month is None else month, day)
        if current < before:
            raise CellError(END_BEFORE_START)
        days.append(current)
    return days


def _make_day(year, month, day):
    try:
        made = date(year, month, day)
    except (ValueError, OverflowError):
        raise CellError(INVALID_DATE) from None
    return _in_years(made)


_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff\ud800-\udfff]")
# What sheets.safe_cell puts before text that Excel would run as a formula.
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\n")


def parse_text(value) -> str:
    """Any cell as clean text: "" for an empty cell, numbers and dates as Excel shows them."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable():
        # Most cells: no control or invisible characters for the pattern below to remove
        # (isprintable is False for line breaks and U+3000 too, which take the long way).
        text = value.strip()
        return text[1:].strip() if text.startswith(_NEUTRALISED) else text
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"  # as Excel and WPS show it
    elif isinstance(value, float):
        text = _float_text(value)
    elif isinstance(value, int):
        try:
            text = str(value)
        except ValueError:  # more digits than Python will print
            raise CellError(TOO_BIG) from None
    elif isinstance(value, datetime):
        text = _day_text(value.date())
        if value.time() != time(0):
            text += " " + _clock_text(value.time())
    elif isinstance(value, date):
        text = _day_text(value)
    elif isinstance(value, time):
        text = _clock_text(value)
    else:
        text = str(value)
    # Control characters are invisible, break matching, and PostgreSQL cannot store NUL.
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if text.startswith(_NEUTRALISED):
        text = text[1:].strip()
    return text


def _float_text(value):
    if value != value:  # NaN: some readers' empty cell
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # 13812345678, not 13812345678.0
    return f"{value:.15g}"


def _day_text(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _clock_text(moment):
    return moment.strftime("%H:%M:%S" if moment.second else "%H:%M")
