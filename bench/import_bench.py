"""Time the Attachment 1 import end to end: a 10,000-row xlsx read, checked and stored.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--runs 3] [--memory-rows 100000]

SQLite by default (a fresh file in a temporary directory); with DATABASE_URL=postgres://… a
fresh database `shegong_bench_import` on that server, dropped at the end. The file has the
seed 002 layout (title, 填报人 line, the two-row merged header) and cells as stations type
them (45人次, 1,200元, 3月20日).

Each run imports the file into a new station (every row new), then uploads it again (every
row unchanged), with the cell readers' caches emptied first. In the same run it measures
the floor: reading the file alone, and a bare bulk insert of the same rows into the same
table (executemany on SQLite, COPY on PostgreSQL, rolled back); the ratio is the import's
time over the floor's. Last, a fresh process imports a --memory-rows file and reports its
peak RSS. Goals (issue #14): 10,000 new rows ≤ 1.0 s on SQLite and ≤ 1.5 s on PostgreSQL,
a re-upload that changes nothing ≤ 0.6 s, 100,000 rows under 500 MB.
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from register_bench import run_child

BENCH_DB = "shegong_bench_import"
GOALS = {"sqlite": 1.0, "postgresql": 1.5}
UNCHANGED_GOAL = 0.6
RSS_GOAL_MB = 500
TOPICS = ["助老服务", "儿童关爱", "助残康复", "妇女赋能", "困难群体帮扶", "社工宣传周"]
PLACES = ["党群服务中心", "社区活动室", "文化广场", "敬老院", "学校礼堂"]
DOMAINS = ["老年人", "残疾人、妇女", "儿童青少年", "困难群体", "老年人、困难群体"]


def build_file(rows, seed=7):
    from openpyxl import Workbook
    from openpyxl.worksheet.cell_range import CellRange

    rng = random.Random(seed)
    book = Workbook(write_only=True)  # 100,000 rows of cell objects would take gigabytes
    sheet = book.create_sheet("附件1")
    sheet.append(["某区社会工作主题宣传活动工作进展情况统计表"])
    sheet.append(["填报人及手机号码：李娜 13800001111"])
    sheet.append(["填报时间：2030年6月30日"])
    domains = "服务领域（老年人、残疾人、妇女、儿童青少年、困难群体等）"
    sheet.append(["序号", "活动名称", "参与活动的单位或社会组织（团队）名称", "参与人次",
                  "活动开展时间", "活动地点", "活动内容", domains, "受益人次", "链接资源情况",
                  None, "备注"])  # fmt: skip
    sheet.append([None] * 9 + ["链接资金（元）", "链接物资折价（元）", None])
    for ref in ["A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:F5", "G4:G5", "H4:H5",
                "I4:I5", "J4:K4", "L4:L5"]:  # fmt: skip
        sheet.merged_cells.add(CellRange(ref))
    for i in range(1, rows + 1):
        month, day = rng.randint(1, 6), rng.randint(1, 28)
        sheet.append([
            i,
            f"{rng.choice(TOPICS)}第{i}场",
            "某街道社会工作服务站",
            f"{rng.randint(5, 300)}人次",
            f"{month}月{day}日" if i % 3 else f"2030/{month}/{day}",
            f"某社区{rng.choice(PLACES)}",
            "组织辖区居民参加主题活动，开展政策宣传、健康义诊和防诈骗讲解。",
            rng.choice(DOMAINS),
            rng.randint(5, 900),
            f"{rng.randint(0, 5000):,}元" if i % 4 else None,
            rng.randint(0, 3000) if i % 5 else None,
            "",
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cold():
    """Empty the cell readers' caches: every run reads its texts as a first upload would."""
    from shegong.activities import cells

    cells._read_text.cache_clear()
    cells._text_dates.cache_clear()


def _bare_insert(plan, station):
    """The floor of storing: the same rows inserted in one statement stream, rolled back."""
    from django.db import transaction
    from django.utils import timezone

    from shegong.activities import bulk, services
    from shegong.activities.models import Activity

    rows = services._new_rows(
        [(station, r.values) for r in plan.accepted],
        by=None,
        notice=None,
        at=bulk.moment(timezone.now()),
    )
    with transaction.atomic():
        t0 = time.perf_counter()
        bulk.insert(Activity, services.NEW_COLUMNS, rows)
        took = time.perf_counter() - t0
        transaction.set_rollback(True)
    return took


