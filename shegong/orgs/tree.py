"""Materialised paths for the reporting tree.

A unit's path is its parent's path plus one fixed-width segment (4 base-36 characters,
'0000'…'ZZZZ'), so a subtree is a contiguous range: path >= p AND path < p + '~'.
'~' sorts above every segment character in byte order (SQLite's BINARY collation and
PostgreSQL's "C"). Never use __startswith: on SQLite it cannot seek the index
(795 ms instead of 2.9 ms on 10 M rows, research/perf.md).
"""

from django.db import models
from django.db.models import Q

SEGMENT = 4
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
HIGH = "~"
MAX_CHILDREN = len(DIGITS) ** SEGMENT


def segment(n):
    """The n-th child segment (0-based), e.g. 0 -> '0000', 36 -> '0010'."""
    if not 0 <= n < MAX_CHILDREN:
        raise ValueError(f"segment number out of range: {n}")
    out = ""
    for _ in range(SEGMENT):
        n, r = divmod(n, len(DIGITS))
        out = DIGITS[r] + out
    return out


def segment_number(seg):
    n = 0
    for ch in seg:
        n = n * len(DIGITS) + DIGITS.index(ch)
    return n


def next_child_path(parent_path, last_child_path):
    """Path for a new child after the highest existing one (or the first one)."""
    if last_child_path is None:
        return parent_path + segment(0)
    return parent_path + segment(segment_number(last_child_path[-SEGMENT:]) + 1)


def depth_of(path):
    return len(path) // SEGMENT - 1


def ancestor_paths(path):
    """Paths of every ancestor, root first, excluding `path` itself."""
    return [path[:i] for i in range(SEGMENT, len(path), SEGMENT)]


def subtree(path, field="path"):
    """Q for the unit at `path` and everything below it."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path + HIGH})


def descendants(path, field="path"):
    return Q(**{f"{field}__gt": path, f"{field}__lt": path + HIGH})


class PathField(models.CharField):
    """A CharField compared byte by byte on every database.

    PostgreSQL gets COLLATE "C" so that the range predicates above use the btree in
    byte order; SQLite's default BINARY collation already is.
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


def move_copies(*, old_path, new_path, copies):
    """Rewrite the unit paths copied onto other tables when the subtree at `old_path`
    moves to `new_path`: `copies` are (model, field name) pairs. An app registers it with
    its pairs in orgs.services.path_copy_hooks; move_unit runs it in its transaction."""
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    for model, field in copies:
        tail = Substr(field, len(old_path) + 1)
        model.objects.filter(subtree(old_path, field)).update(
            **{field: Concat(Value(new_path), tail, output_field=PathField())}
        )
