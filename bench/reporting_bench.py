"""Dashboards, completeness and submissions on a national-shape tree (issue #7, performance).

    .venv/bin/python bench/reporting_bench.py [--scale 1.0] [--db sqlite|postgres|both]
        [--duration S] [--runs 30] [--submissions 2000] [--periods 2] [--keep] [--reuse]
        [--pg-url postgres://postgres@127.0.0.1/postgres] [--serial] [--explain] [--analyze]
        [--no-wrk] [--pages-only]

What is generated (in a fresh database per engine, migrated first, then bulk-loaded with raw
SQL: COPY on PostgreSQL, executemany in one transaction on SQLite, secondary indexes dropped
during the load and rebuilt after it):
  * the tree 民政部 → 31 provinces → 353 prefectures → 3,113 districts (county) → 43,802
    stations → 657,452 rooms (704,752 units); --scale multiplies every level's count, at least
    one child per parent, children spread unevenly (weights 0.6–1.4);
  * 10,000,000 activities × scale over the last 26 full weeks, inserted in date order, 20 % at
    stations and 80 % at rooms, 1–3 service domains each, a form, five-party flags, money;
  * the summaries (activities.Summary) by `rollups.rebuild()`, timed;
  * one issued notice from the root to the provinces with --periods weekly progress periods
    (the last full weeks, cutoff Friday 17:00 Asia/Shanghai; two by default so that the
    dashboard's "change on the week before" runs too) whose expected reporters are all
    stations, about 70 % delivered (12 % of those late), and the completeness counters by
    `tallies.recount(period)`;
  * a reviewer at the root and at the median province, prefecture, district and station (the
    median child, by subtree size, of the level above, as research/perf.md picks them), and 64
    fillers at random stations and rooms, each with a logged-in session.
PostgreSQL gets VACUUM ANALYZE after loading (autovacuum's steady state); SQLite is left as
the application leaves it (no ANALYZE) unless --analyze.

What is measured, per level (root, province, prefecture, district, station):
  * build: wall time of `reporting.dashboard.build(unit, notice, today, children)` in-process,
    median and p95 of --runs after warm-ups, with its query count and the time inside
    cursor.execute (execute_wrapper; on SQLite rows are stepped while fetching, so this part
    under-counts there);
  * DB: the same queries replayed at the DB-API level (execute + fetchall, no ORM), summed per
    build: the dashboard's database time. Goal ≤ 5 ms (median). The heaviest query is named:
    summary = activities_summary, raw = activities_activity, tally = campaigns_expectedtally;
  * figures(): `rollups.figures(path, start, end)` alone over the notice's span;
  * page: GET /dashboard/<code>/?notice=<id> as that level's reviewer, served by gunicorn
    (2 sync workers, CONN_MAX_AGE as configured) on 127.0.0.1 and loaded by wrk (else, or with
    --no-wrk, a Python thread loop), 8 connections for --duration seconds after a warm-up.
    Goals: p95 ≤ 40 ms and ≥ 250 pages/s. The load tool shares the 2 cores with the server;
  * API: GET /api/statistics/<code>?notice=<id> (the dashboard's figures as JSON, session
    auth) as the same reviewer, the same way. Goal ≥ 400 calls/s.
Then, once per engine:
  * completeness at the root: `tallies.read(period, root_path)`, goal ≤ 10 ms (median), next
    to the count over ExpectedReporter rows that it replaces;
  * submissions with summaries on: `activities.services.record_activity()` in-process, one
    client, --submissions activities at random stations and rooms; and POST /activities/new/
    (the form, with CSRF) by the fillers through gunicorn at 16 and 64 connections, checked
    against the rows stored. Goals: ≥ 500/s and p99 ≤ 100 ms.
Every figure is printed next to its goal with ✔ or ✘; a final table puts both engines side
by side. In-process figures are medians; HTTP figures are what wrk reports.

Each engine runs in a child process. With both engines the two generate at the same time
and then measure one after the other, so no measurement shares the CPU with a generator;
their generation timings then share it, and --serial runs one engine after the other for
clean generation timings.

At --scale 0.01 (7,000 units, 100,000 activities) both engines run in under a minute with
shorter loads: below scale 0.1 the defaults are --duration 1, --runs 5, --submissions 100
and HTTP submissions at 16 connections only; from 0.1 up they are 10 s, 30, 2,000, and 16
and 64 connections. --keep keeps the generated database (PostgreSQL
`shegong_bench_reporting_s<scale>`, SQLite under the temporary directory
`shegong-bench-reporting-s<scale>/`); --reuse runs on a kept one without generating again
(and keeps it). A kept database is only as current as the migrations it was made with.
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from register_bench import (
    Recorder,
    cell,
    drop_postgres,
    explain,
    fresh_postgres,
    ms,
    p95,
    width,
)

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "shegong_bench_reporting"
MARKER = "基准测试：全国活动统计"
NATIONAL = [1, 31, 353, 3_113, 43_802, 657_452]  # root … room
ACTIVITIES = 10_000_000
KINDS = ["ministry", "province", "prefecture", "county", "station", "room"]
LEVELS = [("root", "全国"), ("province", "省"), ("prefecture", "市"), ("district", "区县")]
LEVELS += [("station", "街道站")]
CODE_PREFIX = ["CN", "P", "C", "D", "S", "R"]
NAMES = ["民政部", "省{}民政厅", "市{}民政局", "区县{}民政局", "街道{}社会工作站"]
NAMES += ["社区{}社会工作室"]
WEEKS = 26
WARMUPS = 2
TEMPLATES = 4096
FILLERS = 64
PAGE_CONNECTIONS = 8
SUBMIT_CONNECTIONS = (16, 64)
PG_URL = os.environ.get("DATABASE_URL", "")
if not PG_URL.startswith("postgres"):
    PG_URL = "postgres://postgres@127.0.0.1/postgres"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GOAL_DB_MS = 5.0  # dashboard database time, every level (median)
GOAL_P95_MS = 40.0  # dashboard page through gunicorn, p95 (issue #18; was 50)
GOAL_PAGES = 250.0  # dashboard pages per second (issue #18; was 150)
GOAL_API = 400.0  # API statistics calls per second (issue #18)
GOAL_SUBMITS = 500.0  # activity submissions per second, summaries on
GOAL_SUBMIT_P99 = 100.0  # their p99 in ms
GOAL_TALLY_MS = 10.0  # completeness at the root (median)
TOPICS = ["助老服务", "儿童关爱", "助残康复", "妇女赋能", "困难群体帮扶", "社工宣传周"]
EVENTS = ["进社区", "主题讲座", "义诊活动", "政策宣讲", "志愿服务", "游园会"]
PLACES = ["党群服务中心", "社区活动室", "文化广场", "敬老院", "学校礼堂"]
CONTENT = "组织辖区居民参加主题活动，开展政策宣传、健康义诊和防诈骗讲解，志愿者全程协助。"
SPANS = (0, 0, 0, 1, 2)  # days an activity lasts beyond its first day
# The activity columns that vary per row; the rest come from activity_templates().
ROW_COLUMNS = ["unit_id", "org_path", "date_start", "date_end", "created_at", "updated_at"]


def mark(ok):
    return "✔" if ok else "✘"


def tag(scale):
    return "s" + f"{scale:g}".replace(".", "_")


# ---------------------------------------------------------------- child: loading


def stamp(moment, vendor):
    """An aware datetime as column text: PostgreSQL reads the offset, Django keeps SQLite
    datetimes as naive UTC text."""
    if vendor == "postgresql":
        return moment.isoformat(sep=" ")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def drop_indexes(table):
    """Drop the secondary indexes of `table` (not the ones behind constraints); return their
    definitions for create_indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                "AND NOT x.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",
                [table],
            )
        defs = cursor.fetchall()
        for name, _ in defs:
            cursor.execute(f'DROP INDEX "{name}"')
    return defs


