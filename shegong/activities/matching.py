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

from .models import Activity
from .services import STORED

IDENTITY = ("name", "date_start", "place", "org_text")
FIELDS = STORED  # the stored fields, with the activity form by id (check_activity's holds it)
COLUMNS = [f + "_id" if f == "activity_type" else f for f in FIELDS]


@dataclass
class Stored:
    """A stored activity as the matching read it."""

    id: int
    version: int
    locked: bool
    values: dict  # FIELDS -> value, the activity form by id


def comparable(data):
    """Checked data with the activity form as its id, like Stored.values."""
    out = dict(data)
    form = out.get("activity_type")
    out["activity_type"] = form.pk if form is not None else None
    return out


def split_repeats(rows, keep=()):
    """(rows to store, exact repeats): a repeat is a row whose unit and every stored field
    equal an earlier row's. Repeats whose row number is in `keep` are stored as well."""
    first, kept, repeats = {}, [], []
    for row in rows:
        key = (row.unit.pk, tuple(row.values[f] for f in FIELDS))
        if key not in first:
            first[key] = row.number
        elif row.number not in keep:
            repeats.append({"row": row.number, "first": first[key], "kept": False})
            continue
        else:
            repeats.append({"row": row.number, "first": first[key], "kept": True})
        kept.append(row)
    return kept, repeats


def stored_activities(rows):
    """The live activities of the rows' units in the rows' span of start dates."""
    if not rows:
        return []
    units = {row.unit.pk for row in rows}
    starts = [row.values["date_start"] for row in rows]
    found = (
        Activity.objects.filter(
            unit_id__in=units, deleted_at=None, date_start__range=(min(starts), max(starts))
        )
        .order_by("id")
        .values_list("id", "unit_id", "version", "locked_at", *COLUMNS)
    )
    return [
        (unit_id, Stored(pk, version, locked is not None, dict(zip(FIELDS, values, strict=True))))
        for pk, unit_id, version, locked, *values in found
    ]


def match(rows, present):
    """Set each row's `existing` (Stored or None) and `differs` (the present fields it
    would change). `present` are the stored fields the file has columns for."""
    identity = [f for f in IDENTITY if f in present or f in ("name", "date_start")]
    compared = [f for f in FIELDS if f in present]
    stored = defaultdict(list)
    for unit_id, activity in stored_activities(rows):
        stored[(unit_id, *(activity.values[f] for f in identity))].append(activity)
    waiting = defaultdict(list)
    for row in rows:
        row.existing, row.differs = None, []
        key = (row.unit.pk, *(row.values[f] for f in identity))
        if key in stored:
            waiting[key].append(row)
    for key, group in waiting.items():
        free = stored[key]
        equal = defaultdict(list)
        for activity in free:
            equal[tuple(activity.values[f] for f in compared)].append(activity)
        taken, rest = set(), []
        for row in group:  # first: a stored activity the row equals
            same = equal.get(tuple(row.values[f] for f in compared))
            if same:
                row.existing = same.pop(0)
                taken.add(row.existing.id)
            else:
                rest.append(row)
        others = [a for a in free if a.id not in taken]
        for row, activity in zip(rest, others, strict=False):  # then in order
            row.existing = activity
            row.differs = [f for f in compared if activity.values[f] != row.values[f]]
