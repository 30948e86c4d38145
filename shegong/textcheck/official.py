"""Fixed lists and collocations of official expressions: the members of 五社联动 and 四个意识
and their order (O02, O03), and the verb each term takes (O04), from data/."""

import re
from dataclasses import dataclass
from functools import cache

from . import tables
from .rules import finding


@dataclass(frozen=True, slots=True)
class Enumeration:
    term: str
    members: tuple
    aliases: dict  # short form → full member
    ordered: bool

    @property
    def canonical(self):
        return "、".join(self.members)


@cache
def enumerations():
    rules = {}
    for row in tables.read("enumerations"):
        # A term may have several rows, one per example; the first defines it.
        if row["term"] not in rules:
            aliases = dict(pair.split("=", 1) for pair in tables.split(row["aliases"], "|"))
            rules[row["term"]] = Enumeration(
                row["term"], tables.split(row["members"], "、"), aliases, row["ordered"] == "yes"
            )
    return tuple(rules.values())


@cache
def _term_pattern():
    return re.compile("|".join(re.escape(rule.term) for rule in enumerations()))


@cache
def _bare_lists():
    """Per rule, a full list of its members in any order, found without the term."""
    patterns = []
    for rule in enumerations():
        one = "(?:" + "|".join(map(re.escape, rule.members)) + ")"
        patterns.append((rule, re.compile(one + f"(?:、{one}){{{len(rule.members) - 1}}}")))
    return tuple(patterns)


_LIST_START = frozenset("，。；：！？,;:!?\n（）()“”「」《》")
_JOINERS = '“‘"「的'
_ITEM_FORM = re.compile(r"以(.+?)为")  # 以社区为平台 → 社区


def _items_before(text, end):
    """The 、-joined items of the clause that ends at `end`, as (offset, item) pairs."""
    start = end
    while start > 0 and text[start - 1] not in _LIST_START and end - start < 150:
        start -= 1
    items, offset = [], start
    for part in text[start:end].split("、"):
        items.append((offset, part))
        offset += len(part) + 1
    return items


def _identify(rule, offset, item, first):
    """(member index, alias or None, offset of the name) for one list item, or None.
    The first item may carry words before the name (推进社区 · 深化完善以社区为平台)."""
    m = _ITEM_FORM.search(item)
    if m:
        offset, item = offset + m.start(1), m[1]
    names = [(name, i, None) for i, name in enumerate(rule.members)]
    names += [(short, rule.members.index(full), short) for short, full in rule.aliases.items()]
    for name, index, alias in sorted(names, key=lambda n: -len(n[0])):
        if item == name or (first and item.endswith(name)):
            return index, alias, offset + len(item) - len(name)
    return None


def _check_list(doc, rule, term_start, term_end):
    text = doc.simple
    end = term_start
    while end > 0 and text[end - 1] in _JOINERS:
        end -= 1
    if text[end - 1 : end] == "等":
        return None  # a list that says it is not complete
    items = _items_before(text, end)
    if len(items) < 2:
        return None
    found = [_identify(rule, off, item, i == 0) for i, (off, item) in enumerate(items)]
    known = [f for f in found if f is not None]
    if len(known) < 2:
        return None  # not a list of this term's members
    # The list starts at its first recognised member; unknown items after it are errors.
    first = next(i for i, f in enumerate(found) if f is not None)
    found = found[first:]
    start = known[0][2]
    problems = []
    unknown = [items[first + i][1] for i, f in enumerate(found) if f is None]
    if unknown:
        problems.append("“" + "、".join(unknown) + "”不在其中")
    indexes = [f[0] for f in known]
    missing = [m for i, m in enumerate(rule.members) if i not in indexes]
    if missing:
        problems.append("缺少“" + "、".join(missing) + "”")
    for _, alias, _ in (f for f in known if f[1]):
        problems.append(f"“{alias}”应写全称“{rule.aliases[alias]}”")
    plain = not any(_ITEM_FORM.search(item) for _, item in items[first:])
    tail = doc.text[end:term_end]
    suggestion = rule.canonical + tail if plain else None
    if problems:
        message = f"“{rule.term}”指{rule.canonical}：" + "；".join(problems)
        return finding(doc, "O02", start, term_end, message, suggestion)
    if rule.ordered and indexes != sorted(indexes):
        message = f"“{rule.term}”的顺序是{rule.canonical}"
        return finding(doc, "O03", start, term_end, message, suggestion)
    return None


def enumerations_check(doc):
    terms = {rule.term: rule for rule in enumerations()}
    reported = []
    for m in _term_pattern().finditer(doc.simple):
        result = _check_list(doc, terms[m.group()], m.start(), m.end())
        if result:
            reported.append((result.start, result.end))
            yield result
    for rule, pattern in _bare_lists():
        if not rule.ordered:
            continue
        for m in pattern.finditer(doc.simple):
            names = m.group().split("、")
            if len(set(names)) != len(rule.members) or names == list(rule.members):
                continue
            if any(s <= m.start() < e for s, e in reported):
                continue
            message = f"“{rule.term}”的顺序是{rule.canonical}"
            yield finding(doc, "O03", m.start(), m.end(), message, rule.canonical)


@cache
def collocations():
    rules = []
    for row in tables.read("collocations"):
        wrong = tables.split(row["wrong_verbs"], "、")
        right = tables.split(row["right_verbs"], "、")
        pattern = re.compile(
            "(" + "|".join(map(re.escape, wrong)) + ')([“‘"「]?)' + re.escape(row["term"])
        )
        rules.append((row["term"], pattern, right))
    return tuple(rules)


def collocations_check(doc):
    for term, pattern, right in collocations():
        for m in pattern.finditer(doc.simple):
            verb = m[1]
            yield finding(
                doc,
                "O04",
                m.start(),
                m.end(),
                f"搭配不当：“{term}”不与“{verb}”搭配，应为“{'”或“'.join(right)}”",
                right[0] + m.group()[len(verb) :],
            )


CHECKS = (enumerations_check, collocations_check)
