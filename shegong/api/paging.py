"""Cursor pagination: an opaque cursor naming the last row of the page, so a page stays
right while rows are added above it."""

import base64
import json
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q

MAX_LIMIT = 200


def _encode(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode(cursor):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not (isinstance(values, list) and len(values) == 2 and isinstance(values[1], int)):
            raise ValueError
        return values
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ValidationError({"cursor": "cursor 无效，请使用上一页返回的 next_cursor。"}) from None


def page(rows, *, field, cursor=None, limit=50, descending=True, is_date=False):
    """One page of `rows` ordered by (`field`, id), newest first when `descending`:
    (list of rows, next cursor or None)."""
    limit = max(1, min(limit or 50, MAX_LIMIT))
    if cursor:
        key, pk = _decode(cursor)
        if is_date:
            try:
                key = date.fromisoformat(key)
            except (TypeError, ValueError):
                raise ValidationError({"cursor": "cursor 无效。"}) from None
        op = "lt" if descending else "gt"
        rows = rows.filter(Q(**{f"{field}__{op}": key}) | Q(**{field: key, f"id__{op}": pk}))
    sign = "-" if descending else ""
    ids = list(rows.order_by(f"{sign}{field}", f"{sign}id").values_list(field, "id")[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    nxt = None
    if more:
        key, pk = ids[-1]
        nxt = _encode([key.isoformat() if is_date else key, pk])
    return [pk for _, pk in ids], nxt