def create_indexes(defs):
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _, sql in defs:
            cursor.execute(sql)
    return time.perf_counter() - started


def load_session():
    """Settings for bulk loading on this connection; connection.close() undoes them."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No foreign-key triggers (10 M deferred checks), no fsync per commit, big sorts.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '2GB'")
        else:
            for pragma in (
                "foreign_keys = OFF",
                "synchronous = OFF",
                "journal_mode = OFF",
                "cache_size = -1000000",
            ):
                cursor.execute(f"PRAGMA {pragma}")


def bulk_load(table, columns, rows):
    """COPY (PostgreSQL) or executemany in one transaction (SQLite) of tuples."""
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with (
            raw.transaction(),
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        raw.execute("BEGIN")
        raw.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        raw.execute("COMMIT")


def split(n, weights):
    """n children over len(weights) parents, at least one each, roughly by weight."""
    extra = n - len(weights)
    total = sum(weights)
    raw = [extra * w / total for w in weights]
    counts = [int(r) for r in raw]
    left = extra - sum(counts)
    for i in sorted(range(len(raw)), key=lambda i: counts[i] - raw[i])[:left]:
        counts[i] += 1
    return [1 + c for c in counts]


def build_tree(rng, scale, vendor):
    """Insert the tree level by level with explicit ids; return [(id, path)] per level."""
    from django.db import connection
    from django.utils import timezone

    from shegong.orgs import tree
    from shegong.orgs.models import OrgUnit

    now = stamp(timezone.now(), vendor)
    counts = [1]
    for national in NATIONAL[1:]:
        counts.append(max(counts[-1], round(national * scale)))
    levels, rows, next_id = [], [], 1
    tail = (True, "", "", "", now, now, 1)  # is_active, contact_person, contact_phone, address …
    for depth, n in enumerate(counts):
        if depth == 0:
            parents_of = [(None, "")]
        else:
            above = levels[-1]
            shares = split(n, [rng.uniform(0.6, 1.4) for _ in above])
            parents_of = [p for p, k in zip(above, shares, strict=True) for _ in range(k)]
        level, ordinal, last_parent = [], 0, object()
        for j, (parent_id, parent_path) in enumerate(parents_of):
            ordinal = 0 if parent_id != last_parent else ordinal + 1
            last_parent = parent_id
            path = parent_path + tree.segment(ordinal)
            code = CODE_PREFIX[depth] + (f"{j + 1:07d}" if depth else "")
            name = NAMES[depth].format(j + 1)
            kind = KINDS[depth]
            rows.append((next_id, code, name, "", kind, "", parent_id, path, depth, *tail))
            level.append((next_id, path))
            next_id += 1
        levels.append(level)
    table = OrgUnit._meta.db_table
    columns = ["id", "code", "name", "short_name", "kind", "division_code", "parent_id", "path"]
    columns += ["depth", "is_active", "contact_person", "contact_phone", "address"]
    columns += ["created_at", "updated_at", "version"]
    defs = drop_indexes(table)
    bulk_load(table, columns, rows)
    create_indexes(defs)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM "
                f"{table}))"
            )
    return levels


def activity_templates(rng, vendor, deleted):
    """The columns other than ROW_COLUMNS, and TEMPLATES rows of them with a span each:
    each activity takes one at random, so the loop only picks a unit, a day and a row."""
    from shegong.activities.models import ActivityType, ServiceDomain

    type_ids = list(ActivityType.objects.values_list("id", flat=True))
    bits = list(ServiceDomain.objects.values_list("bit", flat=True))
    masks = [
        sum(1 << b for b in rng.sample(bits, rng.randint(1, min(3, len(bits))))) for _ in range(64)
    ]

    def money():
        return None if rng.random() < 0.3 else f"{rng.randrange(0, 2_000_000) / 100:.2f}"

    columns, out = None, []
    for _ in range(TEMPLATES):
        values = {
            "name": rng.choice(TOPICS) + rng.choice(EVENTS),
            "org_text": "",
            "participants": rng.randint(5, 300),
            "place": rng.choice(PLACES),
            "content": CONTENT,
            "domain_mask": rng.choice(masks),
            "other_domains": "",
            "beneficiaries": rng.randint(10, 1000),
            "funds": money(),
            "inkind": money(),
            "remarks": "",
            "mode": "offline",
            "linkage": rng.randrange(32),
            "filler_name": "李娜",
            "filler_mobile": "13800001111",
            "version": 1,
            "locked_reason": "",
            "deleted_at": deleted if rng.random() < 0.005 else None,
            "activity_type_id": rng.choice(type_ids) if rng.random() < 0.95 else None,
        }
        columns = list(values)
        if vendor == "postgresql":
            text = "\t".join("\\N" if v is None else str(v) for v in values.values()) + "\n"
            out.append((rng.choice(SPANS), text))
        else:
            out.append((rng.choice(SPANS), tuple(values.values())))
    return columns, out


def load_activities(rng, n, stations, rooms, start, vendor):
    """n activities over WEEKS weeks from `start`, in date order, 20 % at stations."""
    from zoneinfo import ZoneInfo

    from django.db import connection

    from shegong.activities.models import Activity

    local = ZoneInfo("Asia/Shanghai")
    days = WEEKS * 7
    deleted = stamp(datetime.combine(start, datetime.min.time(), local), vendor)
    columns, templates = activity_templates(rng, vendor, deleted)
    columns = ", ".join(ROW_COLUMNS + columns)
    per_day = [n // days + (1 if d < n % days else 0) for d in range(days)]
    parts = []
    for d in range(days):
        day = start + timedelta(days=d)
        created = stamp(datetime(day.year, day.month, day.day, 20, tzinfo=local), vendor)
        spans = []
        for span in range(3):
            values = (day.isoformat(), (day + timedelta(days=span)).isoformat(), created, created)
            spans.append("\t".join(values) + "\t" if vendor == "postgresql" else values)
        parts.append(spans)
    if vendor == "postgresql":
        stations = [f"{i}\t{p}\t" for i, p in stations]
        rooms = [f"{i}\t{p}\t" for i, p in rooms]
    ns, nr, rand = len(stations), len(rooms), rng.random

    def rows():
        for d, k in enumerate(per_day):
            spans = parts[d]
            for _ in range(k):
                r = rand()
                unit = stations[int(r * 5 * ns)] if r < 0.2 else rooms[int((r - 0.2) * 1.25 * nr)]
                span, values = templates[int(rand() * TEMPLATES)]
                yield unit + spans[span] + values

    table = Activity._meta.db_table
    defs = drop_indexes(table)
    started = time.perf_counter()
    raw = connection.connection
    if vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(sql) as copy:
            buffer = []
            for line in rows():
                buffer.append(line)
                if len(buffer) == 20_000:
                    copy.write("".join(buffer))
                    buffer.clear()
            copy.write("".join(buffer))
    else:
        marks = ", ".join("?" * (columns.count(",") + 1))
        raw.execute("BEGIN")
        raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows())
        raw.execute("COMMIT")
    load_s = time.perf_counter() - started
    return load_s, create_indexes(defs)


def make_notice(rng, levels, start, periods, vendor, params):
    """An issued notice from the root to the provinces, `periods` weekly progress periods
    (the last full weeks), every station expected in each, ~70 % delivered, ~12 % of
    those late; then the completeness counters."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from shegong.campaigns import tallies
    from shegong.campaigns.models import (
        ExpectedReporter,
        Notice,
        NoticeRecipient,
        NoticeStatus,
        PeriodKind,
        ReporterScope,
        ReportingPeriod,
    )

    local = ZoneInfo("Asia/Shanghai")
    now = timezone.now()
    end = start + timedelta(days=WEEKS * 7 - 1)
    notice = Notice.objects.create(
        issuer_id=levels[0][0][0],
        title=MARKER,
        goals=json.dumps(params),
        window_start=start,
        window_end=end,
        reporter_scope=ReporterScope.KINDS,
        reporter_kinds=["station"],
        status=NoticeStatus.ISSUED,
        issued_at=now,
    )
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, unit_id=i, delivered_at=now) for i, _ in levels[1]]
    )
    made = []
    for back in range(periods, 0, -1):
        monday = end - timedelta(days=7 * back - 1)
        friday = monday + timedelta(days=4)
        made.append(
            ReportingPeriod.objects.create(
                notice=notice,
                kind=PeriodKind.PROGRESS,
                name=f"{monday.month}月{monday.day}日周工作进展情况",
                start_date=monday,
                end_date=monday + timedelta(days=6),
                cutoff=datetime(friday.year, friday.month, friday.day, 17, tzinfo=local),
            )
        )
    table = ExpectedReporter._meta.db_table
    columns = ["notice_id", "period_id", "unit_id", "unit_path", "added_reason"]
    columns += ["excused_reason", "delivered_at"]

    def rows():
        for period in made:
            opens = datetime.combine(period.start_date, datetime.min.time(), local)
            for unit_id, path in levels[4]:
                delivered = None
                if rng.random() < 0.7:
                    if rng.random() < 0.12:  # late: up to three days after the cutoff
                        moment = period.cutoff + timedelta(hours=rng.uniform(0.01, 72))
                    else:  # Monday 09:00 … the cutoff
                        moment = opens + timedelta(hours=9 + rng.uniform(0, 104))
                        moment = min(moment, period.cutoff)
                    delivered = stamp(moment, vendor)
                yield (notice.pk, period.pk, unit_id, path, "", "", delivered)

    bulk_load(table, columns, rows())
    for period in made:
        tallies.recount(period)
    return notice, made


