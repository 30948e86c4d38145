"""The figures of a supervisor's dashboard for one unit's subtree and one notice, all read
from the summary tables (activities.Summary, campaigns.ExpectedTally): the same handful of
small reads for a station and for the whole country."""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import caches

from shegong.activities import rollups
from shegong.activities.validation import all_domains, all_types, notice_span
from shegong.campaigns import tallies
from shegong.campaigns.models import PeriodKind
from shegong.orgs import versions
from shegong.orgs.models import Kind, OrgUnit
from shegong.projects import selectors as project_selectors

LINK_LABELS = ["社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"]


@dataclass
class Rate:
    period: object
    expected: int
    delivered: int
    on_time: int

    @property
    def reported_rate(self):
        return self.delivered / self.expected if self.expected else None

    @property
    def on_time_rate(self):
        return self.on_time / self.expected if self.expected else None

    @property
    def missing(self):
        return self.expected - self.delivered


@dataclass
class Dashboard:
    unit: object
    notice: object
    start: object
    end: object
    headline: dict
    previous: dict | None
    last_period: object
    rates: list
    weeks: list  # [(label, n, participants)]
    domains: list  # [(name, n, participants)]
    forms: list
    linkage: list  # [(label, n)]
    children: list = field(default_factory=list)  # [ChildRow]
    key: str = ""  # what cached() kept it under


@dataclass
class ChildRow:
    unit: object
    totals: dict
    rate: Rate | None


def rates_of(notice, path, grid):
    """The unit's rates in each period of the notice, from the counters in `grid`."""
    return [Rate(p, *grid[(p.pk, path)]) for p in notice.periods.all()]


def _weeks(by_day):
    """Totals by ISO week, labelled with the week's Monday: 3月14日周."""
    weeks = {}
    for day, totals in by_day.items():
        monday = day - timedelta(days=day.weekday())
        row = weeks.setdefault(monday, [0, 0])
        row[0] += totals["n"]
        row[1] += totals["participants"]
    return [(f"{m.month}月{m.day}日周", n, p) for m, (n, p) in sorted(weeks.items())]


def _by_name(buckets, names):
    rows = [(names.get(k, "未分类"), v["n"], v["participants"]) for k, v in buckets.items()]
    return sorted((r for r in rows if r[1]), key=lambda r: -r[1])


def _last_periods(notice, today):
    """The latest progress period that has started, and the one before it."""
    started = [
        p for p in notice.periods.all() if p.kind == PeriodKind.PROGRESS and p.start_date <= today
    ]
    started.sort(key=lambda p: p.start_date)
    return (started[-1] if started else None), (started[-2] if len(started) > 1 else None)


def reference_names():
    """{bit: name} of the service domains and {id: name} of the activity forms, from the
    lists the activity checks keep (read at most once a minute per worker)."""
    forms = {t.id: t.name for t in all_types()}
    forms[0] = "未填写"
    return {d.bit: d.name for d in all_domains()}, forms


def build(unit, notice, today, children=(), span=None):
    """Every figure of the dashboard of `unit` for `notice`; `children` are the child units
    the viewer may see (one row each, and the drill-down targets of the chart). `span` is
    (first day, last day), the notice's whole span by default (a summary reads its
    period's)."""
    start, end = span or notice_span(notice)
    figures = rollups.figures(unit.path, start, end)
    last, before = _last_periods(notice, today)
    previous = None
    if last and before:
        now = rollups.between(figures, last.start_date, last.end_date)
        then = rollups.between(figures, before.start_date, before.end_date)
        previous = {k: now[k] - then[k] for k in ("n", "participants", "beneficiaries", "linked")}
    children = list(children)
    # Every counter shown, the unit's in each period and each child's, in one read.
    grid = tallies.read_grid(notice.periods.all(), [unit.path, *(c.path for c in children)])
    domains, forms = reference_names()
    totals = figures.money()
    board = Dashboard(
        unit=unit,
        notice=notice,
        start=start,
        end=end,
        headline=totals,
        previous=previous,
        last_period=last,
        rates=rates_of(notice, unit.path, grid),
        weeks=_weeks(figures.by_day),
        domains=_by_name(figures.by_domain, domains),
        forms=_by_name(figures.by_form, forms),
        linkage=[
            (label, totals[name])
            for label, (_, name) in zip(LINK_LABELS, rollups.LINKS, strict=True)
        ],
    )
    if children:
        split = rollups.by_child(unit.path, [c.path for c in children], start, end)
        rate_period = last or next(iter(notice.periods.all()), None)
        for child in children:
            rate = Rate(rate_period, *grid[(rate_period.pk, child.path)]) if rate_period else None
            board.children.append(ChildRow(child, split[child.path], rate))
        own = split[unit.path]
        if own["n"]:
            board.children.append(ChildRow(None, own, None))
    return board


