"""A comment from the public form, cleaned with the proofreader (shegong.textcheck) before it
is stored: spam lines and links removed, traditional characters, doubled punctuation and
pinyin debris corrected, phone and ID numbers masked. What a rater wrote otherwise stays."""

from django.core.exceptions import ValidationError

from shegong.textcheck import BRIEF, check

from .models import MAX_COMMENT

# Findings whose suggestion is applied as it is.
APPLIED = frozenset({"S01", "W01", "C01", "P01", "E01", "E03", "E04", "I01", "I02"})
# Findings whose text is removed (a link: "" instead of the proofreader's "check it").
REMOVED = frozenset({"W02"})


def clean_comment(text):
    text = " ".join((text or "").split())  # one line, single spaces
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            {"comment": f"评价内容不超过 {MAX_COMMENT} 个字（现有 {len(text)} 字）。"}
        )
    if not text:
        return ""
    edits, last_start = [], len(text) + 1
    for f in sorted(check(text, kind=BRIEF), key=lambda f: (f.start, f.end), reverse=True):
        if f.end <= f.start or f.end > last_start:
            continue  # document-level, or overlapping an edit already taken
        if f.code in REMOVED:
            edits.append((f.start, f.end, ""))
        elif f.code in APPLIED and f.suggestion is not None:
            edits.append((f.start, f.end, f.suggestion))
        else:
            continue
        last_start = f.start
    for start, end, replacement in edits:  # right to left: offsets stay valid
        text = text[:start] + replacement + text[end:]
    return " ".join(text.split())