def post_load(args):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        elif args.analyze:
            cursor.execute("ANALYZE")


def db_size():
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    name = Path(settings.DATABASES["default"]["NAME"])
    return sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))


def generate(args, rng):
    """Fill the fresh database; return the notice and the generation timings."""
    from django.db import connection
    from django.utils import timezone

    from shegong.activities import rollups

    vendor = connection.vendor
    today = timezone.localdate()
    start = today - timedelta(days=today.weekday() + WEEKS * 7)  # 26 full weeks to Sunday
    n = round(ACTIVITIES * args.scale)
    timings = {}
    load_session()
    t0 = time.perf_counter()
    levels = build_tree(rng, args.scale, vendor)
    timings["units"] = (sum(len(level) for level in levels), time.perf_counter() - t0)
    print(f"  单位 {timings['units'][0]:,} 个：{timings['units'][1]:.1f} s", flush=True)
    load_s, index_s = load_activities(rng, n, levels[4], levels[5], start, vendor)
    timings["activities"] = (n, load_s, index_s)
    print(
        f"  活动 {n:,} 条：载入 {load_s:.1f} s（{n / load_s:,.0f} 条/s），重建索引 {index_s:.1f} s",
        flush=True,
    )
    connection.close()  # back to the application's connection settings
    t0 = time.perf_counter()
    summary_rows = rollups.rebuild()
    timings["summaries"] = (summary_rows, time.perf_counter() - t0)
    print(
        f"  汇总表 rollups.rebuild()：{summary_rows:,} 行 {timings['summaries'][1]:.1f} s",
        flush=True,
    )
    t0 = time.perf_counter()
    params = {"scale": args.scale, "seed": args.seed, "periods": args.periods}
    load_session()
    notice, periods = make_notice(rng, levels, start, args.periods, vendor, params)
    connection.close()
    expected = len(levels[4]) * len(periods)
    timings["notice"] = (expected, time.perf_counter() - t0)
    print(
        f"  通知 + {len(periods)} 个批次 + 应报 {expected:,} 行 + tallies.recount："
        f"{timings['notice'][1]:.1f} s",
        flush=True,
    )
    t0 = time.perf_counter()
    post_load(args)
    timings["post"] = time.perf_counter() - t0
    if vendor == "postgresql" or args.analyze:
        step = "VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE"
        print(f"  {step}：{timings['post']:.1f} s", flush=True)
    return notice, timings


# ---------------------------------------------------------------- child: people


