"""Time the activity register (/activities/) per persona with 100,000 rows, in a fresh database.

    .venv/bin/python bench/register_bench.py [--rows 100000] [--runs 20] [--explain]
        [--analyze] [--sql "CREATE INDEX …" …]

SQLite by default; with DATABASE_URL=postgres://… it uses a fresh database
`shegong_bench_register` on that server, dropped at the end. The tree is one province →
12 prefectures → ~8 districts → ~10 stations → ~5 rooms (about 5,900 units), with users for
a station filler and district, prefecture and province reviewers. Activities are spread
over stations (20 %) and rooms (80 %) across 26 weeks and inserted in date order.

Each persona gets page 1, a deep page (100, or the last page if there are fewer), a
date + domain filter and three keyword searches (?q=某, 1 character; ?q=助老, 2; ?q=某某社区, 4:
see KEYWORDS) through Django's test client, plus
`selectors.totals()` alone. Figures are wall time of the whole request in-process
(middleware, queries, template), median and p95 over --runs after 2 warm-ups, with the
query count and the time spent in SQL. The bar is p95 ≤ 100 ms per page; a keyword
search's goal is ≤ 50 ms of SQL at province scope (its own table at the end).

PostgreSQL gets VACUUM ANALYZE after loading (autovacuum's steady state); SQLite is left
as the application leaves it (no ANALYZE) unless --analyze. --sql runs extra statements
after loading (e.g. a candidate index) so a fix can be measured before it is proposed.
--explain prints the plan of the slowest register query of every request.
"""

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "shegong_bench_register"
BAR_MS = 100.0
WARMUPS = 2
START = (2030, 1, 7)  # a Monday; rows cover 26 weeks from here
WEEKS = 26
# ?date_from … date_to (the last four weeks) and ?domain=0 (老年人)
FILTER_FROM, FILTER_TO, FILTER_DOMAIN = "2030-06-10", "2030-07-07", 0
# Keyword searches (?q=, activities/search.py): 3+ characters go through the trigram index;
# 1–2 characters (Chinese words are often two) take its short-query path on SQLite and the
# 1–2 character grams index (activity_text_grams) on PostgreSQL. 某 is in ~4 % of names and
# ~2 % of places, 某某社区 in the same ~4 % of names, 助老 in ~1/6 of names.
KEYWORDS = [("搜索“某”1字", "某"), ("搜索“助老”2字", "助老"), ("搜索“某某社区”", "某某社区")]
KEYWORD_GOAL_MS = 50.0  # SQL of one keyword search at province scope (issue 17)


# ---------------------------------------------------------------- parent: the throwaway db


def _admin_conninfo(url):
    import psycopg

    return psycopg.conninfo.make_conninfo(url, dbname="postgres")


def fresh_postgres(url, name=BENCH_DB):
    """Drop and create the bench database `name` on the server of `url`; return its URL."""
    import psycopg

    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlsplit(url)._replace(path="/" + name).geturl()


def drop_postgres(url, name=BENCH_DB):
    import psycopg

    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_child(argv, *, script=__file__, name=BENCH_DB):
    """Run `script --child argv` against a throwaway database: a fresh SQLite file in a
    temporary var/ directory, or the database `name` on DATABASE_URL's server."""
    with tempfile.TemporaryDirectory(prefix=f"{name.replace('_', '-')}-") as var_dir:
        env = dict(
            os.environ,
            SHEGONG_VAR_DIR=var_dir,
            DJANGO_SETTINGS_MODULE="shegong.settings",
            DEBUG="false",
            ALLOWED_HOSTS="testserver",
            LOG_LEVEL="ERROR",
        )
        url = os.environ.get("DATABASE_URL")
        if url:
            env["DATABASE_URL"] = fresh_postgres(url, name)
        try:
            return subprocess.run(
                [sys.executable, script, "--child", *argv], env=env, cwd=ROOT
            ).returncode
        finally:
            if url:
                drop_postgres(url, name)


# ---------------------------------------------------------------- child: data


