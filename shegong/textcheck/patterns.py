"""Faults seen in real published briefs that no word list names: a date range without 至 or
a dash (3月22日24日, N11) and an ordinal without 第 (共启17届, N12)."""

import re

from .rules import finding

_DATE_RANGE = re.compile(r"((?:\d{1,2}月)?\d{1,2}日)((?:\d{1,2}月)?\d{1,2}日)")
_DAY_THEN_DIGIT = re.compile(r"日\d")
# A session number in Arabic digits before the name of the event: 17届社会工作宣传周. Chinese
# numerals are left alone (党的十九届六中全会 is the standard form), and so is a count: 连续
# 举办了17届, 已举办17届 (the character before the number says so), 2023届 (a year).
_ORDINAL = re.compile(r"(?<![\d第])(\d{1,3})届(?=[\u4e00-\u9fff“])")
_COUNT_BEFORE = frozenset("了办过续历近共已满达有")


def date_ranges(doc):
    text = doc.simple
    if not _DAY_THEN_DIGIT.search(text):
        return
    for m in _DATE_RANGE.finditer(text):
        if m.start() and text[m.start() - 1].isdigit():
            continue
        right = f"{m[1]}至{m[2]}"
        yield finding(
            doc, "N11", m.start(), m.end(), f"日期范围缺少“至”或连接号：应为“{right}”", right
        )


def ordinals(doc):
    text = doc.simple
    if "届" not in text:
        return
    for m in _ORDINAL.finditer(text):
        before = text[m.start() - 1 : m.start()]
        if before in _COUNT_BEFORE or text[m.end() : m.end() + 1] in "次":
            continue
        right = f"第{m.group()}"
        yield finding(doc, "N12", m.start(), m.end(), f"序数缺少“第”：应为“{right}”", right)


CHECKS = (date_ranges, ordinals)