def median_chain():
    """The root and, below it, the median child by subtree size of each level."""
    from django.db import connection

    from shegong.orgs import tree
    from shegong.orgs.models import OrgUnit

    unit = OrgUnit.objects.get(depth=0)
    chain = [unit]
    for _ in range(len(LEVELS) - 1):
        size = len(unit.path) + tree.SEGMENT
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT substr(path, 1, %s), count(*) FROM orgs_orgunit "
                "WHERE path > %s AND path < %s GROUP BY 1",
                [size, unit.path, unit.path + tree.HIGH],
            )
            sizes = dict(cursor.fetchall())
        kids = sorted(OrgUnit.objects.filter(parent=unit), key=lambda k: (sizes[k.path], k.path))
        unit = kids[len(kids) // 2]
        chain.append(unit)
    return chain


def person(username, unit, role):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shegong.orgs.models import Membership

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=None, full_name=f"{unit.name[:20]}测试"
        )
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save()
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def session_cookie(user):
    """A logged-in session as the login view leaves it, as a Cookie header value."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    assert MODEL_BACKEND in settings.AUTHENTICATION_BACKENDS
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def service_units(rng, k):
    """k random stations and rooms (20 % / 80 %), without repeats."""
    from shegong.orgs.models import OrgUnit

    stations = list(OrgUnit.objects.filter(kind="station").values_list("id", flat=True))
    rooms = list(OrgUnit.objects.filter(kind="room").values_list("id", flat=True))
    ids = rng.sample(stations, min(len(stations), k // 5 or 1))
    ids += rng.sample(rooms, min(len(rooms), k - len(ids)))
    units = OrgUnit.objects.in_bulk(ids)
    return [units[i] for i in ids]


# ---------------------------------------------------------------- child: in-process figures


def label(sql):
    low = sql.lower()
    for table, name in (
        ("activities_summary", "summary"),
        ("activities_activity", "raw"),
        ("campaigns_expectedtally", "tally"),
        ("campaigns_reportingperiod", "periods"),
        ("campaigns_quota", "quotas"),
    ):
        if f'"{table}"' in low:
            return name
    return "lists"


def timed(fn, runs):
    """fn() WARMUPS + runs times; wall seconds, seconds inside execute, and the last run's
    queries."""
    from django.db import connection

    for _ in range(WARMUPS):
        fn()
    walls, sqls, recorder = [], [], None
    for _ in range(runs):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            fn()
            walls.append(time.perf_counter() - started)
        sqls.append(sum(q[0] for q in recorder.queries))
    return walls, sqls, [(sql, params) for _, sql, params in recorder.queries]


def replay(queries, runs):
    """The queries again at the DB-API level (execute + fetchall): database time alone."""
    from django.db import connection

    per = [[] for _ in queries]
    totals = []
    with connection.cursor() as cursor:
        for round_ in range(WARMUPS + runs):
            total = 0.0
            for i, (sql, params) in enumerate(queries):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                took = time.perf_counter() - started
                if round_ >= WARMUPS:
                    per[i].append(took)
                total += took
            if round_ >= WARMUPS:
                totals.append(total)
    medians = [statistics.median(p) for p in per]
    by_label = {}
    for (sql, _), m in zip(queries, medians, strict=True):
        n, t = by_label.get(label(sql), (0, 0.0))
        by_label[label(sql)] = (n + 1, t + m)
    top = max(range(len(queries)), key=medians.__getitem__)
    return totals, by_label, (label(queries[top][0]), medians[top], *queries[top])


def dashboard_figures(chain, notice, runs, explain_top):
    from django.db import connection
    from django.utils import timezone

    from shegong.activities import rollups
    from shegong.activities.validation import notice_span
    from shegong.campaigns.models import Notice
    from shegong.orgs.models import OrgUnit
    from shegong.reporting import dashboard

    today = timezone.localdate()
    # As reporting.views fetches it: periods and quotas read once, not by every helper.
    notice = Notice.objects.prefetch_related("periods", "quotas").get(pk=notice.pk)
    start, end = notice_span(notice)
    out = []
    for (key, level_name), unit in zip(LEVELS, chain, strict=True):
        children = list(OrgUnit.objects.filter(parent=unit).order_by("path")[:200])

        def build(unit=unit, children=children):
            dashboard.build(unit, notice, today, children=children)

        walls, sqls, queries = timed(build, runs)
        totals, by_label, top = replay(queries, runs)
        f_walls, f_sqls, _ = timed(lambda unit=unit: rollups.figures(unit.path, start, end), runs)
        rows = rollups.figures(unit.path, start, end).totals["n"]
        result = {
            "key": key,
            "level": level_name,
            "unit": unit.name,
            "code": unit.code,
            "children": len(children),
            "rows": rows,
            "build": ms(statistics.median(walls)),
            "build_p95": ms(p95(walls)),
            "sql": ms(statistics.median(sqls)),
            "queries": len(queries),
            "db": ms(statistics.median(totals)),
            "db_p95": ms(p95(totals)),
            "labels": {k: (n, ms(t)) for k, (n, t) in by_label.items()},
            "top": (top[0], ms(top[1])),
            "figures": ms(statistics.median(f_walls)),
            "figures_sql": ms(statistics.median(f_sqls)),
        }
        out.append(result)
        tops = "、".join(f"{k}×{n} {t:.2f}" for k, (n, t) in sorted(result["labels"].items()))
        print(
            f"  {level_name} {unit.name}：build 中位 {result['build']:.1f} ms，"
            f"DB {result['db']:.2f} ms（{tops}）",
            flush=True,
        )
        if explain_top:
            sql, params = top[2], top[3]
            print(f"    最重查询 {top[0]} {ms(top[1]):.2f} ms：{sql[:300]}")
            for line in explain(sql, params):
                print("      " + line)
    connection.close()
    return out


def completeness_figures(root, period, runs):
    from django.db.models import Count, Q

    from shegong.campaigns import tallies
    from shegong.campaigns.models import ExpectedReporter

    walls, _, _ = timed(lambda: tallies.read(period, root.path), max(runs, 100))
    counted = ExpectedReporter.objects.filter(
        root.subtree_q("unit_path"), period=period, excused_at=None
    )

    def count():
        return counted.aggregate(
            expected=Count("id"),
            delivered=Count("delivered_at"),
            on_time=Count("id", filter=Q(delivered_at__lte=period.cutoff)),
        )

    raw_walls, _, _ = timed(count, 5)
    got, want = tallies.read(period, root.path), count()
    assert got == (want["expected"], want["delivered"], want["on_time"]), (got, want)
    return {
        "read": ms(statistics.median(walls)),
        "read_p95": ms(p95(walls)),
        "count": ms(statistics.median(raw_walls)),
        "tally": got,
    }


def submission_data(rng, today):
    day = today - timedelta(days=rng.randrange(WEEKS * 7))
    return {
        "name": rng.choice(TOPICS) + rng.choice(EVENTS),
        "org_text": "",
        "date_start": day,
        "date_end": day + timedelta(days=rng.choice(SPANS)),
        "place": rng.choice(PLACES),
        "content": CONTENT,
        "participants": rng.randint(5, 300),
        "beneficiaries": rng.randint(10, 1000),
        "funds": f"{rng.randrange(0, 2_000_000) / 100:.2f}" if rng.random() < 0.7 else None,
        "inkind": f"{rng.randrange(0, 500_000) / 100:.2f}" if rng.random() < 0.5 else None,
        "domains": rng.sample(["老年人", "残疾人", "妇女", "儿童青少年", "困难群体"], 2),
        "linkage": [1, 4, 8][: rng.randint(0, 3)],
        "activity_type": rng.choice(["community", "media", "venue", "other"]),
        "mode": "offline",
        "filler_name": "李娜",
        "filler_mobile": "13800001111",
    }


def inprocess_submissions(rng, n):
    from django.db import connection
    from django.utils import timezone

    from shegong.activities import services
    from shegong.activities.models import Activity

    units = service_units(rng, 500)
    today = timezone.localdate()
    work = [(rng.choice(units), submission_data(rng, today)) for _ in range(n + 20)]
    for unit, data in work[:20]:  # warm-up
        services.record_activity(unit=unit, data=data, by=None)
    first = Activity.objects.order_by("-pk").values_list("pk", flat=True).first()
    times = []
    started = time.perf_counter()
    for unit, data in work[20:]:
        t0 = time.perf_counter()
        services.record_activity(unit=unit, data=data, by=None)
        times.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    stored = Activity.objects.filter(pk__gt=first).count()
    connection.close()
    times.sort()
    return {
        "how": "进程内 record_activity()",
        "connections": 1,
        "requests": n,
        "stored": stored,
        "rate": n / total,
        "p50": ms(statistics.median(times)),
        "p99": ms(times[int(0.99 * (len(times) - 1))]),
        "bad": n - stored,
    }


# ---------------------------------------------------------------- child: HTTP


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port, method, path, cookie, body=None):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, response.getheader("Location"), content


def start_gunicorn(log_path):
    port = free_port()
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="false")
    env.setdefault("LOG_LEVEL", "ERROR")
    log = open(log_path, "w")  # noqa: SIM115 (closed by stop_gunicorn)
    argv = [sys.executable, "-m", "gunicorn", "shegong.wsgi", "-w", "2"]
    argv += ["-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"]
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc, port, log
        except OSError:
            time.sleep(0.2)
    proc.kill()
    log.close()
    raise SystemExit("gunicorn did not start:\n" + Path(log_path).read_text()[-3000:])


def stop_gunicorn(proc, log):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


LUA_TAIL = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= %(expect)d then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f %%.0f\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    b, e.connect + e.read + e.write + e.timeout))
end
"""