def cache_key(unit, notice, today, children=()):
    """The key under which cached() keeps build(unit, notice, today, children). It names
    all that build() reads besides the summaries (the notice, its periods and quota spans,
    the day and the children shown) and the data version of the unit's subtree
    (orgs.versions)."""
    periods = [(p.pk, p.kind, p.start_date, p.end_date, p.cutoff) for p in notice.periods.all()]
    periods += [(q.start_date, q.end_date) for q in notice.quotas.all()]  # notice_span()
    parts = (
        unit.path,
        notice.pk,
        notice.updated_at,
        periods,
        today,
        [c.path for c in children],
        versions.read(unit.path),
    )
    return "dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def kept_part(kind, unit, notice, today, children, make):
    """Something made from a board alone (its rendered figures, its API document) and the
    names of the units it shows: kept in the shared cache beside the board, so that a view
    whose figures have not moved neither unpickles the board nor makes it again.
    `make(board)` makes it on a miss."""
    children = list(children)
    board_key = cache_key(unit, notice, today, children)
    names = [(u.code, u.name, u.short_name) for u in [unit, *children]]
    key = f"{kind}:" + hashlib.sha256(repr((board_key, names)).encode()).hexdigest()
    store = caches["dashboards"]
    part = store.get(key)
    if part is None:
        part = make(cached(unit, notice, today, children, board_key=board_key))
        store.set(key, part)
    return part


def cached(unit, notice, today, children=(), board_key=None):
    """build(), kept until a write below the unit moves its data version, so a dashboard
    opened again costs one small read."""
    children = list(children)
    board_key = board_key or cache_key(unit, notice, today, children)
    store = caches["dashboards"]
    board = store.get(board_key)
    if board is None:
        board = build(unit, notice, today, children)
        board.key = board_key
        store.set(board_key, board)
        return board
    # Names and other details of the units as they are now, not as they were cached.
    board.unit, board.notice = unit, notice
    fresh = {c.path: c for c in children}
    for row in board.children:
        if row.unit is not None:
            row.unit = fresh[row.unit.path]
    return board


ACHIEVEMENT_KINDS = [
    (Kind.CENTRE, "社会工作指导中心"),
    (Kind.STATION, "社会工作站"),
    (Kind.ROOM, "社会工作室"),
    (Kind.AGENCY, "社会工作服务机构"),
]


def headline(unit, notice):
    """The headline totals of the dashboard alone: the subtree over the notice's span."""
    return rollups.figures(unit.path, *notice_span(notice)).money()


def achievements(unit, headline):
    """Seed 001's 'campaign achievements' line, counted from data: the platforms of the
    subtree, the people working in it, and what the campaign did."""
    from django.db.models import Count

    from shegong.orgs.models import Membership

    counts = dict(
        OrgUnit.objects.filter(unit.subtree_q(), is_active=True)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    people = (
        Membership.objects.filter(unit.subtree_q("unit__path"), user__is_active=True)
        .values("user")
        .distinct()
        .count()
    )
    staff = project_selectors.staff_counts(unit.path)
    rows = [(label, counts.get(kind, 0), "个") for kind, label in ACHIEVEMENT_KINDS]
    rows += [
        # The staff register (projects.Worker), not the platform's accounts.
        ("社会工作者", staff["staff"], "人"),
        ("其中持证社会工作者", staff["certified"], "人"),
        ("平台账号", people, "个"),
        ("开展活动", headline["n"], "场"),
        ("参与", headline["participants"], "人次"),
        ("受益", headline["beneficiaries"], "人次"),
        ("链接资金和物资", headline["linked"], "元"),
    ]
    return rows