def build_tree(rng):
    """Province → 12 prefectures → ~8 districts → ~10 stations → ~5 rooms, level by level."""
    from shegong.orgs import tree
    from shegong.orgs.models import Kind, OrgUnit

    def level(parents, kind, label, low, high):
        objs = []
        for parent in parents:
            for i in range(rng.randint(low, high)):
                path = parent.path + tree.segment(i)
                objs.append(
                    OrgUnit(
                        code=f"{kind[:2].upper()}{len(objs) + 1:05d}",
                        name=f"{parent.name[:20]}第{i + 1}{label}",
                        kind=kind,
                        parent=parent,
                        path=path,
                        depth=tree.depth_of(path),
                    )
                )
        return OrgUnit.objects.bulk_create(objs, batch_size=500)

    root = OrgUnit.objects.create(
        code="PROV", name="某省民政厅", kind=Kind.PROVINCE, path=tree.segment(0), depth=0
    )
    prefectures = level([root], Kind.PREFECTURE, "市民政局", 12, 12)
    districts = level(prefectures, Kind.COUNTY, "区民政局", 7, 9)
    stations = level(districts, Kind.STATION, "街道社工站", 8, 12)
    rooms = level(stations, Kind.ROOM, "社区社工室", 4, 6)
    return root, prefectures, districts, stations, rooms


def make_personas(root, prefectures, districts, stations):
    """A filler at one station and reviewers at its district, prefecture and the province."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from shegong.orgs.models import Membership, Role

    prefecture = prefectures[len(prefectures) // 2]
    district = [d for d in districts if d.parent_id == prefecture.pk][3]
    station = [s for s in stations if s.parent_id == district.pk][4]
    personas = []
    for key, unit, role in [
        ("station", station, Role.FILLER),
        ("district", district, Role.REVIEWER),
        ("prefecture", prefecture, Role.REVIEWER),
        ("province", root, Role.REVIEWER),
    ]:
        user = get_user_model().objects.create_user(
            username=f"bench_{key}",
            password=None,
            full_name=f"{key} 测试",
            must_change_password=False,
            password_changed_at=timezone.now(),
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        personas.append((key, user, unit))
    return personas


TOPICS = ["助老服务", "儿童关爱", "助残康复", "妇女赋能", "困难群体帮扶", "社工宣传周"]
EVENTS = ["进社区", "主题讲座", "义诊活动", "政策宣讲", "志愿服务", "游园会"]
PLACES = ["党群服务中心", "社区活动室", "文化广场", "敬老院", "学校礼堂"]
CONTENT = "组织辖区居民参加主题活动，开展政策宣传、健康义诊和防诈骗讲解，志愿者全程协助。"


def make_activities(rng, n, stations, rooms, fillers):
    """`n` activities, 20 % at stations and 80 % at rooms, over 26 weeks, in date order."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from shegong.activities.models import Activity, ActivityType

    types = list(ActivityType.objects.values_list("id", flat=True))
    start = date(*START)
    days = sorted(rng.randrange(WEEKS * 7) for _ in range(n))
    deleted = timezone.now()
    masks = [sum(1 << b for b in rng.sample(range(5), rng.randint(1, 3))) for _ in range(64)]
    # Positional construction (every concrete field in order) is ~3x cheaper than keywords.
    fields = Activity._meta.concrete_fields
    defaults = {f.attname: None if f.primary_key else f.get_default() for f in fields}
    attnames = [f.attname for f in fields]

    def money():
        return None if rng.random() < 0.3 else Decimal(rng.randrange(0, 2_000_000)) / 100

    def row(day):
        unit = rng.choice(stations) if rng.random() < 0.2 else rng.choice(rooms)
        first = start + timedelta(days=day)
        # About 4 % of names and 2 % of places carry 某 (anonymised examples), for ?q=某.
        name = rng.choice(TOPICS) + rng.choice(EVENTS)
        if rng.random() < 0.04:
            name = "某某社区" + name
        filler = fillers.get(unit.pk)
        values = {
            "unit_id": unit.pk,
            "org_path": unit.path,
            "name": name,
            "org_text": unit.name,
            "participants": rng.randint(5, 300),
            "date_start": first,
            "date_end": first + timedelta(days=rng.choice((0, 0, 0, 1, 2))),
            "place": ("某" if rng.random() < 0.02 else "") + rng.choice(PLACES),
            "content": CONTENT * rng.randint(1, 4),
            "domain_mask": rng.choice(masks),
            "beneficiaries": rng.randint(10, 1000),
            "funds": money(),
            "inkind": money(),
            "activity_type_id": rng.choice(types),
            "linkage": rng.randrange(32),
            "filler_name": "李娜",
            "filler_mobile": "13800001111",
            "created_by_id": filler.pk if filler else None,
            "deleted_at": deleted if rng.random() < 0.005 else None,
        }
        return Activity(*[values[a] if a in values else defaults[a] for a in attnames])

    batch = 5000
    with transaction.atomic():
        for i in range(0, n, batch):
            Activity.objects.bulk_create([row(d) for d in days[i : i + batch]])