def wrk_load(port, path, lua, connections, duration, work_dir):
    script = Path(work_dir) / "load.lua"
    script.write_text(lua)
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    argv += ["-s", str(script), f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
    line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit("wrk failed:\n" + out)
    n, us, p50, p95_, p99, bad, errors = (float(x) for x in line.split()[1:])
    return {
        "requests": int(n),
        "rate": n / (us / 1e6),
        "p50": p50 / 1000,
        "p95": p95_ / 1000,
        "p99": p99 / 1000,
        "bad": int(bad + errors),
    }


def python_load(port, make, connections, duration, expect):
    """The fallback without wrk: `connections` threads, each one request at a time."""
    deadline = time.perf_counter() + duration
    latencies, bad, lock = [], [0], threading.Lock()

    def worker(seed):
        rng, mine, wrong = random.Random(seed), [], 0
        while time.perf_counter() < deadline:
            method, path, cookie, body = make(rng)
            started = time.perf_counter()
            try:
                status = http(port, method, path, cookie, body)[0]
            except OSError:
                status = 0
            mine.append(time.perf_counter() - started)
            wrong += status != expect
        with lock:
            latencies.extend(mine)
            bad[0] += wrong

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pick(q):
        return ms(latencies[int(q * (len(latencies) - 1))])

    return {
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": pick(0.5),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "bad": bad[0],
    }


def run_load(port, path, lua, make, connections, duration, work_dir, expect):
    """wrk with the Lua script `lua` when installed, else the Python loop with `make`."""
    if use_wrk():
        lua += LUA_TAIL % {"expect": expect}
        return wrk_load(port, path, lua, connections, duration, work_dir)
    return python_load(port, make, connections, duration, expect)


def warm(port, make, each=3):
    """A few requests on two connections first, so that both workers have loaded the
    templates and opened their database connection."""

    def run(seed):
        rng = random.Random(seed)
        for _ in range(each):
            http(port, *make(rng))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def page_loads(port, chain, users, notice, duration, work_dir):
    out = []
    for i, ((key, _), unit) in enumerate(zip(LEVELS, chain, strict=True)):
        cookie = session_cookie(users[key])
        path = f"/dashboard/{unit.code}/?notice={notice.pk}"
        status, location, body = http(port, "GET", path, cookie)
        if status != 200 or unit.name not in body:
            raise SystemExit(f"{path}: {status} {location or ''} {body[:500]}")

        def make(rng, path=path, cookie=cookie):
            return "GET", path, cookie, None

        lua = f'wrk.headers["Cookie"] = "{cookie}"\n'
        warm(port, make, 6 if i == 0 else 2)  # more after start-up: templates, connections
        result = run_load(port, path, lua, make, PAGE_CONNECTIONS, duration, work_dir, 200)
        result["bytes"] = len(body.encode())
        result["api"] = api_load(port, unit, notice, cookie, duration, work_dir)
        out.append(result)
        print(
            f"  页面 {unit.name}：p95 {result['p95']:.1f} ms，{result['rate']:.0f} 页/s；"
            f"API p95 {result['api']['p95']:.1f} ms，{result['api']['rate']:.0f} 次/s",
            flush=True,
        )
    return out


def api_load(port, unit, notice, cookie, duration, work_dir):
    """GET /api/statistics/<code>?notice=<id>: the same figures as JSON, by session."""
    path = f"/api/statistics/{unit.code}?notice={notice.pk}"
    status, location, body = http(port, "GET", path, cookie)
    if status != 200 or json.loads(body)["unit"] != unit.code:
        raise SystemExit(f"{path}: {status} {location or ''} {body[:500]}")

    def make(rng):
        return "GET", path, cookie, None

    lua = f'wrk.headers["Cookie"] = "{cookie}"\n'
    warm(port, make, 2)
    return run_load(port, path, lua, make, PAGE_CONNECTIONS, duration, work_dir, 200)


LUA_POST = """
local head = {["Content-Type"] = "application/x-www-form-urlencoded"}
function request()
  head["Cookie"] = cookies[math.random(#cookies)]
  return wrk.format("POST", "/activities/new/", head, bodies[math.random(#bodies)])
end
"""


def http_submissions(port, rng, fillers, duration, work_dir, concurrency):
    """POST /activities/new/ as the fillers (each for its own unit), CSRF token included;
    the rows stored are counted against the requests answered 302."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from shegong.activities.models import Activity, ActivityType

    token = get_random_string(32)
    cookies = [f"{session_cookie(u)}; {settings.CSRF_COOKIE_NAME}={token}" for u in fillers]
    types = dict(ActivityType.objects.values_list("code", "id"))
    today = timezone.localdate()
    bodies = []
    for _ in range(256):
        d = submission_data(rng, today)
        fields = [
            ("csrfmiddlewaretoken", token),
            ("notice", ""),
            ("name", d["name"]),
            ("activity_type", types[d["activity_type"]]),
            ("date_start", d["date_start"].isoformat()),
            ("date_end", d["date_end"].isoformat()),
            ("place", d["place"]),
            ("mode", "offline"),
            ("org_text", ""),
            ("content", d["content"]),
            ("other_domains", ""),
            ("participants", d["participants"]),
            ("beneficiaries", d["beneficiaries"]),
            ("funds", d["funds"] or ""),
            ("inkind", d["inkind"] or ""),
            ("remarks", ""),
            ("filler_name", d["filler_name"]),
            ("filler_mobile", d["filler_mobile"]),
        ]
        fields += [("domains", x) for x in d["domains"]]
        fields += [("linkage", x) for x in d["linkage"]]
        bodies.append(urlencode(fields))
    status, location, body = http(port, "POST", "/activities/new/", cookies[0], bodies[0])
    if status != 302 or not (location or "").startswith("/activities/"):
        raise SystemExit(f"POST /activities/new/: {status} {location or ''} {body[:800]}")

    def make(rng):
        return "POST", "/activities/new/", rng.choice(cookies), rng.choice(bodies)

    lua = "local cookies = {" + ", ".join(json.dumps(c) for c in cookies) + "}\n"
    lua += "local bodies = {" + ", ".join(json.dumps(b) for b in bodies) + "}\n" + LUA_POST
    warm(port, make)
    out = []
    for connections in concurrency:
        first = Activity.objects.order_by("-pk").values_list("pk", flat=True).first()
        connection.close()
        path = "/activities/new/"
        result = run_load(port, path, lua, make, connections, duration, work_dir, 302)
        time.sleep(0.3)  # requests still in flight when the load stopped
        stored = Activity.objects.filter(pk__gt=first).count()
        result.update(how="HTTP POST /activities/new/", connections=connections, stored=stored)
        out.append(result)
        print(
            f"  提交 {connections} 并发：{result['rate']:.0f} 条/s，p99 {result['p99']:.1f} ms，"
            f"入库 {stored:,}",
            flush=True,
        )
    return out


# ---------------------------------------------------------------- child: main and report


def child(args):
    import django

    sys.stdout.reconfigure(line_buffering=True)
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from register_bench import engine

    # Everything measured, imported now: one version of the code even if files change later.
    import shegong.activities.services
    import shegong.reporting.dashboard
    import shegong.reporting.views  # noqa: F401
    from shegong.campaigns.models import Notice

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(
        f"数据库：{engine()}（{connection.settings_dict['NAME']}）；规模 {args.scale:g}；"
        f"负载（1/5/15 分钟）{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    params = {"scale": args.scale, "seed": args.seed, "periods": args.periods}
    notice = Notice.objects.filter(title=MARKER).first()
    timings = None
    if notice is not None:
        if json.loads(notice.goals) != params:
            raise SystemExit(f"保留的数据库参数为 {notice.goals}，与本次 {params} 不符。")
        print("沿用保留的数据（--reuse），不再生成。")
    else:
        print("生成：", flush=True)
        notice, timings = generate(args, random.Random(args.seed))
    result = {"engine": engine(), "scale": args.scale, "generation": timings, "size": db_size()}
    result["setup_s"] = time.perf_counter() - started
    wait_turn(args)
    started = time.perf_counter()
    people = random.Random(args.seed + 1)
    chain = median_chain()
    users = {
        key: person(f"bench_{key}", unit, "reviewer")
        for (key, _), unit in zip(LEVELS, chain, strict=True)
    }
    fillers = [
        person(f"bench_filler{i}", unit, "filler")
        for i, unit in enumerate(service_units(people, FILLERS))
    ]
    clock = f"（第 {time.perf_counter() - started:.0f} s）"
    print(f"进程内看板 dashboard.build()，预热 {WARMUPS} 次后计时 {args.runs} 次{clock}：")
    result["levels"] = dashboard_figures(chain, notice, args.runs, args.explain)
    period = notice.periods.order_by("cutoff").last()
    result["completeness"] = completeness_figures(chain[0], period, args.runs)
    clock = f"（第 {time.perf_counter() - started:.0f} s）"
    result["submits"] = []
    if not args.pages_only:
        print(f"进程内提交 record_activity() × {args.submissions}{clock}：")
        result["submits"].append(inprocess_submissions(people, args.submissions))
    clock = f"（第 {time.perf_counter() - started:.0f} s）"
    print(f"gunicorn 2 个 sync worker，{load_tool()}，每项 {args.duration} s{clock}：")
    with tempfile.TemporaryDirectory(prefix="shegong-bench-http-") as work:
        proc, port, log = start_gunicorn(Path(work) / "gunicorn.log")
        try:
            pages = page_loads(port, chain, users, notice, args.duration, work)
            if not args.pages_only:
                result["submits"] += http_submissions(
                    port, people, fillers, args.duration, work, args.concurrency
                )
        finally:
            stop_gunicorn(proc, log)
    for level, page in zip(result["levels"], pages, strict=True):
        level["page"] = page
    result["load"] = os.getloadavg()
    result["total_s"] = time.perf_counter() - started
    print_report(result)
    if args.result_file:
        Path(args.result_file).write_text(json.dumps(result))


def use_wrk():
    return shutil.which("wrk") and not os.environ.get("REPORTING_BENCH_NO_WRK")


def load_tool():
    tool = "wrk" if use_wrk() else "Python 线程循环"
    return f"{tool} {PAGE_CONNECTIONS} 个连接"


def table(cols, rows):
    line = " ".join(cell(name, size, right) for name, size, right in cols)
    print(line)
    print("-" * width(line))
    for values in rows:
        print(
            " ".join(cell(v, size, right) for v, (_, size, right) in zip(values, cols, strict=True))
        )


def print_report(r):
    g = r["generation"]
    print(f"\n== {r['engine']}，规模 {r['scale']:g}，数据库 {r['size'] / 1e9:.2f} GB ==")
    if g:
        n_units, units_s = g["units"]
        n_rows, load_s, index_s = g["activities"]
        print(
            f"生成：单位 {n_units:,} 个 {units_s:.1f} s；活动 {n_rows:,} 条 {load_s:.1f} s"
            f"（{n_rows / load_s:,.0f} 条/s）+ 索引 {index_s:.1f} s；汇总 rollups.rebuild() "
            f"{g['summaries'][0]:,} 行 {g['summaries'][1]:.1f} s；通知与应报 {g['notice'][0]:,} 行 "
            f"{g['notice'][1]:.1f} s；收尾 {g['post']:.1f} s；含 migrate 共 {r['setup_s']:.0f} s"
        )
    cols = [
        ("层级", 6, False),
        ("单位", 18, False),
        ("下级", 5, True),
        ("子树活动", 11, True),
        ("build中位", 9, True),
        ("p95", 7, True),
        ("查询", 5, True),
        ("execute内", 9, True),
        ("DB中位", 8, True),
        ("DB p95", 7, True),
        (f"≤{GOAL_DB_MS:g}ms", 6, False),
        ("最重查询", 14, False),
        ("figures()", 9, True),
    ]
    rows = []
    for lv in r["levels"]:
        top, top_ms = lv["top"]
        rows.append(
            [
                lv["level"],
                lv["unit"],
                lv["children"],
                f"{lv['rows']:,}",
                f"{lv['build']:.1f}",
                f"{lv['build_p95']:.1f}",
                lv["queries"],
                f"{lv['sql']:.2f}",
                f"{lv['db']:.2f}",
                f"{lv['db_p95']:.2f}",
                mark(lv["db"] <= GOAL_DB_MS),
                f"{top} {top_ms:.2f}",
                f"{lv['figures']:.2f}",
            ]
        )
    print("\n看板数据库时间（进程内，ms）")
    table(cols, rows)
    print("DB = 同一批查询在 DB-API 层重放（execute + fetchall）之和；各类查询的条数与中位 ms：")
    for lv in r["levels"]:
        parts = "，".join(f"{k} {n} 条 {t:.2f}" for k, (n, t) in sorted(lv["labels"].items()))
        print(f"  {lv['level']}：{parts}")

    cols = [
        ("层级", 6, False),
        ("p50", 7, True),
        ("p95", 7, True),
        (f"≤{GOAL_P95_MS:g}", 5, False),
        ("p99", 7, True),
        ("页/s", 7, True),
        (f"≥{GOAL_PAGES:g}", 5, False),
        ("请求", 7, True),
        ("非200", 6, True),
        ("页面KB", 7, True),
        ("API p95", 8, True),
        ("API/s", 6, True),
        (f"≥{GOAL_API:g}", 5, False),
    ]
    rows = []
    for lv in r["levels"]:
        p = lv["page"]
        rows.append(
            [
                lv["level"],
                f"{p['p50']:.1f}",
                f"{p['p95']:.1f}",
                mark(p["p95"] <= GOAL_P95_MS and not p["bad"]),
                f"{p['p99']:.1f}",
                f"{p['rate']:.0f}",
                mark(p["rate"] >= GOAL_PAGES and not p["bad"]),
                f"{p['requests']:,}",
                p["bad"],
                f"{p['bytes'] / 1024:.0f}",
                f"{p['api']['p95']:.1f}",
                f"{p['api']['rate']:.0f}",
                mark(p["api"]["rate"] >= GOAL_API and not p["api"]["bad"]),
            ]
        )
    print(f"\n看板页面（gunicorn 2 worker，{PAGE_CONNECTIONS} 个连接，ms）")
    table(cols, rows)

    c = r["completeness"]
    expected, delivered, on_time = c["tally"]
    print(
        f"\n全国完成度 tallies.read()：中位 {c['read']:.2f} ms，p95 {c['read_p95']:.2f} ms，"
        f"目标 ≤ {GOAL_TALLY_MS:g} ms {mark(c['read'] <= GOAL_TALLY_MS)}"
        f"（应报 {expected:,}，已报 {delivered:,}，按时 {on_time:,}；"
        f"直接数 ExpectedReporter 要 {c['count']:.1f} ms）"
    )

    cols = [
        ("方式", 28, False),
        ("并发", 5, True),
        ("请求", 7, True),
        ("入库", 7, True),
        ("条/s", 7, True),
        (f"≥{GOAL_SUBMITS:g}", 5, False),
        ("p50 ms", 7, True),
        ("p99 ms", 7, True),
        (f"≤{GOAL_SUBMIT_P99:g}", 5, False),
    ]
    rows = []
    for s in r["submits"]:
        ok = submit_ok(s)
        rows.append(
            [
                s["how"],
                s["connections"],
                f"{s['requests']:,}",
                f"{s['stored']:,}",
                f"{s['rate']:.0f}",
                mark(s["rate"] >= GOAL_SUBMITS and ok),
                f"{s['p50']:.1f}",
                f"{s['p99']:.1f}",
                mark(s["p99"] <= GOAL_SUBMIT_P99 and ok),
            ]
        )
    if rows:
        print("\n提交活动（汇总同步更新）")
        table(cols, rows)
    print(
        f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in r['load'])}；"
        f"测量共 {r['total_s']:.0f} s"
    )


def submit_ok(s):
    """Every answered request stored, give or take the ones in flight at the end."""
    answered = s["requests"] - s["bad"]
    return s["bad"] == 0 and abs(s["stored"] - answered) <= s["connections"]


def print_summary(results):
    print("\n== 对照目标（进程内取中位；页面 p95、提交 p99 取自负载工具） ==")
    cols = [
        ("数据库", 16, False),
        ("层级", 6, False),
        (f"DB≤{GOAL_DB_MS:g}ms", 11, False),
        (f"页面p95≤{GOAL_P95_MS:g}ms", 15, False),
        (f"≥{GOAL_PAGES:g}页/s", 11, False),
        (f"API≥{GOAL_API:g}次/s", 13, False),
    ]
    rows = []
    for r in results:
        for lv in r["levels"]:
            p = lv["page"]
            api = p["api"]
            rows.append(
                [
                    r["engine"],
                    lv["level"],
                    f"{lv['db']:.2f} {mark(lv['db'] <= GOAL_DB_MS)}",
                    f"{p['p95']:.1f} {mark(p['p95'] <= GOAL_P95_MS and not p['bad'])}",
                    f"{p['rate']:.0f} {mark(p['rate'] >= GOAL_PAGES and not p['bad'])}",
                    f"{api['rate']:.0f} {mark(api['rate'] >= GOAL_API and not api['bad'])}",
                ]
            )
    table(cols, rows)
    for r in results:
        c = r["completeness"]
        line = [f"{r['engine']}：全国完成度 {c['read']:.2f} ms {mark(c['read'] <= GOAL_TALLY_MS)}"]
        for s in r["submits"]:
            ok = submit_ok(s)
            where = "进程内" if s["connections"] == 1 else f"HTTP {s['connections']} 并发"
            line.append(
                f"{where} {s['rate']:.0f}/s {mark(s['rate'] >= GOAL_SUBMITS and ok)} "
                f"p99 {s['p99']:.1f} ms {mark(s['p99'] <= GOAL_SUBMIT_P99 and ok)}"
            )
        print("；".join(line))


# ---------------------------------------------------------------- parent


def pg_exists(url, name):
    import psycopg

    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def revision():
    """The commit measured, and whether tracked files differ from it (read-only git)."""

    def git(*argv):
        run = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True)
        return run.stdout.strip() if run.returncode == 0 else ""

    rev = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return rev + ("（工作区有未提交的修改）" if dirty else "")


def prepare(db, args, stack):
    """The environment of one child and its database: a fresh one dropped (or a temporary
    directory removed) when `stack` closes, or with --keep/--reuse one that stays."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="shegong.settings",
        DEBUG="false",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="ERROR",
    )
    env.pop("DATABASE_URL", None)
    keep, note = args.keep or args.reuse, ""
    if db == "postgres":
        name = f"{BENCH_DB}_{tag(args.scale)}" if keep else BENCH_DB
        if args.reuse and pg_exists(args.pg_url, name):
            env["DATABASE_URL"] = urlsplit(args.pg_url)._replace(path="/" + name).geturl()
        else:
            env["DATABASE_URL"] = fresh_postgres(args.pg_url, name)
        if keep:
            note = f"保留 PostgreSQL 数据库 {name}（用完请 DROP DATABASE {name}）"
        else:
            stack.callback(drop_postgres, args.pg_url, name)
        scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"{BENCH_DB}-"))
        env["SHEGONG_VAR_DIR"] = scratch  # secret key and static root only
    elif keep:
        var_dir = Path(tempfile.gettempdir()) / f"shegong-bench-reporting-{tag(args.scale)}"
        if not args.reuse and var_dir.exists():
            shutil.rmtree(var_dir)
        var_dir.mkdir(exist_ok=True)
        env["SHEGONG_VAR_DIR"] = str(var_dir)
        note = f"保留 SQLite 数据于 {var_dir}（用完请删除）"
    else:
        env["SHEGONG_VAR_DIR"] = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="shegong-bench-reporting-")
        )
    return env, note


