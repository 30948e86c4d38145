"""The script of the text: traditional characters (C01), pinyin left by a converter (E01),
mojibake (E02), invisible characters (E03), HTML remnants (E04), English words (L01)."""

import html
import re

from .document import is_han
from .rules import finding

# ---------------------------------------------------------------- C01 traditional characters


# Runs this close together are one finding: 構建社會 rather than 構 and 會.
_JOIN_GAP = 2


def traditional(doc):
    """Runs of characters that OpenCC's t2s changes. OpenCC converts by phrase, so 著名 and
    乾坤 stay as they are while 乾燥 becomes 干燥."""
    text, simple = doc.text, doc.simple
    for start, end in doc.lines():
        if text[start:end] == simple[start:end]:
            continue
        # The character before pinyin debris is reported with it (E01), not here.
        debris = {m.start() - 1 for m in _PINYIN.finditer(text, start, end)}
        changed = [
            text[k] != simple[k] and is_han(text[k]) and k not in debris for k in range(start, end)
        ]
        for i, j in _runs(changed, text[start:end]):
            i, j = start + i, start + j
            yield finding(doc, "C01", i, j, f"繁体字“{text[i:j]}”应为“{simple[i:j]}”", simple[i:j])


def _runs(changed, line):
    """(start, end) of the runs of True, joining runs that at most _JOIN_GAP characters of
    the same word (Chinese characters, no punctuation) keep apart."""
    runs = []
    for k, flag in enumerate(changed):
        if not flag:
            continue
        gap = line[runs[-1][1] : k] if runs else None
        if gap is not None and len(gap) <= _JOIN_GAP and all(map(is_han, gap)):
            runs[-1][1] = k + 1
        else:
            runs.append([k, k + 1])
    return runs


# ---------------------------------------------------------------- E01 發(fā)展

# A syllable with a tone mark right after a character: the debris of a page converted with
# pinyin annotation on. Without a tone mark, "嘎查(村)" or "(a)" are ordinary brackets.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(rf"[(（]([a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*(?:\s[a-zü{_TONED}]+)*)[)）]")


def pinyin(doc):
    text = doc.text
    for m in _PINYIN.finditer(text):
        start = m.start() - 1
        if start < 0 or not is_han(text[start]):
            continue
        yield finding(
            doc,
            "E01",
            start,
            m.end(),
            f"拼音残留“{text[start : m.end()]}”：网页转码留下的注音，应删去",
            doc.simple[start],
        )


# ---------------------------------------------------------------- E02 mojibake

# A UTF-8 character read as Latin-1 or cp1252 turns into a lead letter (ä…é) and two
# continuation marks ("中文" → "ä¸­æ–‡"); a GBK file read as UTF-8 gives U+FFFD; 锟斤拷
# and 烫烫烫 are the classic Chinese ones. Two garbled characters in a row, so that a
# French "é" does not count.
_CP1252 = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019"
_CP1252 += "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_MOJIBAKE = re.compile(
    rf"锟斤拷|烫烫烫+|屯屯屯+|\ufffd+|(?:[\u00e3-\u00e9][\u0080-\u00bf{_CP1252}]{{2}}){{2,}}"
)


_MOJIBAKE_HINT = re.compile("[锟烫屯\ufffd\u00e3-\u00e9]")


def mojibake(doc):
    if not _MOJIBAKE_HINT.search(doc.text):
        return
    for m in _MOJIBAKE.finditer(doc.text):
        yield finding(
            doc, "E02", m.start(), m.end(), f"乱码“{m.group()}”：文字编码出错，请对照原稿重录"
        )


# ---------------------------------------------------------------- E03 invisible characters

_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+"
)


def invisible(doc):
    for m in _INVISIBLE.finditer(doc.text):
        codes = " ".join(f"U+{ord(c):04X}" for c in m.group())
        yield finding(doc, "E03", m.start(), m.end(), f"不可见字符 {codes}，应删去", "")


# ---------------------------------------------------------------- E04 HTML remnants

_HTML = re.compile(
    r"&(?:nbsp|amp|lt|gt|quot|apos|ldquo|rdquo|lsquo|rsquo|mdash|hellip|middot|#\d{2,6}|"
    r"#x[0-9a-fA-F]{2,6});|</?(?:p|br|div|span|strong|b|i|em|font|img|a|td|tr|table|section)"
    r"\b[^<>\n]{0,200}>"
)


def html_remnants(doc):
    for m in _HTML.finditer(doc.text):
        piece = m.group()
        right = html.unescape(piece) if piece.startswith("&") else ""
        if right == "\xa0":
            right = ""
        yield finding(doc, "E04", m.start(), m.end(), f"HTML 残留“{piece}”", right)


# ---------------------------------------------------------------- L01 English words

_ENGLISH = re.compile(r"[a-z]{3,}")
_GAP = " \u3000"


def _han_beside(text, i, step):
    """Whether a Chinese character stands at i (or just past one space) going by step."""
    if 0 <= i < len(text) and text[i] in _GAP:
        i += step
    return 0 <= i < len(text) and is_han(text[i])


def english_words(doc):
    text = doc.text
    for m in _ENGLISH.finditer(text):
        start, end = m.span()
        if start and text[start - 1].isascii() and text[start - 1].isalnum():
            continue  # the tail of a longer word: "Hcontent"
        if end < len(text) and text[end].isascii() and text[end].isalnum():
            continue
        if _han_beside(text, start - 1, -1) and _han_beside(text, end, 1):
            yield finding(doc, "L01", start, end, f"中文句中夹有英文单词“{m.group()}”，宜改用中文")


CHECKS = (traditional, pinyin, mojibake, invisible, html_remnants, english_words)
