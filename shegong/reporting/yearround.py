"""The year-round work's figures beside the campaign's (step 11): case files, volunteers,
ratings, community funds, purchased projects and staff, supervision — each app's
selectors.figures(path, start, end), labelled by its LABELS, for the dashboard and the
summary. Aggregates of the subtree only: nothing personal."""

from dataclasses import dataclass
from decimal import Decimal

from shegong.casework import selectors as cases
from shegong.funds import selectors as funds
from shegong.projects import selectors as projects
from shegong.ratings import selectors as ratings
from shegong.supervision import selectors as supervision
from shegong.volunteers import selectors as volunteers

SECTIONS = [
    ("个案服务（一人一档）", cases),
    ("志愿服务与时间银行", volunteers),
    ("服务评价", ratings),
    ("社区基金", funds),
    ("购买服务项目与社工人才", projects),
    ("督导", supervision),
]


@dataclass
class Section:
    title: str
    rows: list  # (label, value)


def figures(unit, start, end):
    """One Section per app, over the subtree of `unit` and the days start..end."""
    return [
        Section(title, rows(selectors.figures(unit.path, start, end), selectors.LABELS))
        for title, selectors in SECTIONS
    ]


def rows(values, labels):
    """(label, value) of the numbers among an app's figures, in their order."""
    return [
        (_label(labels, key), value)
        for key, value in values.items()
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    ]


def _label(labels, key):
    """A figure's label; "group:<name>" keys (counts per group) are labelled by the name."""
    if key.startswith("group:"):
        return f"其中{key.split(':', 1)[1]}（在案）"
    return labels.get(key, key)


def sentence(sections):
    """The summary draft's line on the year-round work: its non-zero figures."""
    parts = []
    for s in sections:
        shown = [f"{label}{_plain(v)}" for label, v in s.rows if v]
        if shown:
            parts.append(f"{s.title}：{'，'.join(shown)}")
    return "同期常态化服务情况：" + "；".join(parts) + "。" if parts else ""


def _plain(value):
    if isinstance(value, float | Decimal):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
