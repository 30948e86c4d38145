"""Fixed expressions and names written almost right (O05, T03) or in two forms (O06).

O05: a phrase one character away from a canonical political expression (the right forms of
data/official_terms.tsv, the terms of data/enumerations.tsv, the expressions of
data/names.tsv), its number word kept: 四个意思 for 四个意识, 中国特设社会主义 for 中国特色社会主义.
A short expression (under eight characters) is only matched when the changed character
sounds like the right one (pypinyin), so 提出四个意见 stays quiet; a longer one takes any
substitution, and a character dropped inside it.
T03: a campaign or organisation name of data/names.tsv with a character dropped inside it
(社会工作宣周). Only inner characters: 社会工作服务 is the start of many right names.
O06: one name in two accepted forms in one text (一老一小 and 一小一老); a form quoted in a
title (《…》) is the title's own wording and is not counted.

Candidates are found in one Aho–Corasick pass: every form with an inner character dropped
is a key, and so are the two halves of every expression (a changed character leaves one
half intact)."""

import bisect
import re
from dataclasses import dataclass
from functools import cache

import ahocorasick

from . import tables
from .official import enumerations
from .rules import finding

_NUMBER = re.compile("^[一二两三四五六七八九十百千万]+个?")
SHORT = 8  # below this length a substitution must sound alike


@dataclass(frozen=True, slots=True)
class Canon:
    text: str
    kind: str  # "expression" or "name"
    number: int  # length of the leading number word (四个), which must be kept


@cache
def canons():
    found = {}

    def add(text, kind):
        if len(text) >= 4 and text not in found and re.fullmatch("[\u4e00-\u9fff]+", text):
            m = _NUMBER.match(text)
            found[text] = Canon(text, kind, len(m.group()) if m else 0)

    for row in tables.read("names"):
        add(row["name"], row["kind"])
        for form in tables.split(row["forms"], "|"):
            add(form, row["kind"])
    for row in tables.read("official_terms"):
        add(row["right"], "expression")
    for rule in enumerations():
        add(rule.term, "expression")
    return found


@cache
def _automaton():
    """Keys: every form with one inner character dropped (an exact hit is a candidate), the
    two halves of every expression (for a changed character: one half stays intact), and
    the right forms themselves (a window overlapping one is quiet)."""
    keys = {}
    for canon in canons().values():
        text = canon.text
        if len(text) >= 5:
            for i in range(max(1, canon.number), len(text) - 1):
                keys.setdefault(text[:i] + text[i + 1 :], []).append((canon, None))
        if canon.kind == "expression":
            cut = len(text) // 2
            keys.setdefault(text[:cut], []).append((canon, 0))
            keys.setdefault(text[cut:], []).append((canon, cut))
    matcher = ahocorasick.Automaton()
    for key, owners in keys.items():
        matcher.add_word(key, (len(key), tuple(owners)))
    for text in canons():
        if text not in keys:
            matcher.add_word(text, (len(text), ()))
    matcher.make_automaton()
    return matcher


@cache
def _readings(char):
    """The readings of one character without tone, with the fuzzy pairs of southern speech
    folded (zh/z, ch/c, sh/s, l/n, -ng/-n), so that 意思 and 意识 read alike."""
    from pypinyin import Style, pinyin  # lazy: 0.15 s, needed only for a candidate

    out = set()
    for reading in pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0:1]:
        for r in reading:
            r = re.sub("^([zcs])h", r"\1", r)
            r = re.sub("^n", "l", r)
            r = re.sub("ng$", "n", r)
            out.add(r)
    return frozenset(out)


def _sound_alike(a, b):
    try:
        return bool(_readings(a) & _readings(b))
    except ImportError:
        return False


def _near(window, canon):
    """("sub", i) or ("del", i) when the window is the canonical form with one character
    changed or dropped (not in its number word), else None."""
    text = canon.text
    if len(window) == len(text):
        if canon.kind == "name":
            return None  # 社会工作服务队 is another name, not a misspelling
        diffs = []
        for i, (a, b) in enumerate(zip(window, text, strict=True)):
            if a != b:
                diffs.append(i)
                if len(diffs) > 1:
                    return None
        if len(diffs) != 1 or diffs[0] < canon.number:
            return None
        i = diffs[0]
        if not "\u4e00" <= window[i] <= "\u9fff":
            return None
        if len(text) < SHORT and not _sound_alike(window[i], text[i]):
            return None
        return ("sub", i)
    if len(window) == len(text) - 1 and len(text) >= 5 and window[-1] == text[-1]:
        for i in range(max(1, canon.number), len(text) - 1):
            if text[:i] + text[i + 1 :] == window:
                return ("del", i)
    return None


def near_misses(doc):
    text = doc.simple
    candidates, exact = [], []
    for last, (length, owners) in _automaton().iter(text):
        start = last + 1 - length
        if text[start : last + 1] in canons():
            exact.append((start, last + 1))
        for canon, offset in owners:
            if offset is None:
                candidates.append((start, last + 1, canon))  # a dropped character
                continue
            s = start - offset
            e = s + len(canon.text)
            if s >= 0 and e <= len(text):
                candidates.append((s, e, canon))  # a changed character, maybe
    seen = set()
    exact.sort()
    starts = [a for a, _ in exact]
    longest = max((b - a for a, b in exact), default=0)
    for s, e, canon in candidates:
        if (s, e) in seen:
            continue
        window = text[s:e]
        if window in canons() or not _near(window, canon):
            continue
        # Quiet when the window overlaps a right form (社会工作服务 inside 社会工作服务站).
        lo = bisect.bisect_left(starts, s - longest)
        hi = bisect.bisect_left(starts, e)
        if any(a < e and s < b for a, b in exact[lo:hi]):
            continue
        seen.add((s, e))
        if canon.kind == "name":
            message = f"名称漏字：“{doc.text[s:e]}”应为“{canon.text}”"
            yield finding(doc, "T03", s, e, message, canon.text)
        else:
            message = f"固定表述写错：“{doc.text[s:e]}”应为“{canon.text}”"
            yield finding(doc, "O05", s, e, message, canon.text)


@cache
def _form_groups():
    groups = []
    for row in tables.read("names"):
        forms = (row["name"], *tables.split(row["forms"], "|"))
        if len(forms) > 1:
            groups.append(forms)
    return tuple(groups)


_TITLE = re.compile("《[^《》\n]*》")


def mixed_forms(doc):
    text = doc.simple
    titles = None
    for forms in _form_groups():
        if sum(form in text for form in forms) < 2:
            continue
        if titles is None:
            titles = [m.span() for m in _TITLE.finditer(text)]
        spots = []
        for form in forms:
            at = text.find(form)
            while at != -1:
                if not any(a <= at < b for a, b in titles):
                    spots.append((at, form))
                at = text.find(form, at + len(form))
        if len({form for _, form in spots}) < 2:
            continue
        spots.sort()
        first = spots[0][1]
        for at, form in spots:
            if form != first:
                message = f"同一名称写法不一：前文写作“{first}”，此处写作“{form}”，应统一"
                yield finding(doc, "O06", at, at + len(form), message, first)


CHECKS = (near_misses, mixed_forms)
