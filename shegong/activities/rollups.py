"""The summary rows of the register (activities.Summary): kept current by the register's
services in the same transaction as each write, rebuilt by `shegong rebuild-summaries`,
and read by every dashboard so that a national total costs what a station's does.

Each activity adds one vector of measures to every summary node above it (itself included,
down to settings.ROLLUP_DEPTH), in the bucket of the whole register, of each of its
service domains, and of its form, on the day it started. A change is the new vector minus
the old; a delete is minus the old.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from shegong.orgs import tree, versions

from .models import Activity, Linkage, Summary

ALL, DOMAIN, FORM = 0, 1, 2
WEEK = 10  # dim + WEEK: the same bucket totalled by ISO week, on the row of its Monday
LINKS = [
    (Linkage.COMMUNITY, "link_community"),
    (Linkage.ORGANISATION, "link_organisation"),
    (Linkage.SOCIAL_WORKER, "link_worker"),
    (Linkage.VOLUNTEER, "link_volunteer"),
    (Linkage.CHARITY, "link_charity"),
]
MEASURES = [
    "n",
    "participants",
    "beneficiaries",
    "funds_fen",
    "inkind_fen",
    *(name for _, name in LINKS),
]
DOMAIN_BITS = range(31)  # ServiceDomain.bit is 0…30
CHUNK = 400


def fen(amount):
    """Yuan to whole fen; SQLite's sums arrive as floats, hence the rounding."""
    return round(Decimal(amount or 0) * 100)


@dataclass(frozen=True)
class Group:
    """Activities that share unit path, start day, domains and form, with their measures:
    one activity, or one row of a GROUP BY over raw rows."""

    org_path: str
    day: object
    domain_mask: int
    type_id: int
    measures: tuple


def group_of(activity):
    """The contribution of one live activity (None for a deleted one)."""
    if activity.deleted_at is not None:
        return None
    return _group(
        activity.org_path,
        activity.date_start,
        activity.domain_mask,
        activity.activity_type_id,
        activity.participants,
        activity.beneficiaries,
        activity.funds,
        activity.inkind,
        activity.linkage,
    )


def contribution(path, values):
    """The contribution of an activity of the unit at `path` with the stored `values`
    (field names, the activity form by id), before it is an object."""
    v = values
    return _group(
        path,
        v["date_start"],
        v["domain_mask"],
        v["activity_type"],
        v["participants"],
        v["beneficiaries"],
        v["funds"],
        v["inkind"],
        v["linkage"],
    )


def _group(path, day, domain_mask, type_id, participants, beneficiaries, funds, inkind, linkage):
    links = tuple(1 if linkage & bit else 0 for bit, _ in LINKS)
    measures = (1, participants or 0, beneficiaries or 0, fen(funds), fen(inkind), *links)
    return Group(path, day, domain_mask, type_id or 0, measures)


def _grouped(rows, *keys, links=True):
    """A GROUP BY over the live activities of `rows` by `keys`, with count and sums. The
    five-party counts come out of the same row: the sum of `linkage & bit` over a group is
    bit times the number of its activities with that party (_measures)."""
    sums = {f"l{bit}_": Sum(F("linkage").bitand(bit)) for bit, _ in LINKS} if links else {}
    return (
        rows.filter(deleted_at=None)
        .values(*keys)
        .annotate(
            n_=Count("id"),
            p_=Coalesce(Sum("participants"), 0),
            b_=Coalesce(Sum("beneficiaries"), 0),
            f_=Coalesce(Sum("funds"), Decimal(0)),
            i_=Coalesce(Sum("inkind"), Decimal(0)),
            **sums,
        )
        .order_by()
    )


