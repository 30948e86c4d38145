"""The hash chain over the audit log: how an event is hashed, and checking the whole chain.

An event's hash is the SHA-256 of a canonical JSON of its content, which includes the hash
of the event before it (`prev_hash`), so changing, removing or inserting an event breaks
every link after it. SHA-256 rather than SM3 (GB/T 32905): SM3 is not in Python's standard
library; the choice is written in docs/audit.md. Backup and restore code calls `verify()`.
"""

import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.encoder import encode_basestring

from django.db import connection
from django.utils import timezone

from .models import AuditArchive, AuditEvent

# The fields hashed, in the order `events()` yields them (then id and hash).
CONTENT = (
    "seq",
    "at",
    "user_id",
    "username",
    "unit_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "ip",
    "prev_hash",
)
COLUMNS = (*CONTENT, "id", "hash")
# pg_advisory_xact_lock key ("sgaudit" in ASCII): one writer at a time extends the chain.
LOCK_KEY = 0x73676175646974
BATCH = 20_000

CHANGED = "内容被改动"
UNLINKED = "链接断开"
MISSING = "缺少事件"
ANCHOR = "归档锚点不符"


def number(text):
    """parse_float for stored JSON: a float with no fraction is read as the integer, as
    PostgreSQL's jsonb gives it back (1e16 → 10000000000000000)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def plain(value):
    """`value` with every float that has no fraction made an integer, as `number` reads it."""
    kind = type(value)
    if kind is dict:
        return {k: plain(v) for k, v in value.items()}
    if kind is list:
        return [plain(v) for v in value]
    if kind is float and value.is_integer():
        return int(value)
    return value


def utc_text(at):
    """A stored time as hashed: ISO 8601 in UTC with microseconds, such as
    2030-03-20T01:02:03.000004+00:00. Takes a datetime (naive is UTC) or text: events()
    reads `at` as text, which skips the drivers' datetime parsing (a third of a verify)."""
    if isinstance(at, str):
        if at[10:11] == " " and len(at) in (19, 26):  # SQLite's own text, naive UTC
            return f"{at[:10]}T{at[11:]}{'' if len(at) == 26 else '.000000'}+00:00"
        if len(at) == 32 and at[10] == "T" and at.endswith("+00:00"):  # AT_TEXT below
            return at
        at = datetime.fromisoformat(at)
    offset = at.utcoffset()
    if offset is None:  # naive: already UTC
        return at.isoformat(timespec="microseconds") + "+00:00"
    if offset:
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


# `at` as text, for utc_text: PostgreSQL formats it as hashed; SQLite gives what it stores.
AT_TEXT = {
    "postgresql": """to_char("at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')""",
    "sqlite": 'CAST("at" AS TEXT)',
}


def canonical(content):
    """The bytes hashed for one event: `content` maps every name in CONTENT to its value as
    stored (at a datetime or its text, before/after parsed JSON, ip a string or None)."""
    data = {name: content[name] for name in CONTENT}
    data["at"] = utc_text(data["at"])
    data["ip"] = str(data["ip"]) if data["ip"] is not None else None
    data["before"], data["after"] = plain(data["before"]), plain(data["after"])
    return _encode(data)


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_string = encode_basestring  # the C escaper json.dumps uses with ensure_ascii=False
_int = int.__repr__  # json.dumps writes an int so; TypeError for anything else


def _encode(data):
    """canonical() of content already in its hashed form (as events() yields it): the
    bytes of json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).
    Written out key by key, which takes half the time of json.dumps on a million events;
    tests/audit/test_chain.py checks the two give the same bytes."""
    if len(data) != len(CONTENT):  # an edited archive line with more or fewer fields
        return _ENCODER.encode(data).encode()
    try:
        ip, unit, user = data["ip"], data["unit_id"], data["user_id"]
        before, after = data["before"], data["after"]
        text = (
            f'{{"action":{_string(data["action"])},'
            f'"after":{"null" if after is None else _ENCODER.encode(after)},'
            f'"at":{_string(data["at"])},'
            f'"before":{"null" if before is None else _ENCODER.encode(before)},'
            f'"ip":{"null" if ip is None else _string(ip)},'
            f'"object_id":{_string(data["object_id"])},'
            f'"object_repr":{_string(data["object_repr"])},'
            f'"object_type":{_string(data["object_type"])},'
            f'"prev_hash":{_string(data["prev_hash"])},'
            f'"seq":{_int(data["seq"])},'
            f'"unit_id":{"null" if unit is None else _int(unit)},'
            f'"user_id":{"null" if user is None else _int(user)},'
            f'"username":{_string(data["username"])}}}'
        )
    except TypeError:  # a value of an unexpected type (an edited archive line): the slow way
        text = _ENCODER.encode(data)
    return text.encode()


