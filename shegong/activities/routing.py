"""Which unit of a bureau's subtree each row of its consolidated table (一表汇总) belongs to,
by the organiser the row names (参与活动的单位或社会组织名称, or our own export's 单位 column).

An organiser text is matched, in this order, by: the clerk's choice on this import; the
choice remembered from an earlier file of the same subtree; a unit whose full or short name
is the text; a unit whose name contains the text (宏源社区 → 宏源社区社会工作室); a unit whose
name the text contains, the longest such name winning (东河区西脑包街道社会工作服务站 →
西脑包街道社会工作服务站, not 西脑包街道). Two or more equally good units are a tie and no unit
is guessed: the clerk chooses on the preview, and the choice is remembered on confirming.
"""

import unicodedata
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick

from shegong.orgs import tree
from shegong.orgs.models import OrgUnit

from .models import OrganiserChoice

# How a text found its unit, as the preview says it.
HOW = {
    "chosen": "本次选择",
    "remembered": "上次选择",
    "name": "全称一致",
    "short_name": "简称一致",
    "contains": "名称包含",
    "tie": "多个候选",
    "none": "未找到",
    "fallback": "未找到，记入指定单位",
}
MIN_CONTAINED = 2  # "站" alone is in every station's name


def fold(text):
    """An organiser text as it is compared: NFKC (full-width letters, digits and brackets
    become ASCII), without spaces or line breaks, lower case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


@dataclass
class Match:
    text: str  # as first written in the file
    key: str  # fold(text)
    rows: int = 0
    unit: OrgUnit | None = None
    how: str = "none"
    candidates: list = field(default_factory=list)  # the tied units

    @property
    def how_text(self):
        return HOW[self.how]


def subtree_units(scope):
    """The active units of the scope's subtree, in tree order."""
    return list(
        OrgUnit.objects.filter(tree.subtree(scope.path), is_active=True)
        .only("id", "code", "name", "short_name", "path", "parent_id")
        .order_by("path")
    )


def unit_by_choice(text, units):
    """The unit a clerk typed or picked: its code (as the list offers "CODE 名称"), or its
    exact full name. None when it is not one of `units`."""
    text = (text or "").strip()
    if not text:
        return None
    code = text.split()[0]
    return next((u for u in units if u.code == code), None) or next(
        (u for u in units if u.name == text), None
    )


def match(texts, *, scope, units, chosen=None, fallback=None):
    """{fold(text): Match} for the organiser texts of a file (a Counter of text -> rows).
    `chosen` is {fold(text): unit} of this import's choices."""
    chosen = chosen or {}
    by_key = {}
    for text, rows in texts.items():
        key = fold(text)
        found = by_key.setdefault(key, Match(text=text, key=key))
        found.rows += rows
    remembered = {
        c.text: c.unit_id
        for c in OrganiserChoice.objects.filter(scope=scope, text__in=list(by_key))
    }
    by_id = {u.pk: u for u in units}
    names = _Names(units)
    for key, found in by_key.items():
        if key in chosen:
            found.unit, found.how = chosen[key], "chosen"
        elif remembered.get(key) in by_id:
            found.unit, found.how = by_id[remembered[key]], "remembered"
        else:
            names.find(found)
        if found.unit is None and found.how == "none" and fallback is not None:
            found.unit, found.how = fallback, "fallback"
    return by_key


class _Names:
    """The full and short names of a subtree's units, searched as a province's 50,000 need:
    by dictionary for an equal name, with str.find over all names joined for the names that
    contain a text, and with one Aho-Corasick pass for the names a text contains."""

    def __init__(self, units):
        self.same = {"name": defaultdict(list), "short_name": defaultdict(list)}
        self.starts, self.owners, parts, at = [], [], [], 0
        within = defaultdict(list)
        for unit in units:
            for how in ("name", "short_name"):
                folded = fold(getattr(unit, how))
                if not folded:
                    continue
                self.same[how][folded].append(unit)
                if len(folded) >= MIN_CONTAINED:
                    within[folded].append(unit)
                self.starts.append(at)
                self.owners.append(unit)
                parts.append(folded)
                at += len(folded) + 1
        self.joined = "\n".join(parts)  # fold() leaves no line break to match across
        self.within = ahocorasick.Automaton()
        for folded, owners in within.items():
            self.within.add_word(folded, (len(folded), owners))
        if within:
            self.within.make_automaton()

    def find(self, found):
        key = found.key
        if not key:
            return
        for how in ("name", "short_name"):
            if same := self.same[how].get(key):
                _decide(found, _distinct(same), how)
                return
        # A name the text is within is longer than any name within the text: it wins.
        around = []
        at = self.joined.find(key) if len(key) >= MIN_CONTAINED else -1
        while at >= 0:
            around.append(self.owners[bisect_right(self.starts, at) - 1])
            at = self.joined.find(key, at + 1)
        if around:
            _decide(found, _distinct(around), "contains")
            return
        best, tied = 0, []
        if self.within.kind == ahocorasick.AHOCORASICK:
            for _, (length, owners) in self.within.iter(key):
                if length > best:
                    best, tied = length, list(owners)
                elif length == best:
                    tied += owners
        if tied:
            _decide(found, _distinct(tied), "contains")


def _distinct(units):
    return list({u.pk: u for u in units}.values())


def _decide(found, units, how):
    if len(units) == 1:
        found.unit, found.how = units[0], how
    else:
        found.how, found.candidates = "tie", units


def remember(*, scope, matches, by):
    """Keep the clerk's choices of this import for the next file of the subtree."""
    for found in matches.values():
        if found.how == "chosen":
            OrganiserChoice.objects.update_or_create(
                scope=scope, text=found.key, defaults={"unit": found.unit, "by": by}
            )
