"""Debris of a copied web page: injected spam lines (S01), page furniture such as breadcrumbs
and print buttons (W01), and links (W02). Terms and patterns are in data/."""

import re
from functools import cache

import ahocorasick

from . import tables
from .document import matches
from .rules import finding

# A line longer than this is running text that mentions the words, not page furniture.
FURNITURE_MAX_CHARS = 80


@cache
def spam_terms():
    matcher = ahocorasick.Automaton()
    for row in tables.read("spam"):
        matcher.add_word(row["term"].lower(), (row["term"], row["strength"] == "strong"))
    matcher.make_automaton()
    return matcher


@cache
def furniture():
    # Separately, not as one alternation: re finds a pattern that starts with a word by a
    # fast substring search, which an alternation of them loses (80 µs against 25 µs).
    return tuple(re.compile(row["pattern"], re.MULTILINE) for row in tables.read("boilerplate"))


def spam_lines(doc):
    """{(start, end) of a spam line: its terms}. A line is spam with one strong term, three
    weak ones, or two weak ones in a |-separated link list. One pass over the whole text."""
    strong, weak = {}, {}
    for last, (term, is_strong) in spam_terms().iter(doc.simple.lower()):
        line = doc.line_of(last)
        if is_strong:
            strong.setdefault(line, []).append(term)
        else:
            weak.setdefault(line, set()).add(term)
    spam = {}
    for line in strong.keys() | weak.keys():
        terms = weak.get(line, set())
        pipes = doc.simple.count("|", *line)
        if line in strong or len(terms) >= 3 or (len(terms) >= 2 and pipes >= 2):
            spam[line] = strong.get(line) or sorted(terms)
    return spam


def lines(doc):
    """Whole lines: a spam line is an error (the page was hijacked), furniture a warning."""
    spam = spam_lines(doc)
    for (start, end), terms in sorted(spam.items()):
        shown = "、".join(terms[:3])
        message = f"垃圾广告（{shown}…）：网页被挂马注入的内容，应整行删去"
        yield finding(doc, "S01", start, end, message, "")
    seen = set(spam)
    for m in (m for pattern in furniture() for m in pattern.finditer(doc.simple)):
        start, end = doc.line_of(m.start())
        if (start, end) in seen or len(doc.simple[start:end].strip()) > FURNITURE_MAX_CHARS:
            continue
        seen.add((start, end))
        message = "网页残留（导航、浏览量、打印、分享等），应整行删去"
        yield finding(doc, "W01", start, end, message, "")


# A link ends at a space, a Chinese character or Chinese punctuation.
_STOP = r"\s\u3000-\u303f\u3400-\u9fff\uff01-\uff65“”‘’<>"
_URL = re.compile(
    rf"https?://[^{_STOP}]+|www\.[A-Za-z0-9.-]+[^{_STOP}]*"
    r"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|cc|top|xyz|vip|info)"
    r"(?![A-Za-z0-9@])"
)


def links(doc):
    # Not after @ (an e-mail address) or inside a longer name.
    for m in matches(_URL, doc.text, "@.-"):
        url = m.group().rstrip(".,;:)")
        yield finding(
            doc,
            "W02",
            m.start(),
            m.start() + len(url),
            f"网址“{url}”：稿件中的链接请核实，外部链接应删去",
        )


CHECKS = (lines, links)
