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
    Reading,
    parse_count,
    parse_dates,
    parse_money,
    parse_text,
    read_count,
    read_money,
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
CELL_TEXT = st.text(
    alphabet="0123456789０１２.,，-—~至、年月日号百千万亿元人次约近余多+左右以上¥:点周()（） "
)
# Number cells built from whole words, so that the prefixes, multipliers and units are met in
# the orders people type them and in every other order too.
NUMBER_WORDS = (
    "约 大约 将近 逾 共计 ¥ 人民币 RMB - 0 1 45 3,000 . .5 , １２ ٣ 百 千 万 亿 余 多 + 左右 以上 "
    "人次 人 户 元 元整"
)
NUMBER_TEXT = st.lists(st.sampled_from([*NUMBER_WORDS.split(), " "]), max_size=8).map("".join)
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
        ("约2000万人", "数值过大"),
        ("0.2亿", "数值过大"),
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


# -- counts and money alike ---------------------------------------------------------------
# One reader serves both kinds, so every form a station types is read the same way in a count
# column and a money column; only the unit words differ.

READERS = [pytest.param(read_count, id="count"), pytest.param(read_money, id="money")]
EXACT_FORMS = [
    ("3000", 3000),
    ("３０００", 3000),
    ("3,000", 3000),
    ("3，000", 3000),
    ("共3000", 3000),
    ("共计3000", 3000),
    ("合计 3,000", 3000),
    ("总计3000", 3000),
    ("3百", 300),
    ("1.5百", 150),
    ("5千", 5000),
    ("0.5千", 500),
    ("0.5万", 5000),
    ("1.2万", 12000),
    ("1.2345万", 12345),
    ("1.2萬", 12000),
    ("0.05亿", 5_000_000),
    ("0.05億", 5_000_000),
    ("3百万", 3_000_000),
    ("0.3千万", 3_000_000),
    ("-0", 0),
]
APPROXIMATE_FORMS = [
    ("约3000", 3000),
    ("约 3000", 3000),
    ("大约3000", 3000),
    ("大概3000", 3000),
    ("近3000", 3000),
    ("将近3000", 3000),
    ("接近3000", 3000),
    ("逾3000", 3000),
    ("超过3000", 3000),
    ("3000余", 3000),
    ("3000多", 3000),
    ("3000左右", 3000),
    ("3000上下", 3000),
    ("3000以上", 3000),
    ("3000+", 3000),
    ("３０００＋", 3000),
    ("约5千", 5000),
    ("1万余", 10000),
    ("300多万", 3_000_000),
    ("约3000左右", 3000),
]


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize("typed, value", EXACT_FORMS)
def test_both_kinds_read_exact_forms_unflagged(read, typed, value):
    assert read(typed) == (value, False)


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize("typed, value", APPROXIMATE_FORMS)
def test_both_kinds_read_approximate_forms_and_flag_them(read, typed, value):
    assert read(typed) == (value, True)


@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize("value", [None, "", "-", "无", 0, 45, 45.0, 45.00000000000001, 1e6])
def test_numbers_and_empty_cells_are_never_approximate(read, value):
    assert read(value).approximate is False


@pytest.mark.parametrize("value", [Decimal("45"), Decimal("45.00"), Decimal("-0")])
def test_decimal_cells_are_never_approximate(value):
    assert read_count(value) == (45 if value else 0, False)
    assert read_money(value) == (value, False)


def test_a_reading_is_a_value_and_a_flag():
    reading = read_money("约¥3,000元")
    assert isinstance(reading, Reading)
    assert reading.value == Decimal("3000.00") and reading.value.as_tuple().exponent == -2
    assert reading.approximate is True
    assert type(read_count("约45人").value) is int
    assert read_count(None) == Reading(None, False)


@pytest.mark.parametrize(
    "typed, value, approximate",
    [
        ("45人次", 45, False),
        ("3,000人次", 3000, False),
        ("1.2万人次", 12000, False),
        ("3000 人", 3000, False),
        ("共45名", 45, False),
        ("共有120户", 120, False),
        ("合计12位", 12, False),
        ("8次", 8, False),
        ("约3000人次", 3000, True),
        ("约有3000人", 3000, True),
        ("3000余人", 3000, True),
        ("3000 余 人", 3000, True),
        ("3000多名", 3000, True),
        ("3000+人次", 3000, True),
        ("3000人左右", 3000, True),
        ("3000人次以上", 3000, True),
        ("约3000人左右", 3000, True),
        ("逾3000人", 3000, True),
        ("近1万人次", 10000, True),
        ("1万余人", 10000, True),
    ],
)
def test_count_reads_count_units(typed, value, approximate):
    assert read_count(typed) == (value, approximate)


@pytest.mark.parametrize(
    "typed, value, approximate",
    [
        ("5千元", "5000", False),
        ("1.2万元", "12000", False),
        ("¥2,000.00", "2000", False),
        ("￥2000", "2000", False),
        ("3,000元", "3000", False),
        ("3000圆", "3000", False),
        ("CNY 3000", "3000", False),
        ("共计人民币1200元", "1200", False),
        ("合计1,200元", "1200", False),
        ("5千万元", "50000000", False),
        ("1.2亿元", "120000000", False),
        ("1.23456万", "12345.60", False),
        ("1.255百", "125.50", False),
        ("约3000元", "3000", True),
        ("人民币约3000元", "3000", True),
        ("约人民币3000元", "3000", True),
        ("约¥3000", "3000", True),
        ("3000余元", "3000", True),
        ("3000多元", "3000", True),
        ("3000元左右", "3000", True),
        ("3000元以上", "3000", True),
        ("300余万元", "3000000", True),
        ("超过3000元", "3000", True),
        ("将近0.5万元", "5000", True),
    ],
)
def test_money_reads_money_units_and_marks(typed, value, approximate):
    assert read_money(typed) == (Decimal(value), approximate)


