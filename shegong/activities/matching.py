"""Which stored activity each row of an imported table is, so that uploading a file again,
or a corrected version of it, adds nothing twice and never loses a row.

- A row's identity is its unit, 活动名称, start date, 活动地点 and organiser (参与活动的单位
  或社会组织名称), of those the file has columns for. Rows of one identity are different
  activities when any other figure differs: a district's table often has the same titled
  activity at two stations, or a morning and an afternoon session.
- A row identical to an earlier one in every stored field is an exact repeat: listed, and
  stored once unless the clerk keeps both.
- Rows of one identity are matched to the unit's stored activities of that identity: first
  each row to a stored activity it equals (so reordered rows stay "unchanged"), then the
  rest in file order to the rest in the order they were stored. A row left over is new; a
  stored activity left over is kept as it is (a file never deletes).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db import connection
from django.db.models import Count, Max, Sum

from .models import Activity
from .services import STORED

IDENTITY = ("name", "date_start", "place", "org_text")
FIELDS = STORED  # the stored fields, with the activity form by id (check_activity's holds it)
COLUMNS = [f + "_id" if f == "activity_type" else f for f in FIELDS]


@dataclass(slots=True)
class Stored:
    """A stored activity as the matching read it."""

    id: int
    version: int
    locked: bool
    row: list  # the values of FIELDS in order, the activity form by id

    @property
    def values(self):
        """FIELDS -> value: only a changed row needs them by name."""
        return dict(zip(FIELDS, self.row, strict=True))


def split_repeats(rows, keep=()):
    """(rows to store, exact repeats): a repeat is a row whose unit and every stored field
    equal an earlier row's. Repeats whose row number is in `keep` are stored as well."""
    first, kept, repeats = {}, [], []
    for row in rows:
        key = (row.unit.pk, _every(row.values))
        if key not in first:
            first[key] = row.number
        elif row.number not in keep:
            repeats.append({"row": row.number, "first": first[key], "kept": False})
            continue
        else:
            repeats.append({"row": row.number, "first": first[key], "kept": True})
        kept.append(row)
    return kept, repeats


def scope(rows):
    """(unit ids, first day, last day): where the stored activities of `rows` can be."""
    starts = [row.values["date_start"] for row in rows]
    return sorted({row.unit.pk for row in rows}), min(starts), max(starts)


def mark(units, first, last):
    """A value that every write to the activities of `scope` changes: an insert or a delete
    changes the count or the highest id, and every other write adds to the version. Equal
    marks before and after mean a matching read in between is still true."""
    if not units:
        return None
    found = Activity.objects.filter(unit_id__in=units, date_start__range=(first, last))
    return found.aggregate(n=Count("id"), top=Max("id"), versions=Sum("version"))


_MONEY = [FIELDS.index("funds"), FIELDS.index("inkind")]


def _decimal(value):
    # SQLite keeps a decimal column as an integer or a float; its repr is the shortest text
    # that reads back the same, so 0.1 is Decimal("0.1"), not 0.1000000000000000055…
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def stored_activities(units, first, last):
    """The live activities of `units` that start from `first` to `last`, as (unit id,
    Stored). Read with one plain SELECT: the ORM's conversions took 0.1 s for 10,000."""
    if not units:
        return []
    qn = connection.ops.quote_name
    names = ", ".join(qn(c) for c in ["id", "unit_id", "version", "locked_at", *COLUMNS])
    within = ", ".join(["%s"] * len(units))
    sql = (
        f"SELECT {names} FROM {qn(Activity._meta.db_table)} WHERE unit_id IN ({within}) "
        "AND deleted_at IS NULL AND date_start >= %s AND date_start <= %s ORDER BY id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*units, first, last])
        found = cursor.fetchall()
    out = []
    for pk, unit_id, version, locked, *values in found:
        for i in _MONEY:
            values[i] = _decimal(values[i])
        out.append((unit_id, Stored(pk, version, locked is not None, values)))
    return out


def _getter(keys):
    """The values at `keys` (field names of a values dict, or indexes of a Stored row) as a
    tuple: operator.itemgetter, which gives a bare value for one key."""
    get = itemgetter(*keys)
    return get if len(keys) > 1 else lambda values: (get(values),)


_every = _getter(FIELDS)


def match(rows, present):
    """Set each row's `existing` (Stored or None) and `differs` (the present fields it
    would change). `present` are the stored fields the file has columns for."""
    identity = [f for f in IDENTITY if f in present or f in ("name", "date_start")]
    compared = [(f, FIELDS.index(f)) for f in FIELDS if f in present]
    row_identity, row_compared = _getter(identity), _getter([f for f, _ in compared])
    stored_identity = _getter([FIELDS.index(f) for f in identity])
    stored_compared = _getter([i for _, i in compared])
    stored = defaultdict(list)
    for unit_id, activity in stored_activities(*scope(rows)) if rows else ():
        stored[unit_id, stored_identity(activity.row)].append(activity)
    waiting = defaultdict(list)
    for row in rows:
        row.existing, row.differs = None, []
        key = (row.unit.pk, row_identity(row.values))
        if key in stored:
            waiting[key].append(row)
    for key, group in waiting.items():
        free = stored[key]
        if len(group) == 1 and len(free) == 1:  # most rows: one of its identity each side
            rest, others = group, free
        else:
            rest, others = _pair_equal(group, free, row_compared, stored_compared)
        for row, activity in zip(rest, others, strict=False):  # in order
            row.existing = activity
            row.differs = [f for f, i in compared if activity.row[i] != row.values[f]]


def _pair_equal(group, free, row_values, stored_values):
    """Match each row to a stored activity it equals; returns the rows and activities
    left over, each in its order."""
    equal = defaultdict(list)
    for activity in free:
        equal[stored_values(activity.row)].append(activity)
    taken, rest = set(), []
    for row in group:
        same = equal.get(row_values(row.values))
        if same:
            row.existing = same.pop(0)
            taken.add(row.existing.id)
        else:
            rest.append(row)
    return rest, [a for a in free if a.id not in taken]
