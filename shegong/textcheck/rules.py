"""The finding codes (data/codes.tsv): severity and Chinese title of each, and how a finding
is made from a code and a span."""

from dataclasses import dataclass
from functools import cache

from . import tables
from .findings import SEVERITIES, Finding


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    severity: str
    title: str


@cache
def registry():
    rules = {}
    for row in tables.read("codes"):
        if row["severity"] not in SEVERITIES:
            raise ValueError(f"codes.tsv:{row['line']}: unknown severity {row['severity']!r}")
        rules[row["code"]] = Rule(row["code"], row["severity"], row["title"])
    return rules


def finding(doc, code, start, end, message=None, suggestion=None, severity=None):
    """A Finding for doc.text[start:end]; the message defaults to the code's title and the
    severity to the code's severity in codes.tsv."""
    rule = registry()[code]
    return Finding(
        code=code,
        severity=severity or rule.severity,
        start=start,
        end=end,
        text=doc.text[start:end],
        message=message or rule.title,
        suggestion=suggestion,
    )