def _measures(r):
    """The MEASURES vector of one _grouped row (its first five alone, without links)."""
    out = (r["n_"], r["p_"], r["b_"], fen(r["f_"]), fen(r["i_"]))
    if "l1_" in r:
        out += tuple((r[f"l{bit}_"] or 0) // bit for bit, _ in LINKS)
    return out


def raw_groups(rows):
    """Groups of a queryset of activities, totalled by the database."""
    grouped = _grouped(rows, "org_path", "date_start", "domain_mask", "activity_type_id")
    for r in grouped.iterator(chunk_size=2000):
        yield Group(
            r["org_path"],
            r["date_start"],
            r["domain_mask"],
            r["activity_type_id"] or 0,
            _measures(r),
        )


def nodes(path):
    """The summary nodes an activity of the unit at `path` counts in: its ancestors and
    itself, down to ROLLUP_DEPTH."""
    deepest = min(len(path), (settings.ROLLUP_DEPTH + 1) * tree.SEGMENT)
    return [path[:i] for i in range(tree.SEGMENT, deepest + 1, tree.SEGMENT)]


def has_rows(path):
    return tree.depth_of(path) <= settings.ROLLUP_DEPTH


def buckets(group):
    out = [(ALL, 0), (FORM, group.type_id)]
    mask = group.domain_mask
    out += [(DOMAIN, bit) for bit in DOMAIN_BITS if mask >> bit & 1]
    return out


def monday(day):
    return day - timedelta(days=day.weekday())


def _add(deltas, group):
    week = monday(group.day)
    for node in nodes(group.org_path):
        for dim, key in buckets(group):
            for cell in ((node, group.day, dim, key), (node, week, dim + WEEK, key)):
                vector = deltas[cell]
                for i, value in enumerate(group.measures):
                    vector[i] += value


def _merged(added, removed):
    """The groups' measures summed by (path, day, domains, form): a 10,000-row import adds
    to a few hundred such keys, each expanded to its summary cells once."""
    merged = defaultdict(lambda: [0] * len(MEASURES))
    for groups, sign in ((added, 1), (removed, -1)):
        for group in groups:
            if group is None:
                continue
            vector = merged[(group.org_path, group.day, group.domain_mask, group.type_id)]
            for i, value in enumerate(group.measures):
                vector[i] += sign * value
    return merged


def record(*, added=(), removed=()):
    """Apply the contributions of `added` groups minus those of `removed` ones."""
    deltas = defaultdict(lambda: [0] * len(MEASURES))
    for key, measures in _merged(added, removed).items():
        if any(measures):
            _add(deltas, Group(*key, tuple(measures)))
    changed = {k: v for k, v in deltas.items() if any(v)}
    _upsert(changed)
    versions.bump({k[0] for k in changed})
    emptied = [k for k, v in changed.items() if v[0] < 0]
    if emptied:
        # Buckets whose last activity left: drop them so readers never see empty buckets.
        Summary.objects.filter(
            n=0, node_path__in={k[0] for k in emptied}, day__in={k[1] for k in emptied}
        ).delete()


def _upsert(deltas):
    """One INSERT … ON CONFLICT DO UPDATE per chunk, in key order so that concurrent
    writers take row locks in the same order (no deadlocks on the hot root rows)."""
    if not deltas:
        return
    table = connection.ops.quote_name(Summary._meta.db_table)
    columns = ["node_path", "day", "dim", "key", *MEASURES]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    updates = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in MEASURES)
    postgres = connection.vendor == "postgresql"
    if postgres:
        # One array per column: psycopg splits a short statement once and keeps it, where
        # a VALUES list of 15 placeholders a row is split again on every write.
        types = ["varchar", "date", "smallint", "integer"] + ["bigint"] * len(MEASURES)
        source = "SELECT * FROM unnest(" + ", ".join(f"%s::{t}[]" for t in types) + ")"
    else:
        row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    keys = sorted(deltas)
    with connection.cursor() as cursor:
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            rows = [(*key, *deltas[key]) for key in chunk]
            if postgres:
                values, params = source, [list(column) for column in zip(*rows, strict=True)]
            else:
                values = "VALUES " + ", ".join([row] * len(chunk))
                params = [value for r in rows for value in r]
            cursor.execute(
                f"INSERT INTO {table} ({names}) {values} "
                f'ON CONFLICT (node_path, dim, "key", day) DO UPDATE SET {updates}',
                params,
            )


def move_subtree(old_path, new_path, copy_paths):
    """A unit moved: take its subtree's activities out of the old ancestors' rows, let
    `copy_paths` rewrite the paths, then add them to the new ancestors' rows."""
    rows = Activity.objects.filter(tree.subtree(old_path, "org_path"))
    record(removed=list(raw_groups(rows)))
    Summary.objects.filter(tree.subtree(old_path, "node_path")).delete()
    copy_paths()
    record(added=list(raw_groups(Activity.objects.filter(tree.subtree(new_path, "org_path")))))


