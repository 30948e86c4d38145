"""Keyword search of the register (活动名称 and 活动地点) on each database's own text index:
SQLite FTS5 with the trigram tokenizer; PostgreSQL pg_trgm GIN indexes for 3+ characters and
a GIN index of every 1- and 2-character piece of the texts for shorter queries. The results
are exactly those of the plain scan, `name` or `place` contains the text (plain_q).

SQLite: `activities_activity_fts` is a contentless FTS5 table kept by triggers in the same
transaction as every insert, update and delete of an activity (ORM, bulk COPY/executemany
paths and raw SQL alike). Each text is indexed with two sentinel characters appended, so
every character of it starts a trigram: a query of 3+ characters is an FTS5 phrase, and a
1–2 character query (Chinese words are often two characters) is a range over the index's
terms (fts5vocab 'instance'), i.e. "some trigram starts with the query". For text without
letters that have case (Chinese, digits, punctuation) that is exactly `contains`; text with
such letters is tested again with `contains` (LIKE folds ASCII only, FTS5 folds more).

PostgreSQL: GIN trigram indexes on name and place answer `LIKE '%…%'` themselves for 3+
characters. pg_trgm takes nothing from 1–2 characters, so `activity_grams(name, place)`
(an IMMUTABLE SQL function: the array of every 1- and 2-character substring of name and
of place) has its own GIN index, `activity_text_grams`; "the array contains the query" is
exactly "name or place contains it", and an expression index is kept by PostgreSQL itself
in the writing transaction. The query also carries the plain strpos test, which PostgreSQL
evaluates first (it is cheaper), so a plan that reads rows in another index's order never
computes the array for rows that do not match. Without pg_trgm (not installable) 3+
characters are a scan; the 1–2 character index needs no extension.

A later migration that rebuilds the activity table on SQLite (Django's table remake for some
AlterField/RemoveField) drops its triggers: run `install(schema_editor)` again after it.
"""

from django.db import connection
from django.db.models import BooleanField, F, Func, IntegerField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex

FTS_TABLE = "activities_activity_fts"
VOCAB_TABLE = "activities_activity_fts_terms"
SENTINEL = "\x01\x01"  # appended to each indexed text: every character starts a trigram
TRIGRAM = 3
# SQLite: read the candidates by id (about 1.3 µs each) when there are at most this many in
# the whole database, or at most DRIVE_SHARE of the rows in scope; above that, test each row
# of the scope's covering index for membership (about 0.35 µs a row) instead.
DRIVE_LIMIT = 5000
DRIVE_SHARE = 0.25

