"""check(): every family of rules over one text, the findings tidied into reading order."""

import bisect
import re

from . import (
    elements,
    names,
    numbers,
    official,
    particles,
    patterns,
    privacy,
    punctuation,
    script,
    web,
    wordlists,
)
from .document import BRIEF, Document
from .findings import SEVERITIES

CHECKS = (
    *web.CHECKS,
    *script.CHECKS,
    *punctuation.CHECKS,
    *numbers.CHECKS,
    *particles.CHECKS,
    *wordlists.CHECKS,
    *official.CHECKS,
    *names.CHECKS,
    *patterns.CHECKS,
    *privacy.CHECKS,
)

# A spam or page-furniture line is deleted whole, so nothing inside it is worth a finding.
LINE_CODES = frozenset({"S01", "W01"})
# A half-width mark, a traditional character or a full-width digit inside a span that another
# rule reports is fixed by that rule's suggestion (党委领导,、政府 is one P01, not P01 + P02).
COVERED_CODES = frozenset({"P02", "C01", "N04"})
_RANK = {severity: i for i, severity in enumerate(SEVERITIES)}
_SPACE = re.compile(r"\s+")


def check(
    text, kind=BRIEF, title=None, *, min_chars=elements.MIN_CHARS, max_chars=elements.MAX_CHARS
):
    """The findings for `text`, sorted by position.

    kind: "brief" (新闻简讯: element, length and privacy checks) or "notice".
    title: when given, the headline; the checked text is then `title + "\\n" + text` (the way a
    file whose first line is the title reads) and every offset indexes that string. A brief
    whose body is empty while its title runs on into sentences is split where the body
    starts (A06) and checked as title and body.
    min_chars, max_chars: the length of a brief body, in non-space characters, below or above
    which A01 is reported.
    """
    body_start = 0
    run_on = None
    if title is not None:
        if kind == BRIEF and not text.strip():
            run_on = elements.run_on_title(title)
        text = f"{title}\n{text}"
        body_start = len(title) + 1 if run_on is None else run_on
    doc = Document(text, kind=kind, body_start=body_start)
    found = [finding for rule in CHECKS for finding in rule(doc)]
    if run_on is not None:
        found.append(elements.run_on_finding(doc, run_on))
    found += elements.elements(doc, min_chars=min_chars, max_chars=max_chars)
    return _tidy(found)


def stats(text):
    return {"chars": len(text), "chars_no_space": len(_SPACE.sub("", text))}


class _Spans:
    """Answers "does one of these spans contain [start, end)?" in O(log n)."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = []
        reach = -1
        for _, end in spans:
            reach = max(reach, end)
            self.reach.append(reach)

    def contain(self, start, end):
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


def _tidy(found):
    found = list(dict.fromkeys(found))  # the same spot reported twice by one rule
    lines = _Spans((f.start, f.end) for f in found if f.code in LINE_CODES)
    found = [f for f in found if f.code in LINE_CODES or not lines.contain(f.start, f.end)]
    others = _Spans(
        (f.start, f.end) for f in found if f.code not in COVERED_CODES and f.end > f.start
    )
    found = [f for f in found if f.code not in COVERED_CODES or not others.contain(f.start, f.end)]
    found = _one_per_spot(found)
    found.sort(key=lambda f: (f.start, f.end, _RANK[f.severity], f.code))
    return found


# A near miss (O05, T03) inside an exact wrong form of the word lists (O01, T01) is the
# same fault; of two overlapping findings of one of these families, the longer is kept.
_SAME_FAULT = {"O05": ("O01", "T01", "O05", "T03"), "T03": ("O01", "T01", "O05", "T03")}
_ONE_PER_SPOT = frozenset({"D01", "O05", "T03"})


def _one_per_spot(found):
    kept = []
    ranked = sorted(found, key=lambda f: (-(f.end - f.start), f.start))
    taken = {}
    for f in ranked:
        if f.code in _ONE_PER_SPOT:
            rivals = _SAME_FAULT.get(f.code, (f.code,))
            if any(a < f.end and f.start < b for code in rivals for a, b in taken.get(code, ())):
                continue
        taken.setdefault(f.code, []).append((f.start, f.end))
        kept.append(f)
    return kept