def rebuild():
    """Recompute every summary row from the register, in three INSERT … SELECT."""
    table = connection.ops.quote_name(Summary._meta.db_table)
    source = connection.ops.quote_name(Activity._meta.db_table)
    deepest = settings.ROLLUP_DEPTH + 1
    lengths = " UNION ALL ".join(f"SELECT {tree.SEGMENT * i} AS len" for i in range(1, deepest + 1))
    bits = " UNION ALL ".join(f"SELECT {b} AS bit" for b in DOMAIN_BITS)
    links = ", ".join(
        f"SUM(CASE WHEN (a.linkage & {bit}) <> 0 THEN 1 ELSE 0 END)" for bit, _ in LINKS
    )
    measures = (
        "COUNT(*), SUM(COALESCE(a.participants, 0)), SUM(COALESCE(a.beneficiaries, 0)), "
        "SUM(CAST(ROUND(COALESCE(a.funds, 0) * 100) AS BIGINT)), "
        "SUM(CAST(ROUND(COALESCE(a.inkind, 0) * 100) AS BIGINT)), " + links
    )
    names = ", ".join(["node_path", "day", "dim", '"key"', *MEASURES])
    variants = [
        (ALL, "0", ""),
        (FORM, "COALESCE(a.activity_type_id, 0)", ""),
        (DOMAIN, "b.bit", f"JOIN ({bits}) b ON (a.domain_mask & (1 << b.bit)) <> 0"),
    ]
    Summary.objects.all().delete()
    versions.bump_all()
    with connection.cursor() as cursor:
        for dim, key, join in variants:
            cursor.execute(
                f"INSERT INTO {table} ({names}) "
                f"SELECT SUBSTR(a.org_path, 1, l.len), a.date_start, {dim}, {key}, {measures} "
                f"FROM {source} a JOIN ({lengths}) l ON LENGTH(a.org_path) >= l.len {join} "
                f"WHERE a.deleted_at IS NULL "
                f"GROUP BY SUBSTR(a.org_path, 1, l.len), a.date_start"
                + ("" if dim == ALL else f", {key}")
            )
    add_weeks()
    return Summary.objects.count()


def add_weeks():
    """The weekly rows, totalled afresh from the daily ones (after a rebuild, and once when
    weekly rows were introduced)."""
    Summary.objects.filter(dim__gte=WEEK).delete()
    table = connection.ops.quote_name(Summary._meta.db_table)
    if connection.vendor == "postgresql":
        week = "CAST(date_trunc('week', day) AS date)"
    else:
        week = "date(day, '-6 days', 'weekday 1')"  # the Monday on or before the day
    names = ", ".join(["node_path", "day", "dim", '"key"', *MEASURES])
    sums = ", ".join(f"SUM({m})" for m in MEASURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) "
            f'SELECT node_path, {week}, dim + {WEEK}, "key", {sums} FROM {table} '
            f'WHERE dim < {WEEK} GROUP BY node_path, {week}, dim, "key"'
        )


# --- reading ------------------------------------------------------------------------------


def _blank():
    return dict.fromkeys(MEASURES, 0)


def _money(totals):
    out = dict(totals)
    out["funds"] = Decimal(out.pop("funds_fen")).scaleb(-2)
    out["inkind"] = Decimal(out.pop("inkind_fen")).scaleb(-2)
    out["linked"] = out["funds"] + out["inkind"]
    return out


@dataclass
class Figures:
    """What a dashboard shows of one subtree over a span of days."""

    totals: dict = field(default_factory=_blank)
    by_day: dict = field(default_factory=lambda: defaultdict(_blank))
    by_domain: dict = field(default_factory=lambda: defaultdict(_blank))
    by_form: dict = field(default_factory=lambda: defaultdict(_blank))

    def feed(self, dim, key, day, values):
        if dim == ALL:
            targets = (self.totals, self.by_day[day]) if day else (self.totals,)
        else:
            targets = (self.by_domain[key] if dim == DOMAIN else self.by_form[key],)
        for target in targets:
            for name, value in zip(MEASURES, values, strict=True):
                target[name] += value

    def money(self):
        return _money(self.totals)


def _span(start, end, column):
    q = Q()
    if start:
        q &= Q(**{f"{column}__gte": start})
    if end:
        q &= Q(**{f"{column}__lte": end})
    return q


def _grained(start, end, dims):
    """The summary rows of `dims` that add up to the days from `start` to `end` (either may
    be open) once each: the weekly rows of the whole ISO weeks inside the span and the daily
    rows of the days at its ends outside them. A 26-week span reads about a fifth of the
    rows that its days alone would."""
    first = start and monday(start + timedelta(days=6))  # the first Monday from start on
    after = end and monday(end + timedelta(days=1))  # the Monday after the last whole week
    if first and after and first >= after:  # no whole week inside
        return Q(dim__in=dims) & _span(start, end, "day")
    weekly = [d + WEEK for d in dims]
    q = Q(dim__in=weekly) & _span(first, after and after - timedelta(days=1), "day")
    if start and start < first:
        q |= Q(dim__in=dims, day__gte=start, day__lt=first)
    if end and after <= end:
        q |= Q(dim__in=dims, day__gte=after, day__lte=end)
    return q