_PAD = "char(1, 1)"
SQLITE_INSTALL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "name, place, content='', tokenize='trigram')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} USING fts5vocab({FTS_TABLE}, 'instance')",
    "CREATE TRIGGER IF NOT EXISTS activities_activity_fts_insert AFTER INSERT "
    f"ON activities_activity BEGIN INSERT INTO {FTS_TABLE}(rowid, name, place) "
    f"VALUES (new.id, new.name || {_PAD}, new.place || {_PAD}); END",
    "CREATE TRIGGER IF NOT EXISTS activities_activity_fts_delete AFTER DELETE "
    f"ON activities_activity BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, place) "
    f"VALUES ('delete', old.id, old.name || {_PAD}, old.place || {_PAD}); END",
    "CREATE TRIGGER IF NOT EXISTS activities_activity_fts_update AFTER UPDATE "
    f"OF id, name, place ON activities_activity BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name, place) "
    f"VALUES ('delete', old.id, old.name || {_PAD}, old.place || {_PAD}); "
    f"INSERT INTO {FTS_TABLE}(rowid, name, place) "
    f"VALUES (new.id, new.name || {_PAD}, new.place || {_PAD}); END",
]
SQLITE_FILL = [
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')",
    f"INSERT INTO {FTS_TABLE}(rowid, name, place) "
    f"SELECT id, name || {_PAD}, place || {_PAD} FROM activities_activity",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS activities_activity_fts_insert",
    "DROP TRIGGER IF EXISTS activities_activity_fts_delete",
    "DROP TRIGGER IF EXISTS activities_activity_fts_update",
    f"DROP TABLE IF EXISTS {VOCAB_TABLE}",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
PG_INDEXES = [
    "CREATE INDEX IF NOT EXISTS activity_name_trgm ON activities_activity "
    "USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS activity_place_trgm ON activities_activity "
    "USING gin (place gin_trgm_ops)",
]
PG_REMOVE = [
    "DROP INDEX IF EXISTS activity_name_trgm",
    "DROP INDEX IF EXISTS activity_place_trgm",
]
GRAMS_FUNCTION = "activity_grams"
# Every 1- and 2-character substring of name and of place (the last character of each also
# comes out of the bigram pass as a 1-character piece; GIN keeps each key once per row).
# Only built-in functions of pg_catalog, so it behaves the same under any search_path.
PG_GRAMS = [
    f"CREATE OR REPLACE FUNCTION {GRAMS_FUNCTION}(name text, place text) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT ARRAY(SELECT substr(s, i, 2) FROM unnest(ARRAY[name, place]) AS s, "
    "generate_series(1, length(s)) AS i) "
    "|| string_to_array(name, NULL) || string_to_array(place, NULL) $$",
    "CREATE INDEX IF NOT EXISTS activity_text_grams ON activities_activity "
    f"USING gin ({GRAMS_FUNCTION}(name, place))",
]
PG_GRAMS_REMOVE = [
    "DROP INDEX IF EXISTS activity_text_grams",
    f"DROP FUNCTION IF EXISTS {GRAMS_FUNCTION}(text, text)",
]


def install(schema_editor):
    """Create the index for the database of `schema_editor` and fill it from the table."""
    import logging

    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_INSTALL + SQLITE_FILL:
            schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        install_grams(schema_editor)
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        # A savepoint keeps the migration's transaction usable if it cannot.
        from django.db import DatabaseError, transaction

        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
        except DatabaseError as error:
            logging.getLogger(__name__).warning(
                "pg_trgm 扩展无法创建（%s）：活动登记簿关键词搜索将逐行扫描。", error
            )
            return
        for sql in PG_INDEXES:
            schema_editor.execute(sql, params=None)


def install_grams(schema_editor):
    """PostgreSQL: the 1–2 character index (migration 0012); nothing elsewhere."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_GRAMS:
            schema_editor.execute(sql, params=None)


def uninstall_grams(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_GRAMS_REMOVE:
            schema_editor.execute(sql, params=None)


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_REMOVE, "postgresql": PG_REMOVE + PG_GRAMS_REMOVE}
    for sql in statements.get(vendor, []):
        schema_editor.execute(sql, params=None)


def plain_q(text):
    """The meaning of a keyword: the name or the place contains it (as a scan tests it)."""
    return Q(name__contains=text) | Q(place__contains=text)


def filter_keyword(rows, text, scope_size=None, walk=False):
    """`rows` whose name or place contains `text`, narrowed first by the text index.

    `scope_size`, if given, is a callable returning an upper bound of the rows in scope (or
    None): SQLite then reads the candidates by id when they are few next to it. `walk` says
    the rows will be read in another index's order (the register's newest-first walk,
    views._newest_first): SQLite then only tests each row for membership in the index's
    candidates, which it does on the date index's entry before reading the row, and
    PostgreSQL tests each row with strpos, leaving its planner no index but the walk's."""
    if connection.vendor == "sqlite":
        candidates = _sqlite_candidates(text)
        if candidates is not None:
            if not walk and _drives(_count(candidates), scope_size):
                # Few candidates next to the scope: read them by id.
                rows = rows.filter(id__in=candidates)
            else:
                # Many: `+id` makes the index a membership test, not the way in, so the
                # subtree's covering index (which holds id) drives and a station does not
                # read a province's candidates one by one.
                plus_id = Func(F("id"), template="+%(expressions)s", output_field=IntegerField())
                rows = rows.alias(keyword_hit=plus_id).filter(keyword_hit__in=candidates)
            if not _cased(text):
                # Without letters that have case, the trigram match is exactly `contains`
                # (see the module docstring): no need to read the rows to test it again.
                return rows
    elif connection.vendor == "postgresql" and (walk or len(text) < TRIGRAM):
        # strpos is the same test as LIKE '%…%', and no index answers it: a walk stays a
        # walk. Otherwise the grams index answers 1–2 characters (see the module docstring);
        # the strpos test, cheaper, is what a row-by-row plan evaluates first.
        found = rows.alias(
            keyword_name=StrIndex("name", Value(text)), keyword_place=StrIndex("place", Value(text))
        ).filter(Q(keyword_name__gt=0) | Q(keyword_place__gt=0))
        return found if walk else found.filter(_HasPiece(text))
    return rows.filter(plain_q(text))


def _drives(n, scope_size):
    if n <= DRIVE_LIMIT:
        return True
    size = scope_size() if scope_size is not None else None
    return size is not None and n <= size * DRIVE_SHARE


class _HasPiece(Func):
    """activity_grams(name, place) @> ARRAY[text]: the grams index's own expression."""

    output_field = BooleanField()

    def __init__(self, text):
        super().__init__(F("name"), F("place"), Value(text))

    def as_sql(self, compiler, connection, **extra):
        name, place, text = (compiler.compile(e) for e in self.source_expressions)
        sql = f"{GRAMS_FUNCTION}({name[0]}, {place[0]}) @> ARRAY[({text[0]})::text]"
        return sql, (*name[1], *place[1], *text[1])


def _count(candidates):
    sql, params = candidates.sql, candidates.params
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql})", params)
        return cursor.fetchone()[0]


def _cased(text):
    return any(c.lower() != c or c.upper() != c for c in text)


def _sqlite_candidates(text):
    """A subquery of activity ids that contains every activity matching `text`, or None
    when the index cannot narrow it (then the plain test scans)."""
    if not text or "\x01" in text:
        return None
    if len(text) >= TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase])
    # 1–2 characters: the index holds case-folded terms. LIKE folds only ASCII letters, so
    # a query with another cased letter (É, Ж …) is left to the scan rather than guessing
    # how SQLite folds it.
    if any(not c.isascii() and _cased(c) for c in text):
        return None
    low = text.lower()
    if low[-1] == "\U0010ffff":
        return None
    return RawSQL(
        f"SELECT doc FROM {VOCAB_TABLE} WHERE term >= %s AND term < %s",
        [low, _next_prefix(low)],
    )


def _next_prefix(text):
    """The least string above every string that starts with `text` (code-point order, as
    UTF-8 bytes compare)."""
    last = ord(text[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000  # surrogates cannot be stored
    return text[:-1] + chr(last)
