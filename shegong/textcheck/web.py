"""Debris of a copied web page: injected spam lines (S01), page furniture such as breadcrumbs
and print buttons (W01), and links (W02). Terms and patterns are in data/."""

import re
from functools import cache

import ahocorasick

from . import tables
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
    return re.compile("|".join(f"(?:{row['pattern']})" for row in tables.read("boilerplate")))


def _spam(line):
    strong, weak = [], set()
    for _, (term, is_strong) in spam_terms().iter(line.lower()):
        if is_strong:
            strong.append(term)
        else:
            weak.add(term)
    if strong or len(weak) >= 3 or (len(weak) >= 2 and line.count("|") >= 2):
        return strong or sorted(weak)
    return None


def lines(doc):
    """Whole lines: a spam line is an error (the page was hijacked), furniture a warning."""
    for start, end in doc.lines():
        line = doc.simple[start:end]
        if not line.strip():
            continue
        terms = _spam(line)
        if terms:
            shown = "、".join(terms[:3])
            yield finding(
                doc,
                "S01",
                start,
                end,
                f"垃圾广告（{shown}…）：网页被挂马注入的内容，应整行删去",
                "",
            )
        elif len(line.strip()) <= FURNITURE_MAX_CHARS and furniture().search(line):
            yield finding(
                doc, "W01", start, end, "网页残留（导航、浏览量、打印、分享等），应整行删去", ""
            )


_STOP = r"\s\u3000-\u303f\uff01-\uff65“”‘’<>"
_URL = re.compile(
    rf"https?://[^{_STOP}]+|www\.[A-Za-z0-9.-]+[^{_STOP}]*"
    r"|(?<![@A-Za-z0-9.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|cn|net|org|cc|top|xyz|vip|info)"
    r"(?![A-Za-z0-9@])"
)


def links(doc):
    for m in _URL.finditer(doc.text):
        url = m.group().rstrip(".,;:)")
        yield finding(
            doc,
            "W02",
            m.start(),
            m.start() + len(url),
            f"网址“{url}”：稿件中的链接请核实，外部链接应删去",
        )


CHECKS = (lines, links)
