"""Reading the rule and word-list tables in data/: UTF-8, tab-separated, a header line first."""

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

# Cells may spell a line break as \n and an invisible character as \uXXXX, so that every
# example can be read (and edited) as plain text.
_ESCAPE = re.compile(r"\\n|\\u([0-9A-Fa-f]{4})")


def _unescape(cell):
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else "\n", cell)


@cache
def read(name):
    """The rows of data/<name>.tsv as dicts keyed by its header, plus "line" (the line number).
    Blank lines and lines starting with # are comments. Read once per process."""
    rows = []
    header = None
    path = DATA / f"{name}.tsv"
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            if len(cells) != len(header):
                raise ValueError(
                    f"{path.name}:{number}: {len(cells)} columns, the header has {len(header)}"
                )
            row = {key: _unescape(cell) for key, cell in zip(header, cells, strict=True)}
            row["line"] = number
            rows.append(row)
    return tuple(rows)


def split(cell, sep):
    """A list cell ("a|b", "甲、乙") as a tuple, without empty items."""
    return tuple(item for item in cell.split(sep) if item)
