"""Numbers (GB/T 15835-2011, and GB/T 9704-2012 for 发文字号): mixed Arabic and Chinese
numerals, ranges, abbreviated years, full-width digits, double approximations and dates."""

import re
from decimal import Decimal

from .document import is_han, matches
from .rules import finding

# A number that starts here would be the tail of a longer one (1.5, 2023).
NUMBER_BEFORE = "0123456789."

# ---------------------------------------------------------------- N01 3千元, 1百零8

# A number written with Arabic digits and Chinese numeral units; only 万 and 亿 may follow
# digits (GB/T 15835-2011 5.3: 10亿零817万5288人, not 3亿4千5百万).
_MIXED = re.compile(
    r"[0-9]+(?:\.[0-9]+)?[十百千万亿](?:零?(?:[0-9]+(?:\.[0-9]+)?)?[十百千万亿]|零?[0-9]+(?:\.[0-9]+)?)*"
)
# 千 before these is part of a unit (5千米, 3千克, 10千瓦), and 百 a word (百货, 百姓).
_DIGIT_UNIT = re.compile(r"[0-9][十百千](?![米克瓦卡帕焦赫伏货姓科度强])")
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _value(number):
    total = section = Decimal(0)
    digits = None
    for token in re.findall(r"[0-9]+(?:\.[0-9]+)?|[十百千万亿]", number):
        if token in _UNITS:
            section += (digits if digits is not None else 1) * _UNITS[token]
            digits = None
        elif token == "万":
            total += (section + (digits or 0)) * 10_000
            section, digits = Decimal(0), None
        elif token == "亿":
            total = (total + section + (digits or 0)) * 100_000_000
            section, digits = Decimal(0), None
        else:
            digits = Decimal(token)
    return total + section + (digits or 0)


def _plain(value):
    return format(value.normalize(), "f")


def _written(number):
    """The same value in the standard's form: 3000, 3000万, 3.45亿."""
    value = _value(number)
    if value >= 100_000_000:
        return _plain(value / 100_000_000) + "亿"
    if value >= 10_000 and ("万" in number or "亿" in number):
        return _plain(value / 10_000) + "万"
    return _plain(value)


def mixed_numerals(doc):
    for m in matches(_MIXED, doc.text, NUMBER_BEFORE):
        number = m.group()
        if not _DIGIT_UNIT.search(number + doc.text[m.end() : m.end() + 1]):
            continue
        written = _written(number)
        yield finding(
            doc,
            "N01",
            m.start(),
            m.end(),
            f"阿拉伯数字不与“十、百、千”混用：“{number}”应写作“{written}”",
            written,
        )


# ---------------------------------------------------------------- N02 15～30%, 13～17万元

_RANGE = re.compile(
    r"([0-9]+(?:\.[0-9]+)?)\s*([～~〜—–\-－至到])\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|万|亿)([元人名户个次]?)"
)


def ranges(doc):
    for m in matches(_RANGE, doc.text, NUMBER_BEFORE):
        low, dash, high, unit, measure = m.groups()
        dash = dash if dash in "至到" else "～"
        right = f"{low}{unit}{measure}{dash}{high}{unit}{measure}"
        yield finding(
            doc,
            "N02",
            m.start(),
            m.end(),
            f"数值范围两端都要写“{unit}”，以免误解：应为“{right}”",
            right,
        )


# ---------------------------------------------------------------- N03 23年3月, 2022～23年

_SHORT_YEAR = re.compile(r"([0-9]{2})年(?=[0-9]{1,2}月)")
_SHORT_RANGE = re.compile(r"((?:19|20)[0-9]{2})(\s*[～~〜—–\-－至到]\s*)([0-9]{2})年")


def short_years(doc):
    for m in matches(_SHORT_YEAR, doc.text, NUMBER_BEFORE):
        year = ("20" if int(m[1]) < 70 else "19") + m[1]
        yield finding(
            doc,
            "N03",
            m.start(),
            m.end(),
            f"年份不能简写：“{m[0]}”应写全，如“{year}年”",
            f"{year}年",
        )
    for m in matches(_SHORT_RANGE, doc.text, NUMBER_BEFORE):
        right = f"{m[1]}{m[2]}{m[1][:2]}{m[3]}年"
        yield finding(doc, "N03", m.start(), m.end(), f"年份不能简写：应为“{right}”", right)


# ---------------------------------------------------------------- N04 full-width digits

_FULL_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")


def full_width_digits(doc):
    for m in _FULL_DIGITS.finditer(doc.text):
        half = m.group().translate(_TO_HALF)
        yield finding(
            doc, "N04", m.start(), m.end(), f"全角数字“{m.group()}”应为半角“{half}”", half
        )


# ---------------------------------------------------------------- N05 约500字左右, 约10余人

