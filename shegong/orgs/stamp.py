"""A stamp that changes with every write to the units and the memberships, kept by the
database itself: a trigger on orgs_orgunit and orgs_membership sets the one row of
orgs_treestamp to a new random number after any INSERT, UPDATE or DELETE, whether it came
from a service, the admin, bulk_create, a queryset's update() or plain SQL.

Who-may-see-what (the memberships) and the children lists are cached under it, so each
request reads one small row instead of building and running their queries, and no cached
copy outlives a change. Random, not a counter: a rolled-back write must not leave a number
behind that the next write would reuse for different data.

SQLite drops a table's triggers when a migration remakes the table: `install` runs again
after every migrate (apps.py), and tests/orgs/test_tree_stamp.py fails without them."""

from django.db import connection

from shegong.db_router import read_cursor

from .models import TreeStamp

TABLES = ("orgs_orgunit", "orgs_membership")
EVENTS = ("INSERT", "UPDATE", "DELETE")
SQLITE_SET = (
    "INSERT INTO orgs_treestamp (id, stamp) VALUES (1, random()) "
    "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp"
)
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION orgs_treestamp_touch() RETURNS trigger AS $$
BEGIN
    INSERT INTO orgs_treestamp (id, stamp)
    VALUES (1, (random() * 9e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
    RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def _name(table, event):
    return f"{table}_{event.lower()}_treestamp"


def install(connection_):
    """Create the triggers if missing (idempotent)."""
    with connection_.cursor() as cursor:
        if connection_.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for table in TABLES:
            for event in EVENTS:
                name = _name(table, event)
                if connection_.vendor == "sqlite":
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {table} "
                        f"BEGIN {SQLITE_SET}; END"
                    )
                elif connection_.vendor == "postgresql":
                    # Once per statement: a bulk insert of a province's units is one stamp.
                    cursor.execute(
                        f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {table} "
                        "FOR EACH STATEMENT EXECUTE FUNCTION orgs_treestamp_touch()"
                    )


def uninstall(connection_):
    with connection_.cursor() as cursor:
        for table in TABLES:
            for event in EVENTS:
                cursor.execute(
                    f"DROP TRIGGER IF EXISTS {_name(table, event)}"
                    + (f" ON {table}" if connection_.vendor == "postgresql" else "")
                )
        if connection_.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS orgs_treestamp_touch()")


def installed(connection_):
    """The names of the stamp triggers present (for the check that none was dropped)."""
    with connection_.cursor() as cursor:
        if connection_.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    return {_name(t, e) for t in TABLES for e in EVENTS} & names


def read():
    """The current stamp (0 before the first write to a unit or membership)."""
    table = connection.ops.quote_name(TreeStamp._meta.db_table)
    with read_cursor(TreeStamp) as cursor:
        cursor.execute(f"SELECT stamp FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0
