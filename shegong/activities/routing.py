"""Which unit of a bureau's subtree each row of its consolidated table (一表汇总) belongs to,
by the organiser the row names (参与活动的单位或社会组织名称, or our own export's 单位 column).

An organiser text is matched, in this order, by: the clerk's choice on this import; the
choice remembered from an earlier file of the same subtree; a unit whose full or short name
is the text; a unit whose name the text contains or that contains the text, the longest
such name winning. Two or more equally good units are a tie and no unit is guessed: the
clerk chooses on the preview, and the choice is remembered on confirming.
"""

import unicodedata
from dataclasses import dataclass, field

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
    names = [(fold(u.name), fold(u.short_name), u) for u in units]
    for key, found in by_key.items():
        if key in chosen:
            found.unit, found.how = chosen[key], "chosen"
        elif remembered.get(key) in by_id:
            found.unit, found.how = by_id[remembered[key]], "remembered"
        else:
            _by_name(found, names)
        if found.unit is None and found.how == "none" and fallback is not None:
            found.unit, found.how = fallback, "fallback"
    return by_key


def _by_name(found, names):
    key = found.key
    if not key:
        return
    for how, column in (("name", 0), ("short_name", 1)):
        same = [u for *folded, u in names if folded[column] == key]
        if same:
            _decide(found, same, how)
            return
    best, tied = 0, []
    for full, short, unit in names:
        length = max(
            (len(n) for n in (full, short) if len(n) >= MIN_CONTAINED and n in key),
            default=0,
        )
        if len(key) >= MIN_CONTAINED and (key in full or (short and key in short)):
            length = max(length, len(key))
        if length > best:
            best, tied = length, [unit]
        elif length and length == best:
            tied.append(unit)
    if tied:
        _decide(found, tied, "contains")


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
