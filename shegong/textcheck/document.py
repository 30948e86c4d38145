"""The text under check and the views of it that the checks share: an OpenCC-simplified copy
of the same length, the lines, and the body (the text after the title)."""

import bisect
from functools import cache, cached_property

import opencc

BRIEF = "brief"
NOTICE = "notice"
KINDS = (BRIEF, NOTICE)


def is_han(char):
    """A CJK ideograph (the main block, extension A and beyond, compatibility ones) or 〇."""
    return (
        "\u4e00" <= char <= "\u9fff"
        or "\u3400" <= char <= "\u4dbf"
        or "\uf900" <= char <= "\ufaff"
        or "\U00020000" <= char <= "\U0003134f"
        or char == "\u3007"
    )


# Full-width and CJK marks, which sit next to Chinese text (not full-width digits or letters).
_PUNCT_RANGES = (
    (0x3000, 0x303F),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
)
_CJK_PUNCT = frozenset(chr(c) for lo, hi in _PUNCT_RANGES for c in range(lo, hi + 1)) | set(
    "“”‘’…—·"
)


def is_cjk_punct(char):
    return char in _CJK_PUNCT


def matches(pattern, text, not_after=""):
    """pattern.finditer(text) less the matches that follow a character of `not_after`.
    Written as a leading lookbehind, the same test stops `re` from skipping ahead to the
    pattern's first character, which makes a search several times slower."""
    for m in pattern.finditer(text):
        start = m.start()
        if start and text[start - 1] in not_after:
            continue
        yield m


@cache
def _converter():
    return opencc.OpenCC("t2s.json")


def simplified(text):
    """The text in simplified characters, of the same length, so that an offset into one is
    an offset into the other. OpenCC converts phrases; where a phrase changes length, that
    line is converted character by character instead."""
    convert = _converter().convert
    out = convert(text)
    if len(out) == len(text):
        return out
    lines = []
    for line in text.split("\n"):
        simple = convert(line)
        if len(simple) != len(line):
            simple = "".join(c if len(s := convert(c)) != 1 else s for c in line)
        lines.append(simple)
    return "\n".join(lines)


class Document:
    """`text` is checked as given; every offset the checks report indexes it. The body
    starts at `body_start` (after the title line, when there is one)."""

    def __init__(self, text, *, kind=BRIEF, body_start=0):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
        self.text = text
        self.kind = kind
        self.body_start = body_start
        self.simple = simplified(text)

    @cached_property
    def line_starts(self):
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def lines(self):
        """(start, end) of every line, without its line break."""
        starts = self.line_starts
        ends = [s - 1 for s in starts[1:]] + [len(self.text)]
        return zip(starts, ends, strict=True)

    def line_of(self, pos):
        """(start, end) of the line holding `pos`."""
        i = bisect.bisect_right(self.line_starts, pos) - 1
        start = self.line_starts[i]
        end = self.text.find("\n", start)
        return start, len(self.text) if end == -1 else end