def figures(path, start=None, end=None):
    """Totals, by day, by domain and by form of the subtree at `path`, from summary rows
    when the unit keeps them (two reads: the whole register's daily rows, and the domain and
    form buckets grouped over _grained rows), from raw rows otherwise (a small subtree)."""
    out = Figures()
    if has_rows(path):
        sums = {m: Sum(m) for m in MEASURES}
        days = Summary.objects.filter(Q(node_path=path, dim=ALL) & _span(start, end, "day"))
        for day, *values in days.values_list("day", *MEASURES):
            out.feed(ALL, 0, day, values)
        rows = Summary.objects.filter(Q(node_path=path) & _grained(start, end, [DOMAIN, FORM]))
        for dim, key, *values in (
            rows.values_list("dim", "key")
            .annotate(**sums)
            .order_by()
            .values_list("dim", "key", *sums)
        ):
            out.feed(dim % WEEK, key, None, values)
        return out
    rows = Activity.objects.filter(tree.subtree(path, "org_path") & _span(start, end, "date_start"))
    for group in raw_groups(rows):
        for dim, key in buckets(group):
            out.feed(dim, key, group.day, group.measures)
    return out


def between(figures, start, end):
    """The totals of the days from `start` to `end` of already read figures."""
    out = _blank()
    for day, totals in figures.by_day.items():
        if start <= day <= end:
            for name in MEASURES:
                out[name] += totals[name]
    return _money(out)


def total(path, start=None, end=None, dim=ALL, key=0):
    """Count and sums of one bucket of the subtree at `path` (a unit that keeps rows)."""
    rows = Summary.objects.filter(Q(node_path=path, key=key) & _grained(start, end, [dim]))
    sums = rows.aggregate(**{m: Sum(m) for m in MEASURES})
    return _money({m: sums[m] or 0 for m in MEASURES})


LARGE_SHARE, LARGE_MIN = 0.01, 1000


def is_large(n):
    """Whether `n` rows are more than 1 % of the whole register (the roots' totals)."""
    if n < LARGE_MIN:
        return False
    from shegong.orgs.models import OrgUnit

    roots = OrgUnit.objects.filter(parent=None).values_list("path", flat=True)
    everything = Summary.objects.filter(node_path__in=list(roots), dim=ALL + WEEK).aggregate(
        n=Sum("n")
    )
    return n > (everything["n"] or 0) * LARGE_SHARE


SPLIT = MEASURES[:5]  # what a child's row shows: no five-party counts


def by_child(path, child_paths, start=None, end=None):
    """Totals per child subtree, plus the unit's own activities under its own path: count,
    people and money (SPLIT), what the child rows of dashboards and reports show."""
    out = {p: dict.fromkeys(SPLIT, 0) for p in [path, *child_paths]}
    span = _span(start, end, "date_start")
    if child_paths and has_rows(child_paths[0]):
        rows = (
            Summary.objects.filter(Q(node_path__in=child_paths) & _grained(start, end, [ALL]))
            .values("node_path")
            .annotate(**{m + "_": Sum(m) for m in SPLIT})
            .order_by()
        )
        for r in rows:
            out[r["node_path"]] = {m: r[m + "_"] for m in SPLIT}
        raw = Activity.objects.filter(Q(org_path=path) & span)
    else:
        raw = Activity.objects.filter(tree.subtree(path, "org_path") & span)
    # One row per unit, not per activity. Grouping by the path itself keeps
    # SQLite on the path index (a computed prefix sends it to the date index: 17 ms, not 1).
    width = len(path) + tree.SEGMENT
    for r in _grouped(raw, "org_path", links=False):
        target = out.get(r["org_path"][:width], out[path])
        for name, value in zip(SPLIT, _measures(r), strict=True):
            target[name] += value
    return {p: _money(v) for p, v in out.items()}


def stored():
    """Every non-zero summary row as {(node, day, dim, key): (measures…)}, for checks."""
    rows = Summary.objects.values_list("node_path", "day", "dim", "key", *MEASURES)
    return {tuple(r[:4]): tuple(r[4:]) for r in rows if any(r[4:])}


def recomputed():
    """The same, recomputed in Python from the raw register."""
    deltas = defaultdict(lambda: [0] * len(MEASURES))
    for group in raw_groups(Activity.objects.all()):
        _add(deltas, group)
    return {k: tuple(v) for k, v in deltas.items() if any(v)}