def digest(content):
    return hashlib.sha256(canonical(content)).hexdigest()


def lock():
    """Hold the chain until the transaction ends. On SQLite every write transaction already
    holds the database's write lock from BEGIN (IMMEDIATE), so writers queue anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def anchor():
    """The newest archive, whose last event the database chain continues from, or None."""
    return AuditArchive.objects.order_by("-archived_through_seq").first()


HEAD = "SELECT seq, hash FROM audit_auditevent ORDER BY seq DESC LIMIT 1"


def head(*, locked=False):
    """(seq, hash) of the newest event; of the archive anchor when every event is archived;
    (0, "") for an empty log. locked=True (inside a transaction) first takes the chain's
    lock, as `lock()`, for the writer that extends the chain. Plain SQL: through the ORM
    this read was most of what the chain added to every write."""
    with connection.cursor() as cursor:
        if locked and connection.vendor == "postgresql":
            if connection.settings_dict["OPTIONS"].get("server_side_binding"):
                lock()  # server-side binding takes one statement per execute
                cursor.execute(HEAD)
            else:
                # One round trip, two statements: the SELECT is a statement of its own, so
                # (READ COMMITTED) it sees every event committed before the lock was granted.
                cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {HEAD}", [LOCK_KEY])
                cursor.nextset()
        else:
            cursor.execute(HEAD)
        last = cursor.fetchone()
    if last is not None:
        return last[0], last[1]
    archived = anchor()
    if archived is not None:
        return archived.archived_through_seq, archived.last_hash
    return 0, ""


def events(*, after_seq=0, through_seq=None, batch=BATCH):
    """Every event with after_seq < seq <= through_seq as a dict of COLUMNS in its hashed
    form (at as UTC text, JSON parsed with `number`, ip text), in seq order, `batch` rows a
    query by seq ranges, so memory stays flat at any size. Plain SQL, not the ORM: its
    per-value converters took half the time of a verify."""
    qn = connection.ops.quote_name
    at = AT_TEXT.get(connection.vendor, qn("at"))
    names = ", ".join(at if c == "at" else qn(c) for c in COLUMNS)
    sql = f"SELECT {names} FROM {qn(AuditEvent._meta.db_table)} WHERE seq > %s"
    if through_seq is not None:
        sql += " AND seq <= %s"
    sql += " ORDER BY seq LIMIT %s"
    last = after_seq
    while True:
        params = [last, through_seq, batch] if through_seq is not None else [last, batch]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            chunk = cursor.fetchall()
        for seq, at, user, name, unit, action, kind, oid, text, old, new, ip, prev, pk, h in chunk:
            yield {
                "seq": seq,
                "at": utc_text(at),
                "user_id": user,
                "username": name,
                "unit_id": unit,
                "action": action,
                "object_type": kind,
                "object_id": oid,
                "object_repr": text,
                "before": None if old is None else _json_value(old),
                "after": None if new is None else _json_value(new),
                "ip": None if ip is None else str(ip),
                "prev_hash": prev,
                "id": pk,
                "hash": h,
            }
        if len(chunk) < batch:
            return
        last = chunk[-1][0]


_scan = json.JSONDecoder(parse_float=number).scan_once


def _json_value(stored):
    """A JSON column's value as hashed: its text parsed with `number` (the C scanner
    directly: json.loads's wrapper cost as much again)."""
    if not isinstance(stored, str):
        return plain(stored)
    try:
        value, end = _scan(stored, 0)
    except StopIteration:
        end = -1
    if end != len(stored):
        value = json.loads(stored, parse_float=number)
    return value


