"""的、地、得 (code D01): the high-precision patterns of data/particles.tsv."""

import re
from functools import cache

from . import tables
from .rules import finding


@cache
def patterns():
    return tuple(
        (re.compile(row["pattern"]), row["replacement"]) for row in tables.read("particles")
    )


def particles(doc):
    # On the simplified view, so that a traditional text is held to the same rules.
    for pattern, replacement in patterns():
        for m in pattern.finditer(doc.simple):
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
