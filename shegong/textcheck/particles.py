"""的、地、得 (code D01): the high-precision patterns of data/particles.tsv."""

import re
from functools import cache

from . import tables
from .document import matches
from .rules import finding


@cache
def patterns():
    return tuple(
        # MULTILINE: a pattern's $ ends a line too, as a line of a text box ends a sentence.
        (re.compile(row["pattern"], re.MULTILINE), row["not_after"], row["replacement"])
        for row in tables.read("particles")
    )


def particles(doc):
    # On the simplified view, so that a traditional text is held to the same rules.
    for pattern, not_after, replacement in patterns():
        for m in matches(pattern, doc.simple, not_after):
            right = m.expand(replacement)
            yield finding(
                doc,
                "D01",
                m.start(),
                m.end(),
                f"“的、地、得”用错：“{m.group()}”应为“{right}”",
                right,
            )


CHECKS = (particles,)