_ABOUT = r"(大约|将近|接近|约|近)"
# 约 and 近 as in 节约, 附近 are other words.
_NOT_ABOUT = {"约": "大节制公预签合履邀隐契简", "近": "附最靠临亲贴将接"}
_NUMBER = r"(?:[0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百千]+)\s*[万亿]?"
_ABOUT_AROUND = re.compile(rf"{_ABOUT}\s*{_NUMBER}\s*[\u4e00-\u9fff]{{0,2}}?\s*左右")
_ABOUT_MORE = re.compile(rf"{_ABOUT}\s*{_NUMBER}\s*[余多]")
_MORE_AROUND = re.compile(rf"{_NUMBER}\s*([余多])\s*[\u4e00-\u9fff]{{0,2}}?\s*左右")


def _approximations(pattern, text):
    for m in pattern.finditer(text):
        start = m.start()
        if start and m[1] in _NOT_ABOUT and text[start - 1] in _NOT_ABOUT[m[1]]:
            continue
        yield m


def double_approximation(doc):
    text = doc.text
    if "左右" in text:
        for m in _approximations(_ABOUT_AROUND, text):
            right = m.group()[:-2].rstrip()
            yield finding(
                doc, "N05", m.start(), m.end(), "概数重复：“约、近”和“左右”只用一个", right
            )
    for m in _approximations(_ABOUT_MORE, text):
        right = m.group()[len(m[1]) :].lstrip()
        yield finding(doc, "N05", m.start(), m.end(), "概数重复：“约、近”和“余、多”只用一个", right)
    for m in _MORE_AROUND.finditer(text) if "左右" in text else ():
        right = m.group()[: -len("左右")].rstrip()
        yield finding(doc, "N05", m.start(), m.end(), "概数重复：“余、多”和“左右”只用一个", right)


# ---------------------------------------------------------------- N06 下午17:00

_TWELVE_HOUR = re.compile(
    r"(?:[上下中]午|晚上|傍晚)\s*((?:1[3-9]|2[0-4])\s*(?:[:：]\s*[0-9]{2}|[时点]))"
)


def clock_times(doc):
    for m in _TWELVE_HOUR.finditer(doc.text):
        yield finding(
            doc,
            "N06",
            m.start(),
            m.end(),
            f"24小时制时间前不加“上午、下午”：应为“{m[1]}”",
            m[1],
        )


# ---------------------------------------------------------------- N07 二零二三年

_CHINESE_YEAR = re.compile(r"[一二三四五六七八九零〇○Ｏ]{4}年")


def chinese_years(doc):
    for m in _CHINESE_YEAR.finditer(doc.text):
        year = m.group()
        right = re.sub("[零○Ｏ]", "〇", year)
        if right != year:
            yield finding(doc, "N07", m.start(), m.end(), f"年份中的零应写作“〇”：“{right}”", right)


# ---------------------------------------------------------------- N08 民办函[2022]5号

_DOC_NUMBER = re.compile(r"([\[【(（［<〈])((?:19|20)[0-9]{2})([\]】)）］>〉])\s*[0-9]{1,4}\s*号")


def document_numbers(doc):
    text = doc.text
    for m in _DOC_NUMBER.finditer(text):
        if not (m.start() and is_han(text[m.start() - 1])):
            continue  # a 发文字号 starts with the issuer's characters: 民办函[2022]5号
        right = f"〔{m[2]}〕"
        yield finding(
            doc,
            "N08",
            m.start(),
            m.end(3),
            f"发文字号中的年份用六角括号：“{m[1]}{m[2]}{m[3]}”应为“{right}”",
            right,
        )


# ---------------------------------------------------------------- N09 百分之20

_PERCENT = re.compile(r"百分之\s*([0-9]+(?:\.[0-9]+)?)")


def percent_words(doc):
    for m in _PERCENT.finditer(doc.text):
        right = f"{m[1]}%"
        yield finding(
            doc, "N09", m.start(), m.end(), f"“百分之”不与阿拉伯数字连用：应为“{right}”", right
        )


# ---------------------------------------------------------------- N10 2020.11.24

_DOTTED_DATE = re.compile(r"((?:19|20)[0-9]{2})([./])([0-9]{1,2})\2([0-9]{1,2})(?![0-9.])")


def dates(doc):
    for m in matches(_DOTTED_DATE, doc.text, NUMBER_BEFORE):
        year, month, day = m[1], int(m[3]), int(m[4])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        right = f"{year}年{month}月{day}日"
        yield finding(doc, "N10", m.start(), m.end(), f"行文中的日期宜写作“{right}”", right)


CHECKS = (
    mixed_numerals,
    ranges,
    short_years,
    full_width_digits,
    double_approximation,
    clock_times,
    chinese_years,
    document_numbers,
    percent_words,
    dates,
)
