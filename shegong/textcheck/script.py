"""The script of the text: traditional characters (C01), pinyin left by a converter (E01),
mojibake (E02), invisible characters (E03), HTML remnants (E04), English words (L01)."""

import html
import re

from .document import HAN, is_han
from .rules import finding

# ---------------------------------------------------------------- C01 traditional characters


def traditional(doc):
    """Runs of characters that OpenCC's t2s changes. OpenCC converts by phrase, so 著名 and
    乾坤 stay as they are while 乾燥 becomes 干燥."""
    text, simple = doc.text, doc.simple
    if text == simple:
        return
    i, n = 0, len(text)
    while i < n:
        if text[i] == simple[i] or not is_han(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and text[j] != simple[j] and is_han(text[j]):
            j += 1
        yield finding(
            doc,
            "C01",
            i,
            j,
            f"繁体字“{text[i:j]}”应为“{simple[i:j]}”",
            simple[i:j],
        )
        i = j


# ---------------------------------------------------------------- E01 發(fā)展

# A syllable with a tone mark right after a character: the debris of a page converted with
# pinyin annotation on. Without a tone mark, "嘎查(村)" or "(a)" are ordinary brackets.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = re.compile(
    rf"([{HAN}])[(（]([a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*"
    rf"(?:\s[a-zü{_TONED}]+)*)[)）]"
)


def pinyin(doc):
    for m in _PINYIN.finditer(doc.text):
        char = doc.simple[m.start()]
        yield finding(
            doc,
            "E01",
            m.start(),
            m.end(),
            f"拼音残留“{m.group()}”：网页转码留下的注音，应删去",
            char,
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


def mojibake(doc):
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

_ENGLISH = re.compile(rf"(?<=[{HAN}])[ \u3000]?([a-z]{{3,}})[ \u3000]?(?=[{HAN}])")


def english_words(doc):
    for m in _ENGLISH.finditer(doc.text):
        yield finding(doc, "L01", m.start(1), m.end(1), f"中文句中夹有英文单词“{m[1]}”，宜改用中文")


CHECKS = (traditional, pinyin, mojibake, invisible, html_remnants, english_words)