def run_children(dbs, argv, args):
    """One child per engine. Unless --serial they generate at the same time and then take
    turns to measure (files in a shared directory), so that no measurement shares the CPU
    with the other engine's generator. Their output is shown one engine after the other."""
    with ExitStack() as stack:
        sync = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reporting-bench-")))
        prepared = [prepare(db, args, stack) for db in dbs]
        procs = [None] * len(dbs)

        def start(i):
            extra = ["--result-file", str(sync / f"{i}.json")]
            if not args.serial:
                extra += ["--sync-dir", str(sync), "--sync-index", str(i)]
                extra += ["--sync-count", str(len(dbs))]
            with open(sync / f"{i}.log", "w") as log:
                procs[i] = subprocess.Popen(
                    [sys.executable, __file__, "--child", *argv, *extra],
                    env=prepared[i][0],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )

        def stop():
            for proc in procs:
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    proc.wait()

        stack.callback(stop)  # runs before the databases are dropped
        if not args.serial:
            for i in range(len(dbs)):
                start(i)
        results, failed = [], []
        for i, db in enumerate(dbs):
            if procs[i] is None:
                start(i)
            print(f"\n=== {db} ===")
            if prepared[i][1]:
                print(prepared[i][1])
            with open(sync / f"{i}.log") as reader:
                while True:
                    running = procs[i].poll() is None
                    sys.stdout.write(reader.read())
                    sys.stdout.flush()
                    for j, proc in enumerate(procs):  # a child that died lets the others on
                        if proc is not None and proc.poll() is not None:
                            (sync / f"ready{j}").touch()
                            (sync / f"done{j}").touch()
                    if not running:
                        break
                    time.sleep(0.2)
            result = sync / f"{i}.json"
            if procs[i].returncode or not result.exists():
                failed.append(db)
            else:
                results.append(json.loads(result.read_text()))
        return results, failed