def post_load(args):
    from django.db import connection

    from shegong.activities import rollups

    # bulk_create bypasses the services that keep the summary rows: build them once.
    started = time.perf_counter()
    rows = rollups.rebuild()
    print(f"汇总表：{rows:,} 行 {time.perf_counter() - started:.1f} 秒（rebuild-summaries）")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        elif args.analyze:
            cursor.execute("ANALYZE")
        for sql in args.sql or []:
            started = time.perf_counter()
            cursor.execute(sql)
            print(f"额外 SQL（{(time.perf_counter() - started) * 1000:.0f} ms）：{sql}")
        if connection.vendor == "postgresql" and args.sql:
            cursor.execute("ANALYZE")


# ---------------------------------------------------------------- child: measuring


class Recorder:
    """execute_wrapper: time every query of one request."""

    def __init__(self):
        self.queries = []  # (seconds, sql, params)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql, params))


def kind_of(sql, table):
    """Which part of the register page a query is, for the breakdown."""
    low = sql.lower()
    if f'"{table}"' not in low:
        return "other"
    if "sum(" in low:
        return "totals"
    if "count(" in low:
        return "count"
    if " limit " in low and " order by " in low:
        return "ids"
    return "rows"


KINDS = ["count", "ids", "rows", "totals", "other"]


def p95(values):
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def ms(seconds):
    return seconds * 1000


def measure(fn, runs, table):
    """Run fn WARMUPS + runs times; return timings, SQL time, query counts and the slowest query."""
    from django.db import connection

    for _ in range(WARMUPS):
        fn()
    walls, sql_times, counts, slowest = [], [], [], None
    parts = {k: [] for k in KINDS}
    for _ in range(runs):
        recorder = Recorder()
        with connection.execute_wrapper(recorder):
            started = time.perf_counter()
            fn()
            walls.append(time.perf_counter() - started)
        sql_times.append(sum(q[0] for q in recorder.queries))
        counts.append(len(recorder.queries))
        by_kind = dict.fromkeys(KINDS, 0.0)
        for q in recorder.queries:
            by_kind[kind_of(q[1], table)] += q[0]
        for k in KINDS:
            parts[k].append(by_kind[k])
        mine = [q for q in recorder.queries if kind_of(q[1], table) != "other"]
        if mine:
            top = max(mine, key=lambda q: q[0])
            if slowest is None or top[0] > slowest[0]:
                slowest = top
    return {
        "median": ms(statistics.median(walls)),
        "p95": ms(p95(walls)),
        "sql": ms(statistics.median(sql_times)),
        "python": ms(statistics.median(w - q for w, q in zip(walls, sql_times, strict=True))),
        "queries": statistics.median(counts),
        "parts": {k: ms(statistics.median(v)) for k, v in parts.items()},
        "slowest": slowest,
    }


def explain(sql, params):
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return [r[0] for r in rows]
    return [f"{'  ' * (_depth(rows, r))}{r[-1]}" for r in rows]


