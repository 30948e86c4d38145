"""Writing many rows at once as fast as each database takes them: COPY on PostgreSQL, one
executemany on SQLite. The ORM's bulk_create prepares every value of every row through its
model field; for a 10,000-row import that was most of the time spent storing it."""

from django.db import connection


def insert(model, columns, rows):
    """Insert `rows`, tuples of values in the order of `columns` as the database driver takes
    them (str, int, Decimal, date, aware datetimes through `moment`, JSON as text), into the
    model's table. Returns the new ids, in the order of `rows`."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    table = model._meta.db_table
    names = ", ".join(qn(c) for c in ["id", *columns])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY cannot return ids: take them from the table's sequence first.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(rows)],
            )
            ids = sorted(pk for (pk,) in cursor.fetchall())
            with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            return ids
        # The transaction holds SQLite's write lock from its start (transaction_mode
        # IMMEDIATE), so no one takes ids between this read and the insert. AUTOINCREMENT
        # never reuses an id, even a deleted one's: sqlite_sequence keeps the highest.
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {qn(table)} "
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        start = (cursor.fetchone()[0] or 0) + 1
        ids = list(range(start, start + len(rows)))
        marks = ", ".join(["%s"] * (len(columns) + 1))
        cursor.executemany(
            f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})",
            [(pk, *row) for pk, row in zip(ids, rows, strict=True)],
        )
        return ids


def update(model, columns, rows, *, where):
    """Run `UPDATE table SET columns = … WHERE id = %s AND <where>` once per row (the row's
    values, then its id, then the `where` parameters) and return how many rows it changed."""
    if not rows:
        return 0
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {qn(model._meta.db_table)} SET {sets} WHERE id = %s AND {where}", rows
        )
        return cursor.rowcount


def moment(value):
    """An aware datetime as the database takes it in a raw statement."""
    return connection.ops.adapt_datetimefield_value(value)
