"""Word lists matched in one Aho–Corasick pass: official expressions (O01), typos (T01) and
disrespectful terms (T02), each a table of wrong → right in data/."""

from dataclasses import dataclass
from functools import cache

import ahocorasick

from . import tables
from .rules import finding

LISTS = (("official_terms", "O01"), ("typos", "T01"), ("disrespect", "T02"))
MESSAGES = {
    "O01": "固定表述写错：“{wrong}”应为“{right}”",
    "T01": "错别字：“{wrong}”应为“{right}”",
    "T02": "不尊重的称谓：“{wrong}”宜改为“{right}”",
}


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    wrong: str
    right: str
    severity: str | None


@cache
def automaton():
    """Every wrong form, and every string that protects one: its right form and the
    `except` strings of its row. Built once per process."""
    words = {}
    for name, code in LISTS:
        for row in tables.read(name):
            entry = Entry(code, row["wrong"], row["right"], row["severity"] or None)
            words.setdefault(row["wrong"], [None, False])[0] = entry
            for guard in (row["right"], *tables.split(row["except"], "|")):
                if row["wrong"] in guard:
                    words.setdefault(guard, [None, False])[1] = True
    matcher = ahocorasick.Automaton()
    for word, (entry, guard) in words.items():
        matcher.add_word(word, (len(word), entry, guard))
    matcher.make_automaton()
    return matcher


def _covered(spans, start, end):
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)


def wordlists(doc):
    hits, guards = [], []
    for last, (length, entry, guard) in automaton().iter(doc.simple):
        start = last + 1 - length
        if entry is not None:
            hits.append((start, last + 1, entry))
        if guard:
            guards.append((start, last + 1))
    # A wrong form inside a right one (or an excepted word) is no error; of two nested wrong
    # forms of one list (残废人, 残废) the longer is reported.
    hits.sort(key=lambda h: (h[0], -h[1]))
    kept_end = -1
    for start, end, entry in hits:
        if _covered(guards, start, end):
            continue
        if end <= kept_end:
            continue
        kept_end = end
        message = MESSAGES[entry.code].format(wrong=doc.text[start:end], right=entry.right)
        yield finding(doc, entry.code, start, end, message, entry.right, severity=entry.severity)


CHECKS = (wordlists,)