def _depth(rows, row):
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent in parents:
        depth, parent = depth + 1, parents[parent]
    return depth


def requests_for(user, unit):
    """The four register requests of a persona, with the deep page chosen from the row count."""
    from shegong.activities import selectors
    from shegong.activities.views import PAGE_SIZE

    rows = selectors.activities_visible_to(user).filter(unit.subtree_q("org_path"))
    n = rows.count()
    deep = max(1, min(100, math.ceil(n / PAGE_SIZE)))
    query = f"date_from={FILTER_FROM}&date_to={FILTER_TO}&domain={FILTER_DOMAIN}"
    last = "（末页）" if deep < 100 else ""
    return n, [
        ("第1页", "/activities/"),
        (f"第{deep}页{last}", f"/activities/?page={deep}"),
        ("日期+领域", f"/activities/?{query}"),
        *((label, "/activities/?" + urlencode({"q": text})) for label, text in KEYWORDS),
    ]


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell(text, size, right=False):
    text = str(text)
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def engine():
    from django.db import connection

    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def stats_step(vendor, args):
    step = (
        "VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE" if args.analyze else "未 ANALYZE"
    )
    return step + (" + 额外 SQL" if args.sql else "")


def child(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shegong.activities import selectors
    from shegong.activities.models import Activity
    from shegong.orgs.models import OrgUnit

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    root, prefectures, districts, stations, rooms = build_tree(rng)
    personas = make_personas(root, prefectures, districts, stations)
    tree_seconds = time.perf_counter() - started
    fillers = {p[2].pk: p[1] for p in personas if p[0] == "station"}
    started = time.perf_counter()
    make_activities(rng, args.rows, stations, rooms, fillers)
    rows_seconds = time.perf_counter() - started
    started = time.perf_counter()
    post_load(args)
    post_seconds = time.perf_counter() - started

    print(f"数据库：{engine()}（{connection.settings_dict['NAME']}）")
    print(
        f"生成：{OrgUnit.objects.count():,} 个单位 {tree_seconds:.1f} 秒；"
        f"{Activity.objects.count():,} 条活动 {rows_seconds:.1f} 秒（bulk_create）；"
        f"{stats_step(connection.vendor, args)} {post_seconds:.1f} 秒"
    )
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"每项 {WARMUPS} 次预热后计时 {args.runs} 次；墙钟时间为测试客户端内整个请求"
        f"（中间件 + 查询 + 模板），SQL 为其中查询耗时；p95 取最近秩。"
    )

    table = Activity._meta.db_table
    results = []
    for key, user, unit in personas:
        client = Client()
        client.force_login(user)
        n, requests = requests_for(user, unit)
        for label, url in requests:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert "活动登记簿" in response.content.decode(), url
            stats = measure(lambda url=url, c=client: c.get(url), args.runs, table)
            results.append((key, n, label, url, stats))

        # Drop the memberships cache between runs, as each request does.
        def totals_alone(user=user, unit=unit):
            user.__dict__.pop("_shegong_memberships", None)
            user.__dict__.pop("_shegong_stamp", None)
            selectors.totals(
                selectors.activities_visible_to(user).filter(unit.subtree_q("org_path"))
            )

        stats = measure(totals_alone, args.runs, table)
        results.append((key, n, "totals() 单独", "selectors.totals", stats))

    print_report(results, args, table)
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def print_report(results, args, table):
    cols = [
        ("角色", 11, False),
        ("可见行数", 9, True),
        ("请求", 14, False),
        ("中位 ms", 9, True),
        ("p95 ms", 9, True),
        ("查询数", 7, True),
        ("SQL ms", 8, True),
        ("非SQL", 7, True),
        ("count", 7, True),
        ("ids", 7, True),
        ("rows", 7, True),
        ("totals", 7, True),
        ("其他", 7, True),
    ]
    line = "".join(cell(name, size, right) + " " for name, size, right in cols)
    print("\n" + line)
    print("-" * width(line))
    last = None
    for key, n, label, _url, s in results:
        values = [
            key if key != last else "",
            f"{n:,}" if key != last else "",
            label,
            f"{s['median']:.1f}",
            f"{s['p95']:.1f}",
            f"{s['queries']:.0f}",
            f"{s['sql']:.1f}",
            f"{s['python']:.1f}",
            *(f"{s['parts'][k]:.1f}" for k in KINDS),
        ]
        print(
            "".join(
                cell(v, size, right) + " " for v, (_, size, right) in zip(values, cols, strict=True)
            )
        )
        last = key
    print(
        "count = 分页器 COUNT，ids = 一页的 id（ORDER BY … LIMIT），rows = 按 id 取整行，"
        "totals = 合计行，其他 = 会话、成员、通知、表单选项等；非SQL = 墙钟减 SQL"
        "（中间件、ORM 编译、模板）；均为中位 ms。"
    )

    print(f"\n结论（目标：10 万行下分页依然快；标准：每页服务器时间 p95 ≤ {BAR_MS:.0f} ms）")
    for key in dict.fromkeys(r[0] for r in results):
        pages = [r for r in results if r[0] == key and r[3].startswith("/")]
        over = [r for r in pages if r[4]["p95"] > BAR_MS]
        worst = max(pages, key=lambda r: r[4]["p95"])
        if not over:
            verdict = f"达标：{len(pages)}/{len(pages)} 个请求 p95 ≤ {BAR_MS:.0f} ms"
        else:
            verdict = "未达标：" + "；".join(
                f"{r[2]} p95 {r[4]['p95']:.0f} ms（SQL {r[4]['sql']:.0f} ms，"
                f"最慢查询 {kind_of(r[4]['slowest'][1], table)} "
                f"{ms(r[4]['slowest'][0]):.0f} ms）"
                for r in over
            )
        print(
            f"{cell(key, 11)} {n_rows(results, key):>9,} 行  {verdict}"
            f"（最慢：{worst[2]} {worst[4]['p95']:.0f} ms）"
        )

    print(f"\n关键词搜索（?q=，目标：省级 SQL ≤ {KEYWORD_GOAL_MS:.0f} ms，中位）")
    texts = dict(KEYWORDS)
    for key, n, label, _url, s in results:
        if label in texts:
            goal = ("  达标" if s["sql"] <= KEYWORD_GOAL_MS else "  未达标") * (key == "province")
            print(
                f"{cell(key, 11)} {n:>9,} 行  ?q={cell(texts[label], 9)} "
                f"SQL {s['sql']:7.1f} ms（count {s['parts']['count']:.1f}，"
                f"ids {s['parts']['ids']:.1f}，totals {s['parts']['totals']:.1f}）{goal}"
            )

    if args.explain:
        print("\n每个请求里最慢的登记簿查询及其计划：")
        for key, _n, label, _url, s in results:
            if s["slowest"] is None:
                continue
            seconds, sql, params = s["slowest"]
            print(
                f"\n[{key} {label}] {ms(seconds):.1f} ms\n{sql % tuple(_quote(p) for p in params)}"
            )
            for plan_line in explain(sql, params):
                print("    " + plan_line)


def n_rows(results, key):
    return next(r[1] for r in results if r[0] == key)


def _quote(value):
    return f"'{value}'" if isinstance(value, str) else str(value)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="活动行数（默认 100000）")
    parser.add_argument("--runs", type=int, default=20, help="每项计时次数（默认 20）")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--explain", action="store_true", help="打印最慢查询的执行计划")
    parser.add_argument("--analyze", action="store_true", help="SQLite 也先 ANALYZE")
    parser.add_argument("--sql", action="append", help="载入后执行的额外 SQL，可重复")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    print("数据库：" + ("PostgreSQL " + BENCH_DB if os.environ.get("DATABASE_URL") else "SQLite"))
    sys.exit(run_child(sys.argv[1:]))


if __name__ == "__main__":
    main()
