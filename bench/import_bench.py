"""Time the Attachment 1 import end to end: a 10,000-row xlsx read, checked and stored.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--runs 3]

SQLite by default (a fresh file in a temporary directory); with DATABASE_URL=postgres://… a
fresh database `shegong_bench_import` on that server, dropped at the end. The file has the
seed 002 layout (title, 填报人 line, the two-row merged header) and cells as stations type
them (45人次, 1,200元, 3月20日). Each run imports into a new station, so every row is new:
the slowest case (a re-upload that changes nothing skips the writes). Goal: ≤ 2 s.
"""

import argparse
import io
import random
import statistics
import sys
import time

from register_bench import run_child

BENCH_DB = "shegong_bench_import"
GOAL_S = 2.0
TOPICS = ["助老服务", "儿童关爱", "助残康复", "妇女赋能", "困难群体帮扶", "社工宣传周"]
PLACES = ["党群服务中心", "社区活动室", "文化广场", "敬老院", "学校礼堂"]
DOMAINS = ["老年人", "残疾人、妇女", "儿童青少年", "困难群体", "老年人、困难群体"]


def build_file(rows, seed=7):
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()
    sheet = book.active
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
        sheet.merge_cells(ref)
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
    print(f"数据库：{connection.vendor}；文件：{args.rows:,} 行，{len(data) / 1e6:.1f} MB（xlsx）")
    read_s, plan_s, store_s, total_s = [], [], [], []
    for run in range(args.runs):
        station = services.create_unit(
            parent=root, code=f"S{run}", name=f"某街道社工站{run}", kind=Kind.STATION, by=None
        )
        t0 = time.perf_counter()
        read_workbook(data)
        t1 = time.perf_counter()
        plan = table_import.plan_import(data, unit=station)
        t2 = time.perf_counter()
        new, _ = table_import.apply_plan(plan, by=None)
        t3 = time.perf_counter()
        assert new == args.rows and not plan.rejected, (new, plan.rejected[:3])
        assert Activity.objects.filter(unit=station).count() == args.rows
        read_s.append(t1 - t0)
        plan_s.append(t2 - t1)  # includes its own read of the file
        store_s.append(t3 - t2)
        total_s.append(t3 - t1)
        print(
            f"  第 {run + 1} 次：读取 {t1 - t0:.2f} s，读取+检查 {t2 - t1:.2f} s，"
            f"保存 {t3 - t2:.2f} s，合计（上传到入库）{t3 - t1:.2f} s"
        )
    best, median = min(total_s), statistics.median(total_s)
    verdict = "达标" if median <= GOAL_S else "未达标"
    print(
        f"结论：{args.rows:,} 行端到端中位 {median:.2f} s（最快 {best:.2f} s；"
        f"读取 {statistics.median(read_s):.2f} s，检查 "
        f"{statistics.median(plan_s) - statistics.median(read_s):.2f} s，保存 "
        f"{statistics.median(store_s):.2f} s），目标 ≤ {GOAL_S:.0f} s：{verdict}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    argv = ["--rows", str(args.rows), "--runs", str(args.runs)]
    return run_child(argv, script=__file__, name=BENCH_DB)


if __name__ == "__main__":
    sys.exit(main())