def wait_turn(args):
    """After generating: wait until every engine has generated, then for the engine before
    this one to finish measuring."""
    if not args.sync_dir:
        return
    sync = Path(args.sync_dir)
    (sync / f"ready{args.sync_index}").touch()
    waited = time.perf_counter()
    while not all((sync / f"ready{j}").exists() for j in range(args.sync_count)) or (
        args.sync_index and not (sync / f"done{args.sync_index - 1}").exists()
    ):
        time.sleep(0.2)
    if time.perf_counter() - waited > 1:
        print(f"（等待另一个数据库 {time.perf_counter() - waited:.0f} s 后开始测量）")


def turn_done(args):
    if args.sync_dir:
        (Path(args.sync_dir) / f"done{args.sync_index}").touch()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 704,752 单位、1000 万活动")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, help="每项 HTTP 负载秒数（默认 10 / 1）")
    parser.add_argument("--runs", type=int, help="进程内每项计时次数（默认 30 / 5）")
    parser.add_argument("--submissions", type=int, help="进程内提交条数（默认 2000 / 100）")
    parser.add_argument("--periods", type=int, default=2, help="通知的周报批次数（默认 2）")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--keep", action="store_true", help="保留生成的数据库")
    parser.add_argument("--reuse", action="store_true", help="沿用保留的数据库（并继续保留）")
    parser.add_argument(
        "--pg-url",
        default=PG_URL,
        help="PostgreSQL 服务器（在其上建临时库）",
    )
    parser.add_argument("--explain", action="store_true", help="打印每级最重查询的执行计划")
    parser.add_argument("--no-wrk", action="store_true", help="不用 wrk，用 Python 线程施加负载")
    parser.add_argument("--analyze", action="store_true", help="SQLite 载入后也 ANALYZE")
    parser.add_argument("--pages-only", action="store_true", help="只测看板页面与 API，不测提交")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--serial", action="store_true", help="两个数据库依次生成（生成计时不受干扰）"
    )
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    parser.add_argument("--sync-dir", help=argparse.SUPPRESS)
    parser.add_argument("--sync-index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--sync-count", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    small = args.scale < 0.1
    args.duration = max(1, args.duration or (1 if small else 10))
    args.runs = args.runs or (5 if small else 30)
    args.submissions = args.submissions or (100 if small else 2000)
    args.concurrency = SUBMIT_CONNECTIONS[:1] if small else SUBMIT_CONNECTIONS
    if args.no_wrk:
        os.environ["REPORTING_BENCH_NO_WRK"] = "1"
    if args.child:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so gunicorn is stopped too
        try:
            child(args)
        finally:
            turn_done(args)
        return 0
    started = time.perf_counter()
    argv = ["--scale", repr(args.scale), "--duration", str(args.duration)]
    argv += ["--runs", str(args.runs), "--submissions", str(args.submissions)]
    argv += ["--periods", str(args.periods), "--seed", str(args.seed)]
    argv += ["--explain"] * args.explain + ["--analyze"] * args.analyze
    argv += ["--pages-only"] * args.pages_only
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    code = revision()
    print(f"代码 {code}；规模 {args.scale:g}；{os.cpu_count()} 核", flush=True)
    results, failed = run_children(dbs, argv, args)
    if revision() != code:
        print(f"\n注意：运行期间代码有变化（{code} → {revision()}），各项可能测的不是同一版本。")
    if results:
        print_summary(results)
    print(f"\n共用时 {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
