"""Data versions of subtrees: every write that changes the figures of a subtree (register
rows through activities.rollups, completeness counters through campaigns.tallies) adds one
to the version of each unit above it, down to ROLLUP_DEPTH, in its own transaction. A
reader that keys what it computed by the version of the unit's node therefore never serves
figures older than the last committed write below that unit."""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from shegong.db_router import read_cursor

from . import tree
from .models import SubtreeVersion

_untracked = []


@contextmanager
def untracked():
    """For the data migrations that fill summaries before this table exists (and before
    anybody could have cached anything)."""
    _untracked.append(True)
    try:
        yield
    finally:
        _untracked.pop()


def node(path):
    """The unit whose version covers `path`: itself, or its ancestor at ROLLUP_DEPTH."""
    return path[: (settings.ROLLUP_DEPTH + 1) * tree.SEGMENT]


def bump(paths):
    """Add one to the version of every unit above (and at) each of `paths`."""
    if _untracked:
        return
    nodes = set()
    for path in paths:
        clipped = node(path)
        nodes.update(tree.ancestor_paths(clipped))
        nodes.add(clipped)
    if not nodes:
        return
    table = connection.ops.quote_name(SubtreeVersion._meta.db_table)
    keys = sorted(nodes)  # one lock order for every writer
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} (node_path, n) VALUES {', '.join(['(%s, 1)'] * len(chunk))} "
                f"ON CONFLICT (node_path) DO UPDATE SET n = {table}.n + 1",
                chunk,
            )


def read(path):
    """The version of the subtree at `path` (0 before its first write)."""
    # Every dashboard and list reads this once: a plain cursor costs a third of the ORM's
    # query building for the same one-row read.
    table = connection.ops.quote_name(SubtreeVersion._meta.db_table)
    with read_cursor(SubtreeVersion) as cursor:
        cursor.execute(f"SELECT n FROM {table} WHERE node_path = %s", [node(path)])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_all():
    """After a wholesale rebuild: every version moves on."""
    from django.db.models import F

    if not _untracked:
        SubtreeVersion.objects.update(n=F("n") + 1)