def child(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shegong.activities import table_import
    from shegong.activities.models import Activity
    from shegong.orgs import services
    from shegong.orgs.models import Kind
    from shegong.workbooks import read_workbook

    call_command("migrate", verbosity=0)
    root = services.create_unit(
        parent=None, code="BENCH", name="某区民政局", kind=Kind.COUNTY, by=None
    )
    data = build_file(args.rows)
    vendor = connection.vendor
    print(f"数据库：{vendor}；文件：{args.rows:,} 行，{len(data) / 1e6:.1f} MB（xlsx）")
    got = {k: [] for k in ("read", "insert", "new", "plan", "store", "same")}
    for run in range(args.runs):
        station = services.create_unit(
            parent=root, code=f"S{run}", name=f"某街道社工站{run}", kind=Kind.STATION, by=None
        )
        _cold()
        t0 = time.perf_counter()
        read_workbook(data)
        got["read"].append(time.perf_counter() - t0)

        _cold()
        t0 = time.perf_counter()
        plan = table_import.plan_import(data, unit=station)
        t1 = time.perf_counter()
        new, _ = table_import.apply_plan(plan, by=None)
        t2 = time.perf_counter()
        assert new == args.rows and not plan.rejected, (new, plan.rejected[:3])
        assert Activity.objects.filter(unit=station).count() == args.rows
        got["plan"].append(t1 - t0)
        got["store"].append(t2 - t1)
        got["new"].append(t2 - t0)

        _cold()
        t0 = time.perf_counter()
        again = table_import.plan_import(data, unit=station)
        assert table_import.apply_plan(again, by=None) == (0, 0)
        got["same"].append(time.perf_counter() - t0)

        got["insert"].append(_bare_insert(plan, station))
        last = {k: v[-1] for k, v in got.items()}
        print(
            f"  第 {run + 1} 次：新增导入 {last['new']:.2f} s（读取+检查 {last['plan']:.2f} s，"
            f"保存 {last['store']:.2f} s）；原样再传 {last['same']:.2f} s；"
            f"底线：读文件 {last['read']:.2f} s + 裸插入 {last['insert']:.3f} s"
        )
    m = {k: statistics.median(v) for k, v in got.items()}
    floor = m["read"] + m["insert"]
    goal = GOALS[vendor]
    print(
        f"底线：读文件 {m['read']:.2f} s + 同样 {args.rows:,} 行的裸批量插入 {m['insert']:.3f} s"
        f"（{'COPY' if vendor == 'postgresql' else 'executemany'}）= {floor:.2f} s"
    )
    print(
        f"原样再传（全部未变）中位 {m['same']:.2f} s，目标 ≤ {UNCHANGED_GOAL} s："
        f"{'达标' if m['same'] <= UNCHANGED_GOAL else '未达标'}"
    )
    if args.memory_rows:
        _memory(args)
    print(
        f"结论：{args.rows:,} 行新增导入端到端中位 {m['new']:.2f} s（读取+检查 {m['plan']:.2f} s，"
        f"保存 {m['store']:.2f} s），为底线的 {m['new'] / floor:.1f} 倍；"
        f"目标 ≤ {goal} s：{'达标' if m['new'] <= goal else '未达标'}"
    )


def _memory(args):
    """Import a --memory-rows file in a fresh process and report its peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as f:
        f.write(build_file(args.memory_rows))
        f.flush()
        result = subprocess.run(
            [sys.executable, __file__, "--rss", f.name, "--rows", str(args.memory_rows)],
            env=os.environ,
            capture_output=True,
            text=True,
        )
    if result.returncode:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise SystemExit(result.returncode)
    print(result.stdout.strip())


def _peak_mb():
    """This process's peak resident set size (VmHWM). Not getrusage's ru_maxrss: Linux
    carries that over an exec from the forking parent, here the process that built the
    100,000-row file."""
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def rss(args):
    """The --rss child: one import of the file, then its peak resident set size."""
    import django

    django.setup()
    from shegong.activities import table_import
    from shegong.orgs import services
    from shegong.orgs.models import Kind, OrgUnit

    root = OrgUnit.objects.get(code="BENCH")
    station = services.create_unit(
        parent=root, code="RSS", name="内存测量社工站", kind=Kind.STATION, by=None
    )
    with open(args.rss, "rb") as f:
        data = f.read()
    base = _peak_mb()
    t0 = time.perf_counter()
    plan = table_import.plan_import(data, unit=station, max_rows=args.rows)
    new, _ = table_import.apply_plan(plan, by=None)
    took = time.perf_counter() - t0
    assert new == args.rows, (new, plan.message)
    peak = _peak_mb()
    verdict = "达标" if peak < RSS_GOAL_MB else "未达标"
    print(
        f"内存：{args.rows:,} 行（{len(data) / 1e6:.1f} MB）导入 {took:.1f} s，进程峰值 RSS "
        f"{peak:.0f} MB（导入前 {base:.0f} MB），目标 < {RSS_GOAL_MB} MB：{verdict}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, default=100_000, help="0: skip")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rss", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss:
        return rss(args)
    if args.child:
        return child(args)
    argv = ["--rows", str(args.rows), "--runs", str(args.runs)]
    argv += ["--memory-rows", str(args.memory_rows)]
    return run_child(argv, script=__file__, name=BENCH_DB)


if __name__ == "__main__":
    sys.exit(main())
