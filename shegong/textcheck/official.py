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
    synonyms: dict  # other form → full member, accepted
    ordered: bool
    names: tuple  # (name, member index, alias or None), longest name first

    @property
    def canonical(self):
        return "、".join(self.members)


def _names(members, aliases, synonyms):
    names = [(name, i, None) for i, name in enumerate(members)]
    names += [(short, members.index(full), short) for short, full in aliases.items()]
    names += [(other, members.index(full), None) for other, full in synonyms.items()]
    return tuple(sorted(names, key=lambda n: -len(n[0])))


@cache
def enumerations():
    rules = {}
    for row in tables.read("enumerations"):
        # A term may have several rows, one per example; the first defines it.
        if row["term"] not in rules:
            aliases = dict(pair.split("=", 1) for pair in tables.split(row["aliases"], "|"))
            synonyms = dict(pair.split("=", 1) for pair in tables.split(row["synonyms"], "|"))
            members = tables.split(row["members"], "、")
            rules[row["term"]] = Enumeration(
                row["term"],
                members,
                aliases,
                synonyms,
                row["ordered"] == "yes",
                _names(members, aliases, synonyms),
            )
    return tuple(rules.values())


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
_CLOSING_QUOTES = '”’"」'


def _past_quote(text, end):
    """Where a term ends, its closing quotation mark included, so a span never cuts “…”."""
    return end + 1 if text[end : end + 1] and text[end] in _CLOSING_QUOTES else end


# Items are joined by 、, the last one often by 和 or 以及.
_ITEM_JOINER = re.compile("、|以及|及|和|与")


_CLAUSE_BREAKS = re.compile("[" + re.escape("".join(_LIST_START)) + "]")
_LONGEST_LIST = 150


def _items_before(text, end):
    """The items of the clause that ends at `end`, as (offset, item) pairs."""
    start = max(0, end - _LONGEST_LIST)
    for m in _CLAUSE_BREAKS.finditer(text, start, end):
        start = m.end()
    items, offset = [], start
    for joiner in _ITEM_JOINER.finditer(text, start, end):
        items.append((offset, text[offset : joiner.start()]))
        offset = joiner.end()
    items.append((offset, text[offset:end]))
    return items


def _identify(rule, offset, item, first):
    """(member index, alias or None, offset of the name) for one list item, or None.
    The first item may carry words before the name (推进社区 · 深化完善以社区为平台)."""
    m = _ITEM_FORM.search(item)
    if m:
        offset, item = offset + m.start(1), m[1]
    for name, index, alias in rule.names:
        if item == name or (first and item.endswith(name)):
            return index, alias, offset + len(item) - len(name)
    return None


def _check_list(doc, rule, term_start, term_end):
    text = doc.simple
    end = term_start
    while end > 0 and text[end - 1] in _JOINERS:
        end -= 1
    if text[end - 1 : end] in "、和与及":
        return None  # the term is itself an item of a longer list
    partial = text[end - 1 : end] == "等"  # a list that says it is not complete
    items = _items_before(text, end - 1 if partial else end)
    if len(items) < 2:
        return None
    found = [_identify(rule, off, item, i == 0) for i, (off, item) in enumerate(items)]
    known = [f for f in found if f is not None]
    if len(known) < min(2, len(rule.members) - 1):
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
    if missing and not partial:
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


@cache
def _all_members():
    return frozenset(name for rule in enumerations() for name in rule.members)


def _inside_longer_list(text, start, end, last):
    """Whether the match is part of a longer list: 社会组织、社会工作者、社区 inside
    社区、社会组织、社会工作者、社区志愿者 is not a list of 三社联动."""
    if text[start - 1 : start] == "、" or text[end : end + 1] == "、":
        return True
    at = end - len(last)
    return any(len(name) > len(last) and text.startswith(name, at) for name in _all_members())


def enumerations_check(doc):
    text = doc.simple
    reported = []
    for rule in enumerations():
        at = text.find(rule.term)
        while at != -1:
            end = _past_quote(text, at + len(rule.term))
            result = _check_list(doc, rule, at, end)
            if result:
                reported.append((result.start, result.end))
                yield result
            at = text.find(rule.term, end)
    for rule, pattern in _bare_lists():
        if not rule.ordered or not all(name in doc.simple for name in rule.members):
            continue
        for m in pattern.finditer(doc.simple):
            names = m.group().split("、")
            if len(set(names)) != len(rule.members) or names == list(rule.members):
                continue
            if _inside_longer_list(doc.simple, m.start(), m.end(), names[-1]):
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
            "("
            + "|".join(map(re.escape, wrong))
            + ')([“‘"「]?)'
            + re.escape(row["term"])
            + '[”’"」]?'
        )
        rules.append((row["term"], pattern, right))
    return tuple(rules)


def collocations_check(doc):
    for term, pattern, right in collocations():
        if term not in doc.simple:
            continue
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
