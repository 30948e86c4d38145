"""Completeness counters (campaigns.ExpectedTally) for every unit above an expected
reporter, changed in the same transaction as the expected-reporter row they count."""

from collections import Counter, defaultdict

from django.db import connection

from shegong.orgs import tree, versions

from .models import ExpectedTally

FIELDS = ("expected", "delivered", "on_time")


def nodes(path):
    """The unit itself and every ancestor: each counts this reporter."""
    return [*tree.ancestor_paths(path), path]


def change(period_id, path, expected=0, delivered=0, on_time=0):
    bump({(period_id, node): (expected, delivered, on_time) for node in nodes(path)})


def freeze(rows):
    """Counters for freshly frozen ExpectedReporter rows (period rows only)."""
    counts = Counter()
    for row in rows:
        if row.period_id is not None and row.excused_at is None:
            for node in nodes(row.unit_path):
                counts[(row.period_id, node)] += 1
    bump({key: (n, 0, 0) for key, n in counts.items()})


def bump(deltas):
    """Add (expected, delivered, on_time) deltas, creating rows as needed, in key order."""
    if not deltas:
        return
    table = connection.ops.quote_name(ExpectedTally._meta.db_table)
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in FIELDS)
    keys = sorted(deltas)
    versions.bump({node for _, node in keys})
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            params = []
            for key in chunk:
                params += [*key, *deltas[key]]
            cursor.execute(
                f"INSERT INTO {table} (period_id, node_path, expected, delivered, on_time) "
                f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(chunk))} "
                f"ON CONFLICT (period_id, node_path) DO UPDATE SET {updates}",
                params,
            )


def read(period, path):
    """(expected, delivered, on_time) of the subtree at `path` for `period`."""
    row = ExpectedTally.objects.filter(period=period, node_path=path).first()
    return (row.expected, row.delivered, row.on_time) if row else (0, 0, 0)


def read_many(period, paths):
    """{path: (expected, delivered, on_time)} for many subtrees in one query."""
    grid = read_grid([period], paths)
    return {p: grid[(period.pk, p)] for p in paths}


def read_grid(periods, paths):
    """{(period id, path): (expected, delivered, on_time)} for every pair, in one query."""
    periods, paths = list(periods), list(paths)
    rows = ExpectedTally.objects.filter(period__in=periods, node_path__in=paths)
    found = rows.values_list("period_id", "node_path", "expected", "delivered", "on_time")
    grid = {(p.pk, path): (0, 0, 0) for p in periods for path in paths}
    grid.update({(period, path): tuple(counts) for period, path, *counts in found})
    return grid


def recount(period):
    """Rebuild one period's counters from its expected-reporter rows."""
    from .models import ExpectedReporter

    ExpectedTally.objects.filter(period=period).delete()
    counts = defaultdict(lambda: [0, 0, 0])
    rows = ExpectedReporter.objects.filter(period=period, excused_at=None)
    for path, delivered_at in rows.values_list("unit_path", "delivered_at"):
        on_time = delivered_at is not None and delivered_at <= period.cutoff
        for node in nodes(path):
            counts[node][0] += 1
            counts[node][1] += delivered_at is not None
            counts[node][2] += on_time
    bump({(period.pk, node): v for node, v in counts.items()})
