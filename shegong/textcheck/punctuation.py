"""Punctuation (GB/T 15834-2011): doubled marks, half-width marks in Chinese text, unbalanced
pairs, straight quotes, ellipses, and 书名号 around the names of activities."""

import re

from .document import is_cjk_punct, is_han
from .rules import finding

FULL_WIDTH = {
    ",": "，",
    ";": "；",
    ":": "：",
    ".": "。",
    "?": "？",
    "!": "！",
    "(": "（",
    ")": "）",
}


def _chinese(char):
    return is_han(char) or is_cjk_punct(char)


def _ascii_alnum(char):
    return char.isascii() and char.isalnum()


# ---------------------------------------------------------------- P01 doubled point marks

# 问号、叹号 may be doubled for emphasis (GB/T 15834-2011 4.2, 4.3), so they are not here.
_DOUBLED = re.compile(r"[，、。；：,;]{2,}")


def doubled(doc):
    text = doc.text
    for m in _DOUBLED.finditer(text):
        run, (start, end) = m.group(), m.span()
        if len(run) >= 3 and set(run) == {"。"}:
            continue  # 。。。 is a wrong ellipsis (P05)
        if set(run) <= {",", ";"}:
            # ASCII only: a mistake only where it stands in Chinese text.
            before, after = text[start - 1 : start], text[end : end + 1]
            if not (_chinese(before) or _chinese(after)):
                continue
        # Keep the strongest mark (a full stop ends the sentence), otherwise the last one:
        # "领导,、政府" was a list (、), "优势,，提升" a pause (，).
        keep = "。" if "。" in run else FULL_WIDTH.get(run[-1], run[-1])
        yield finding(doc, "P01", start, end, f"标点叠用“{run}”：一处停顿只用一个标点", keep)


# ---------------------------------------------------------------- P02 half-width marks

_HALF = re.compile(r"[,;:?!().]")


def _in_chinese(mark, before, after):
    """Whether an ASCII mark is used as a Chinese one: it touches Chinese text, and is not
    part of a number (1,200 · 17:00 · 3.5), a list marker (1.) or an English phrase."""
    if mark == ".":
        return _chinese(before) and not _ascii_alnum(after)
    if mark in "()":
        return _chinese(before) or _chinese(after)
    if _ascii_alnum(before) and _ascii_alnum(after):
        return False
    return _chinese(before) or (_chinese(after) and not _ascii_alnum(before))


def half_width(doc):
    text = doc.text
    for m in _HALF.finditer(text):
        i, mark = m.start(), m.group()
        if mark == "." and "." in (text[i - 1 : i], text[i + 1 : i + 2]):
            continue  # part of "..." (P05)
        if _in_chinese(mark, text[i - 1 : i], text[i + 1 : i + 2]):
            full = FULL_WIDTH[mark]
            yield finding(
                doc, "P02", i, i + 1, f"中文里用了半角标点“{mark}”，应为全角“{full}”", full
            )


# ---------------------------------------------------------------- P03 unbalanced pairs

_OPENERS = "“‘《（(【〔「『〈"
_CLOSER_OF = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": "）", "【": "】", "〔": "〕"}
_CLOSER_OF |= {"「": "」", "『": "』", "〈": "〉"}
# Half- and full-width parentheses pair with each other: "(三）" is a style slip (P02), not
# an unclosed bracket.
_OPENER_OF = {close: open_ for open_, close in _CLOSER_OF.items() if open_ != "("} | {")": "（"}
_PAIRS = re.compile("[“”‘’《》（）()【】〔〕「」『』〈〉]")
_LIST_MARKER = re.compile(r"(?:^|[\s；;，,。：:])[0-9A-Za-z一二三四五六七八九十]{1,3}$")


def _normal(opener):
    return "（" if opener == "(" else opener


def balance(doc):
    """One stack for the whole text: quotations legitimately run over line breaks (seed 002
    breaks “五社联动” across two paragraphs)."""
    text = doc.text
    stack = []  # (normalised opener, offset)
    for m in _PAIRS.finditer(text):
        mark, i = m.group(), m.start()
        if mark in _OPENERS:
            stack.append((_normal(mark), i))
            continue
        opener = _OPENER_OF[mark]
        if stack and stack[-1][0] == opener:
            stack.pop()
            continue
        if mark in ")）" and _LIST_MARKER.search(text, max(0, i - 8), i):
            continue  # "1）社区活动；2）家庭走访" are list markers, not closing brackets
        if mark == "’" and _ascii_alnum(text[i - 1 : i]) and _ascii_alnum(text[i + 1 : i + 2]):
            continue  # an apostrophe in English
        depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == opener), None)
        if depth is None:
            yield finding(doc, "P03", i, i + 1, f"多出的“{mark}”：前面没有与之配对的“{opener}”")
            continue
        for _, pos in stack[depth + 1 :]:
            yield _unclosed(doc, pos)
        del stack[depth:]
    for _, pos in stack:
        yield _unclosed(doc, pos)


def _unclosed(doc, pos):
    mark = doc.text[pos]
    closer = _CLOSER_OF[mark]
    return finding(doc, "P03", pos, pos + 1, f"“{mark}”没有闭合：缺少与之配对的“{closer}”")


# ---------------------------------------------------------------- P04 straight quotes


def straight_quotes(doc):
    """Odd straight quotes of a line open, even ones close: "一小一老" → “一小一老”."""
    text = doc.text
    for start, end in doc.lines():
        if '"' not in text[start:end]:
            continue
        quotes = [i for i in range(start, end) if text[i] == '"']
        for n, i in enumerate(quotes):
            if _chinese(text[i - 1 : i]) or _chinese(text[i + 1 : i + 2]):
                full = "”" if n % 2 else "“"
                yield finding(doc, "P04", i, i + 1, f"直引号应为弯引号“{full}”", full)


# ---------------------------------------------------------------- P05 ellipsis

_ELLIPSIS = re.compile(r"……等(?![待候到级同])|\.{3,}|。{3,}|…+")


def ellipsis(doc):
    text = doc.text
    if "…" not in text and ".." not in text and "。。" not in text:
        return
    for m in _ELLIPSIS.finditer(text):
        run, (start, end) = m.group(), m.span()
        if run.endswith("等"):
            yield finding(doc, "P05", start, end, "省略号后不再用“等”", "等")
        elif run[0] == "…" and len(run) in (2, 4):
            continue  # …… and, for a whole paragraph left out, ……………… (twelve dots)
        elif run[0] == "." and not (
            _chinese(text[start - 1 : start]) or _chinese(text[end : end + 1])
        ):
            continue
        else:
            yield finding(doc, "P05", start, end, f"省略号写法不规范“{run}”，应为“……”", "……")


# ---------------------------------------------------------------- P06 书名号 for activities

_ACTIVITY_TITLE = re.compile(
    r"《(?!关于)([^《》\n]{1,40}?(?:活动|大赛|比赛|晚会|讲座|培训班|座谈会|启动仪式|联谊会|"
    r"运动会|宣传周|文艺汇演))》"
)


def book_title_marks(doc):
    for m in _ACTIVITY_TITLE.finditer(doc.text):
        name = m[1]
        yield finding(
            doc,
            "P06",
            m.start(),
            m.end(),
            f"活动、会议名称不用书名号：“{name}”",
            f"“{name}”",
        )


CHECKS = (doubled, half_width, balance, straight_quotes, ellipsis, book_title_marks)