def _sha256(row):
    content = dict(row)  # a C copy, then the two columns that are not hashed out
    del content["id"], content["hash"]
    return hashlib.sha256(_encode(content)).hexdigest()


def check(rows, *, seq, prev_hash):
    """Walk `rows` (dicts of COLUMNS in their hashed form, in seq order) expecting the first
    to follow the event (seq, prev_hash). Yields (row, problem) for each row: problem is ""
    when the row verifies, else the reason and what was found."""
    for row in rows:
        problem = ""
        if row["seq"] != seq + 1:
            gap = row["seq"] - seq - 1
            if gap > 0:
                missing = f"第 {seq + 1}–{row['seq'] - 1} 号"
                problem = f"{MISSING}：它之前的 {gap} 个事件（{missing}）不在了"
            else:
                problem = f"{MISSING}：序号 {row['seq']} 没有接在第 {seq} 号之后"
        elif _sha256(row) != row["hash"]:
            problem = f"{CHANGED}：按内容重新计算的哈希与记录的不符"
        elif row["prev_hash"] != prev_hash:
            problem = f"{UNLINKED}：记录的前一哈希与第 {seq} 号事件的哈希不符"
        yield row, problem
        seq, prev_hash = row["seq"], row["hash"]


@dataclass
class Result:
    ok: bool
    count: int = 0  # events checked
    start_seq: int = 0  # the seq the chain continued from (the archive anchor, or 0)
    last_seq: int = 0
    last_hash: str = ""
    problem: str = ""
    event: dict | None = field(default=None)  # seq, id, at, action of the failing event
    seconds: float = 0.0

    def event_text(self):
        e = self.event
        if not e:
            return ""
        at = timezone.localtime(datetime.fromisoformat(e["at"])).strftime("%Y-%m-%d %H:%M:%S")
        return f"第 {e['seq']} 号事件（id {e['id']}，{at}，{e['action']}）"

    def message(self):
        if self.ok:
            start = f"接续归档至第 {self.start_seq} 号，" if self.start_seq else ""
            return (
                f"审计日志校验通过：{start}核对 {self.count:,} 个事件，最新为第 {self.last_seq} 号"
                f"（哈希 {self.last_hash[:16] or '无'}），用时 {self.seconds:.1f} 秒。"
            )
        return f"审计日志校验未通过：{self.event_text()}{self.problem}。"


def verify(*, batch=BATCH):
    """Recompute every event's hash in seq order from the archive anchor and check the links;
    the first event that does not verify ends the walk. A purge that runs meanwhile moves the
    anchor under the walk: then the walk is done again from the new anchor."""
    started = time.perf_counter()
    for _ in range(3):
        archived = anchor()
        result = _walk(archived, batch)
        if result.ok or _anchor_id(anchor()) == _anchor_id(archived):
            break
    result.seconds = time.perf_counter() - started
    return result


def _anchor_id(archived):
    return archived.pk if archived else None


def _walk(archived, batch):
    seq, prev_hash = (archived.archived_through_seq, archived.last_hash) if archived else (0, "")
    result = Result(ok=True, start_seq=seq, last_seq=seq, last_hash=prev_hash)
    purge_recorded = archived is None
    for row, problem in check(events(after_seq=seq, batch=batch), seq=seq, prev_hash=prev_hash):
        if problem:
            result.ok, result.problem = False, problem
            result.event = {k: row[k] for k in ("seq", "id", "at", "action")}
            return result
        result.count += 1
        result.last_seq, result.last_hash = row["seq"], row["hash"]
        if not purge_recorded and row["action"] == "audit.purged":
            after = row["after"] or {}
            purge_recorded = after.get("through_seq") == seq and after.get("last_hash") == (
                prev_hash
            )
    if not purge_recorded:
        # The anchor row is not itself in the chain; the purge that wrote it also wrote an
        # event, after the archived ones, that names it. A forged anchor has none.
        result.ok = False
        result.problem = (
            f"{ANCHOR}：归档记录“{archived.file_name}”（截至第 {seq} 号）"
            "在审计日志中没有对应的归档事件"
        )
    return result
