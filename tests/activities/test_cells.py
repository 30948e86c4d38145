"""Reading one hand-typed spreadsheet cell: the forms people type are accepted, the rest are
refused with a short Chinese reason, and no input at all raises anything but CellError."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shegong.activities.cells import (
    MAX_MONEY,
    CellError,
    parse_count,
    parse_dates,
    parse_money,
    parse_text,
)

EXAMPLES = settings(max_examples=300, deadline=None, database=None)
ANY_CELL = st.one_of(
    st.text(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.booleans(),
    st.none(),
    st.decimals(),
)
# Text built from the characters the parsers look for, so that hypothesis reaches deep into
# the patterns rather than failing on the first character.
CELL_TEXT = st.text(alphabet="0123456789０１２.,，-—~至、年月日号万元人次约余+:点周()（） ")
IN_YEARS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
NO_YEAR = "缺少年份，请写明年份（如 2022年3月20日）"
UNRECOGNISED = "无法识别的日期，请写成 2022年3月20日 或 2022-03-20"


def refused(parse, value, **kwargs):
    with pytest.raises(CellError) as caught:
        parse(value, **kwargs)
    return str(caught.value)


def d(month, day, year=2022):
    return date(year, month, day)


# -- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\u3000", None),
        ("-", None),
        ("—", None),
        ("/", None),
        ("无", None),
        (0, 0),
        (45, 45),
        (45.0, 45),
        (Decimal("45"), 45),
        ("45", 45),
        (" 45 ", 45),
        ("45人次", 45),
        ("45 人", 45),
        ("45人", 45),
        ("约45人", 45),
        ("1,200", 1200),
        ("1，200", 1200),
        ("1,200,000", 1_200_000),
        ("４５", 45),
        ("４５人次", 45),
        ("1.2万", 12000),
        ("1.2万人次", 12000),
        ("1万余人", 10000),
        ("45+", 45),
        ("30余人", 30),
        ("30多人次", 30),
        ("45.0", 45),
        ("-0", 0),
        (10_000_000, 10_000_000),
        ("1000万", 10_000_000),
    ],
)
def test_count_accepts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        (45.5, "不是整数"),
        ("45.5", "不是整数"),
        ("1.23456万", "不是整数"),
        ("若干", "不是整数"),
        ("45-50", "不是整数"),
        ("四十五", "不是整数"),
        ("1,20", "不是整数"),
        ("1e3", "不是整数"),
        ("٤٥", "不是整数"),  # Arabic-Indic digits: int() would take them, we do not
        (True, "不是整数"),
        (False, "不是整数"),
        (float("nan"), "不是整数"),
        (float("inf"), "不是整数"),
        (Decimal("NaN"), "不是整数"),
        (Decimal("sNaN"), "不是整数"),
        (date(2022, 3, 20), "不是整数"),
        (time(9, 0), "不是整数"),
        (-1, "不能为负数"),
        (-1.0, "不能为负数"),
        ("-45", "不能为负数"),
        ("-45人", "不能为负数"),
        (10_000_001, "数值过大"),
        (10**400, "数值过大"),
        ("10000001", "数值过大"),
        ("2000万", "数值过大"),
        ("9" * 30, "数值过大"),
        (1e300, "数值过大"),
        (Decimal("1E+999999999"), "数值过大"),
    ],
)
def test_count_refuses(value, reason):
    assert refused(parse_count, value) == reason


# -- money --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("\u3000", None),
        ("-", None),
        ("—", None),
        ("/", None),
        ("无", None),
        (0, "0.00"),
        (1200, "1200.00"),
        (1200.1, "1200.10"),
        (1200.0999999999999, "1200.10"),  # binary noise of 1200.1
        (0.1 + 0.2, "0.30"),  # a formula's result
        (-0.0, "0.00"),
        (Decimal("1200.5"), "1200.50"),
        ("1200", "1200.00"),
        ("1,200元", "1200.00"),
        ("1200.50元", "1200.50"),
        ("1200.500", "1200.50"),
        ("￥1,200", "1200.00"),
        ("¥1200", "1200.00"),
        ("RMB1200", "1200.00"),
        ("rmb 1200", "1200.00"),
        ("人民币1200元整", "1200.00"),
        ("0.5万元", "5000.00"),
        ("0.5万", "5000.00"),
        ("1.234567万", "12345.67"),
        ("１２００．５０", "1200.50"),
        (".5", "0.50"),
        ("999,999,999,999.99", "999999999999.99"),
    ],
)
def test_money_accepts(value, expected):
    assert parse_money(value) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    "value, reason",
    [
        (0.123, "最多两位小数"),
        ("1200.005", "最多两位小数"),
        ("1.2345678万", "最多两位小数"),
        (Decimal("0.001"), "最多两位小数"),
        (-5, "不能为负数"),
        ("-5", "不能为负数"),
        ("-¥5", "不能为负数"),
        ("1e309", "不是金额"),
        ("NaN", "不是金额"),
        ("Infinity", "不是金额"),
        ("若干", "不是金额"),
        ("1200美元", "不是金额"),
        (float("nan"), "不是金额"),
        (float("inf"), "不是金额"),
        (Decimal("sNaN"), "不是金额"),
        (True, "不是金额"),
        (date(2022, 3, 20), "不是金额"),
        ("1,000,000,000,000", "数值过大"),
        ("1000000000000", "数值过大"),
        (10**13, "数值过大"),
        (1e300, "数值过大"),
        (Decimal("1E+999999999"), "数值过大"),
    ],
)
def test_money_refuses(value, reason):
    assert refused(parse_money, value) == reason


def test_money_is_quantized_to_cents():
    assert parse_money("12").as_tuple().exponent == -2
    assert parse_money(12.5).as_tuple().exponent == -2


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        (" \u3000 ", None),
        (date(2022, 3, 20), (d(3, 20), d(3, 20))),
        (datetime(2022, 3, 20, 9, 30), (d(3, 20), d(3, 20))),
        (44640, (d(3, 20), d(3, 20))),  # Excel serial number of 2022-03-20
        (44640.75, (d(3, 20), d(3, 20))),  # a date with a time of day
        (Decimal("44640"), (d(3, 20), d(3, 20))),
        ("44640", (d(3, 20), d(3, 20))),
        (36526, (d(1, 1, 2000), d(1, 1, 2000))),
        (73415, (d(12, 31, 2100), d(12, 31, 2100))),
        ("2022-03-20", (d(3, 20), d(3, 20))),
        ("2022/3/20", (d(3, 20), d(3, 20))),
        ("2022.3.20", (d(3, 20), d(3, 20))),
        ("2022年3月20日", (d(3, 20), d(3, 20))),
        ("2022年3月20号", (d(3, 20), d(3, 20))),
        ("2022 年 3 月 20 日", (d(3, 20), d(3, 20))),
        ("20220320", (d(3, 20), d(3, 20))),
        ("２０２２年３月２０日", (d(3, 20), d(3, 20))),
        ("２０２２－０３－２０", (d(3, 20), d(3, 20))),
        ("2022/3/20 0:00:00", (d(3, 20), d(3, 20))),
        ("2022-03-20T09:00:00", (d(3, 20), d(3, 20))),
        ("2022年3月20日 9:00-11:00", (d(3, 20), d(3, 20))),
        ("2022年3月20日至2022年3月22日", (d(3, 20), d(3, 22))),  # what we export
        ("2022年3月20日—2022年3月22日", (d(3, 20), d(3, 22))),
        ("2022.3.20-2022.3.22", (d(3, 20), d(3, 22))),
        ("2022-03-20~2022-03-22", (d(3, 20), d(3, 22))),
        ("20220320-20220322", (d(3, 20), d(3, 22))),
        ("2022年12月30日-2023年1月2日", (d(12, 30), d(1, 2, 2023))),
        ("2022年12月30日-1月2日", (d(12, 30), d(1, 2, 2023))),
        ("2022年3月20日-22日", (d(3, 20), d(3, 22))),
    ],
)
def test_dates_accept(value, expected):
    assert parse_dates(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("3月20日", (d(3, 20), d(3, 20))),
        ("3月20号", (d(3, 20), d(3, 20))),
        ("3月20", (d(3, 20), d(3, 20))),
        ("3.20", (d(3, 20), d(3, 20))),
        ("3/20", (d(3, 20), d(3, 20))),
        ("３月２０日", (d(3, 20), d(3, 20))),
        ("3月20日上午", (d(3, 20), d(3, 20))),
        ("3月20日 下午", (d(3, 20), d(3, 20))),
        ("3月20日下午2:30", (d(3, 20), d(3, 20))),
        ("3月20日下午2点半", (d(3, 20), d(3, 20))),
        ("3月20日14时30分", (d(3, 20), d(3, 20))),
        ("3月20日 9-11点", (d(3, 20), d(3, 20))),
        ("3月20日上午9:00-下午3:00", (d(3, 20), d(3, 20))),
        ("3月20日（周日）", (d(3, 20), d(3, 20))),
        ("3月20日（星期日）", (d(3, 20), d(3, 20))),
        ("3月20日(星期天)上午9:00", (d(3, 20), d(3, 20))),
        ("3月20日【周日 上午】", (d(3, 20), d(3, 20))),
        ("3月20日-22日", (d(3, 20), d(3, 22))),
        ("3月20-22日", (d(3, 20), d(3, 22))),
        ("3月20日—22日", (d(3, 20), d(3, 22))),
        ("3月20日——22日", (d(3, 20), d(3, 22))),
        ("3月20日–22日", (d(3, 20), d(3, 22))),
        ("3月20日~22日", (d(3, 20), d(3, 22))),
        ("3月20日～22日", (d(3, 20), d(3, 22))),
        ("3月20日至22日", (d(3, 20), d(3, 22))),
        ("3月20日到22日", (d(3, 20), d(3, 22))),
        ("3月20日至3月22日", (d(3, 20), d(3, 22))),
        ("3月20日 - 3月22日", (d(3, 20), d(3, 22))),
        ("3月20日（周日）至3月22日（周二）", (d(3, 20), d(3, 22))),
        ("3.20-3.22", (d(3, 20), d(3, 22))),
        ("3.20-22", (d(3, 20), d(3, 22))),
        ("3/20-3/22", (d(3, 20), d(3, 22))),
        ("3月30日-4月2日", (d(3, 30), d(4, 2))),
        ("12月30日-1月2日", (d(12, 30), d(1, 2, 2023))),
        ("3月20日、22日", (d(3, 20), d(3, 22))),
        ("3月20日，22日", (d(3, 20), d(3, 22))),
        ("3月20日、21日、25日", (d(3, 20), d(3, 25))),
        ("3月20日-22日、25日", (d(3, 20), d(3, 25))),
        ("3月20日、4月2日", (d(3, 20), d(4, 2))),
        ("2021年3月20日", (d(3, 20, 2021), d(3, 20, 2021))),  # a written year wins
    ],
)
def test_dates_without_year_take_the_given_one(value, expected):
    assert parse_dates(value, year=2022) == expected


@pytest.mark.parametrize(
    "value, reason",
    [
        (time(9, 0), "只有时间，没有日期"),
        (True, UNRECOGNISED),
        (45, "不是日期"),  # 1900-02-14: a count typed in the wrong column
        (3.2, "不是日期"),  # 3.20 typed into Excel, which made it a number
        (60, "不是日期"),  # Excel's 1900-02-29
        (0, "不是日期"),
        (-1, "不是日期"),
        (2958466, "不是日期"),
        (36525, "不是日期"),  # 1999-12-31
        (73416, "不是日期"),  # 2101-01-01
        (float("nan"), "不是日期"),
        (float("inf"), "不是日期"),
        (Decimal("NaN"), "不是日期"),
        (Decimal("1E+999999999"), "不是日期"),
        ("45", "不是日期"),
        ("3月20日", NO_YEAR),
        ("3.20", NO_YEAR),
        ("3月20日-22日", NO_YEAR),
        ("2022年2月30日", "不是有效日期"),
        ("2022年2月29日", "不是有效日期"),
        ("2022-13-01", "不是有效日期"),
        ("20221340", "不是有效日期"),
        ("2022年3月20日-32日", "不是有效日期"),
        ("1922年3月20日", "年份应在2000年至2100年之间"),
        (date(1922, 3, 20), "年份应在2000年至2100年之间"),
        ("2022年3月22日-2022年3月20日", "结束日期早于开始日期"),
        ("2022年3月22日-20日", "结束日期早于开始日期"),
        ("2023年1月2日-2022年12月30日", "结束日期早于开始日期"),
        ("3-20", UNRECOGNISED),  # as well a range of two days as a date
        ("3月", UNRECOGNISED),
        ("2022年3月", UNRECOGNISED),
        ("22年3月20日", UNRECOGNISED),
        ("3月20日左右", UNRECOGNISED),
        ("3月20日-", UNRECOGNISED),
        ("3月20日-22日-25日", UNRECOGNISED),
        ("三月二十日", UNRECOGNISED),
        ("若干", UNRECOGNISED),
        ("3/20/2022", UNRECOGNISED),
        ("2022年3月20日" * 30, UNRECOGNISED),
    ],
)
def test_dates_refuse(value, reason):
    assert refused(parse_dates, value) == reason


def test_dates_refuse_the_same_with_a_year_given():
    assert refused(parse_dates, "3月22日-20日", year=2022) == "结束日期早于开始日期"
    assert refused(parse_dates, "3月20日、3月18日", year=2022) == "结束日期早于开始日期"
    assert refused(parse_dates, "2月30日", year=2022) == "不是有效日期"
    assert refused(parse_dates, "12月30日-1月2日", year=2100) == "年份应在2000年至2100年之间"


# -- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, ""),
        ("", ""),
        ("  社区议事会 \u3000", "社区议事会"),
        ("第一行\r\n第二行", "第一行\n第二行"),
        ("第一行\r第二行", "第一行\n第二行"),
        ("列\t表", "列\t表"),
        ("a\x00b\x07c\x1bd\x7fe", "abcde"),
        ("\ufeff标题", "标题"),
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'+86 138", "+86 138"),
        ("'-5", "-5"),
        ("'@everyone", "@everyone"),
        ("'abc", "'abc"),  # only what the exporter neutralised loses its quote
        ("=SUM(A1)", "=SUM(A1)"),
        (45, "45"),
        (45.0, "45"),
        (45.5, "45.5"),
        (13812345678.0, "13812345678"),
        (0.1 + 0.2, "0.3"),
        (float("nan"), ""),
        (True, "TRUE"),
        (date(2022, 3, 20), "2022年3月20日"),
        (datetime(2022, 3, 20), "2022年3月20日"),
        (datetime(2022, 3, 20, 14, 30), "2022年3月20日 14:30"),
        (time(9, 5), "09:05"),
        (Decimal("12.50"), "12.50"),
    ],
)
def test_text(value, expected):
    assert parse_text(value) == expected


# -- any input ----------------------------------------------------------------------------


@EXAMPLES
@given(ANY_CELL | CELL_TEXT)
def test_count_gives_an_int_none_or_cell_error(value):
    try:
        result = parse_count(value)
    except CellError as error:
        assert str(error)
    else:
        assert result is None or (type(result) is int and 0 <= result <= 10_000_000)


@EXAMPLES
@given(ANY_CELL | CELL_TEXT)
def test_money_gives_cents_none_or_cell_error(value):
    try:
        result = parse_money(value)
    except CellError as error:
        assert str(error)
    else:
        if result is not None:
            assert isinstance(result, Decimal)
            assert 0 <= result <= MAX_MONEY
            assert result.as_tuple().exponent == -2


@EXAMPLES
@given(ANY_CELL | CELL_TEXT, st.none() | st.integers(1990, 2110))
def test_dates_give_a_span_none_or_cell_error(value, year):
    try:
        result = parse_dates(value, year=year)
    except CellError as error:
        assert str(error)
    else:
        if result is not None:
            start, end = result
            assert type(start) is date and type(end) is date
            assert start <= end


@EXAMPLES
@given(ANY_CELL)
def test_text_gives_clean_text_or_cell_error(value):
    try:
        result = parse_text(value)
    except CellError as error:
        assert str(error)
    else:
        assert isinstance(result, str)
        assert result == result.strip()
        assert "\r" not in result
        assert not any(ord(c) < 32 and c not in "\n\t" for c in result)


# -- round trips --------------------------------------------------------------------------


@EXAMPLES
@given(st.integers(0, 10_000_000))
def test_count_reads_back_what_str_wrote(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}人次") == n
    assert parse_count(float(n)) == n


@EXAMPLES
@given(st.decimals(min_value=0, max_value=MAX_MONEY, places=2))
def test_money_reads_back_what_str_wrote(amount):
    assert parse_money(str(amount)) == amount
    assert parse_money(f"¥{amount:,}元") == amount


@EXAMPLES
@given(IN_YEARS)
def test_dates_read_back_a_single_day(day):
    assert parse_dates(day.isoformat()) == (day, day)
    assert parse_dates(f"{day.year}年{day.month}月{day.day}日") == (day, day)
    assert parse_dates(f"{day.month}月{day.day}日", year=day.year) == (day, day)
    assert parse_dates(parse_text(day)) == (day, day)


@EXAMPLES
@given(IN_YEARS, st.integers(0, 400))
def test_dates_read_back_a_range(start, length):
    end = date.fromordinal(min(start.toordinal() + length, date(2100, 12, 31).toordinal()))
    exported = f"{parse_text(start)}至{parse_text(end)}"
    assert parse_dates(exported) == (start, end)
    assert parse_dates(f"{start.isoformat()}~{end.isoformat()}") == (start, end)
    assert parse_dates(f"{start:%Y.%m.%d}-{end:%Y.%m.%d}") == (start, end)


@EXAMPLES
@given(st.text(), st.sampled_from("=+-@"))
def test_text_takes_off_the_quote_the_exporter_put_on(text, first):
    assert parse_text("'" + first + text) == parse_text(first + text)
