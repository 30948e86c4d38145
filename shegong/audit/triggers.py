"""The database's own refusal to change the audit log, whatever code or console tries.

UPDATE is refused on SQLite and PostgreSQL. DELETE is refused on PostgreSQL unless the
transaction has set `shegong.audit_purge` to 'on' (SET LOCAL, only `purge-audit` does).
On SQLite the model and queryset refuse DELETE, not the database: Django's test runner
empties tables with DELETE there, and a SQLite trigger has no per-transaction setting to
let it through. A deleted event still breaks the chain, and `verify-audit` names it.
PostgreSQL's TRUNCATE (its test flush) fires no DELETE trigger.

SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
alters audit_auditevent must call `install` again at its end.
"""

PURGE_SETTING = "shegong.audit_purge"

CREATE = {
    "sqlite": [
        """
        CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
        """,
    ],
    "postgresql": [
        """
        CREATE FUNCTION audit_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE'
               AND current_setting('shegong.audit_purge', true) IS NOT DISTINCT FROM 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
        END $$
        """,
        """
        CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()
        """,
        """
        CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()
        """,
    ],
}

DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_auditevent_no_update"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
        "DROP TRIGGER IF EXISTS audit_auditevent_no_delete ON audit_auditevent",
        "DROP FUNCTION IF EXISTS audit_auditevent_refuse()",
    ],
}


def install(cursor, vendor):
    for sql in CREATE.get(vendor, []):
        cursor.execute(sql)


def remove(cursor, vendor):
    for sql in DROP.get(vendor, []):
        cursor.execute(sql)