@pytest.mark.parametrize(
    "read, typed, reason",
    [
        (read_money, "45人次", "不是金额"),
        (read_money, "1.2万人次", "不是金额"),
        (read_money, "约3000人", "不是金额"),
        (read_money, "3000户", "不是金额"),
        (read_count, "3000元", "不是整数"),
        (read_count, "5千元", "不是整数"),
        (read_count, "约3000元", "不是整数"),
        (read_count, "¥45", "不是整数"),
        (read_count, "人民币45", "不是整数"),
        (read_count, "RMB45", "不是整数"),
        (read_count, "-45元", "不是整数"),
    ],
)
def test_a_number_in_the_wrong_column_is_refused(read, typed, reason):
    assert refused(read, typed) == reason


@pytest.mark.parametrize(
    "typed, count_reason, money_reason",
    [
        ("-3000", "不能为负数", "不能为负数"),
        ("−3000", "不能为负数", "不能为负数"),
        ("约-3000", "不能为负数", "不能为负数"),
        ("-约3000", "不能为负数", "不能为负数"),
        ("-5千", "不能为负数", "不能为负数"),
        ("-3000余", "不能为负数", "不能为负数"),
        ("-0.5万", "不能为负数", "不能为负数"),
        ("约", "不是整数", "不是金额"),
        ("约约3000", "不是整数", "不是金额"),
        ("3000以下", "不是整数", "不是金额"),
        ("3000以上人次", "不是整数", "不是金额"),  # 以上 and 左右 go after the unit
        ("3000以上元", "不是整数", "不是金额"),
        ("3000美元", "不是整数", "不是金额"),
        ("¥¥3000", "不是整数", "不是金额"),
        ("5千千", "不是整数", "不是金额"),
        ("٣٠٠٠", "不是整数", "不是金额"),
        ("约" + "9" * 80, "不是整数", "不是金额"),  # longer than any real cell
        ("1.2345678万", "不是整数", "最多两位小数"),
        ("1.2345万0", "不是整数", "不是金额"),
        ("0.000001千", "不是整数", "最多两位小数"),
        ("9" * 30, "数值过大", "数值过大"),
        ("9" * 8 + "亿", "数值过大", "数值过大"),
        ("1" + "0" * 13 + "元", "不是整数", "数值过大"),
    ],
)
def test_both_kinds_refuse(typed, count_reason, money_reason):
    assert refused(read_count, typed) == count_reason
    assert refused(read_money, typed) == money_reason


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


def assert_reading_agrees(read, parse, value):
    """read gives a Reading whose value is what parse gives, or refuses with the same reason;
    only text can be approximate."""
    try:
        result = parse(value)
    except CellError as error:
        assert str(error)
        assert refused(read, value) == str(error)
        return None
    reading = read(value)
    assert type(reading) is Reading
    assert reading.value == result and type(reading.value) is type(result)
    assert type(reading.approximate) is bool
    assert not reading.approximate or isinstance(value, str)
    return result


@EXAMPLES
@given(ANY_CELL | CELL_TEXT | NUMBER_TEXT)
def test_count_gives_an_int_none_or_cell_error(value):
    result = assert_reading_agrees(read_count, parse_count, value)
    assert result is None or (type(result) is int and 0 <= result <= 10_000_000)


@EXAMPLES
@given(ANY_CELL | CELL_TEXT | NUMBER_TEXT)
def test_money_gives_cents_none_or_cell_error(value):
    result = assert_reading_agrees(read_money, parse_money, value)
    if result is not None:
        assert isinstance(result, Decimal)
        assert 0 <= result <= MAX_MONEY
        assert result.as_tuple().exponent == -2


@EXAMPLES
@given(CELL_TEXT | NUMBER_TEXT)
def test_a_cell_both_kinds_accept_is_read_the_same(value):
    try:
        count, money = read_count(value), read_money(value)
    except CellError:
        return
    assert count.value == money.value
    assert count.approximate == money.approximate


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
    assert read_count(f"约{n:,}人次") == (n, True)
    assert read_count(f"共计{n}人") == (n, False)
    assert read_count(f"{Decimal(n).scaleb(-4):f}万人次") == (n, False)


@EXAMPLES
@given(st.decimals(min_value=0, max_value=MAX_MONEY, places=2))
def test_money_reads_back_what_str_wrote(amount):
    assert parse_money(str(amount)) == amount
    assert parse_money(f"¥{amount:,}元") == amount
    assert read_money(f"约¥{amount:,}元") == (amount, True)
    assert read_money(f"{amount:,}元左右") == (amount, True)
    assert read_money(f"{amount.scaleb(-4):f}万元") == (amount, False)
    assert read_money(f"{amount.scaleb(-8):f}亿") == (amount, False)


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
