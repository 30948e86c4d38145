"""The proofreader for briefs (新闻简讯) and notices: rules and word lists, no Django.

from shegong.textcheck import check, stats
for finding in check(text, kind="brief"):
    print(finding.code, finding.severity, finding.start, finding.end, finding.message)
"""

from .checker import check, stats
from .document import BRIEF, KINDS, NOTICE
from .elements import MAX_CHARS, MIN_CHARS
from .findings import ERROR, INFO, SEVERITIES, WARNING, Finding

__all__ = [
    "BRIEF",
    "ERROR",
    "INFO",
    "KINDS",
    "MAX_CHARS",
    "MIN_CHARS",
    "NOTICE",
    "SEVERITIES",
    "WARNING",
    "Finding",
    "check",
    "stats",
]
