"""Time the audit log's hash chain at 1,000,000 events: verify-audit, the purge, the page.

    .venv/bin/python bench/audit_bench.py [--events 1000000] [--runs 3] [--writes 2000]

SQLite by default (a fresh file in a temporary directory); with DATABASE_URL=postgres://… a
fresh database `shegong_bench_audit` on that server, dropped at the end.

The events are built the fast way (hashed in Python, inserted with COPY on PostgreSQL and
one executemany on SQLite) as a valid chain spread over the last 400 days, so a little over
half are older than the 180-day retention. Then, in order:
- `verify()` over the whole chain (what `shegong verify-audit` runs), --runs times;
- `record_event` one event per transaction, as a service writes it (--writes of them), and
  the same INSERT without the chain (no lock, no head read, no hash) for the difference;
- the 审计管理员's page (first page, each filter, a one-day export) through the test client;
- `purge-audit` of the events older than the retention, `verify-audit --archive` of its
  file, and `verify()` again from the archive anchor.
Goal: verify-audit over 1,000,000 events in seconds (≤ 30 s).
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta

from register_bench import engine, run_child

BENCH_DB = "shegong_bench_audit"
VERIFY_GOAL = 30.0
DAYS = 400
ACTIONS = [
    ("activities.recorded", 30),
    ("activities.updated", 20),
    ("auth.login", 25),
    ("auth.logout", 8),
    ("visits.recorded", 6),
    ("reporting.submitted", 5),
    ("articles.published", 3),
    ("auth.login_failed", 2),
    ("visits.exported", 1),
]
NAMES = ["助老服务进社区", "儿童关爱课堂", "助残康复训练", "妇女赋能沙龙", "困难群体走访"]


def _columns():
    from shegong.audit.chain import CONTENT

    return [*CONTENT, "hash"]


def build(n, rng, units, users):
    """Insert n chained events, oldest first, in batches; returns the seconds spent."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import transaction
    from django.utils import timezone

    from shegong.activities import bulk
    from shegong.audit import chain
    from shegong.audit.models import AuditEvent

    actions = [a for a, _ in ACTIONS]
    weights = [w for _, w in ACTIONS]
    end = timezone.now() - timedelta(minutes=5)
    start = end - timedelta(days=DAYS)
    step = (end - start) / n
    columns = _columns()
    prev_hash, seq = "", 0
    started = time.perf_counter()
    batch = 50_000
    while seq < n:
        rows = []
        for _ in range(min(batch, n - seq)):
            seq += 1
            action = rng.choices(actions, weights)[0]
            user = rng.choice(users)
            unit = rng.choice(units)
            name = f"“五社联动”{rng.choice(NAMES)}第{seq}场"
            before = after = None
            if action == "activities.updated":
                before = {"participants": rng.randint(5, 200), "place": "宏源社区党群服务中心"}
                after = {"participants": rng.randint(5, 200), "place": "宏源社区活动室"}
            elif action != "auth.logout":
                after = {"name": name, "participants": rng.randint(5, 300), "funds": "1200.00"}
            content = {
                "seq": seq,
                "at": start + step * seq,
                "user_id": user.pk,
                "username": user.username,
                "unit_id": unit.pk,
                "action": action,
                "object_type": "activities.activity" if "." in action else "",
                "object_id": str(seq),
                "object_repr": name,
                "before": before,
                "after": after,
                "ip": f"10.{seq % 200}.{seq % 250}.{seq % 251}",
                "prev_hash": prev_hash,
            }
            prev_hash = chain.digest(content)
            content["hash"] = prev_hash
            for key in ("before", "after"):
                if content[key] is not None:
                    content[key] = json.dumps(content[key], cls=DjangoJSONEncoder)
            content["at"] = bulk.moment(content["at"])
            rows.append(tuple(content[c] for c in columns))
        with transaction.atomic():
            bulk.insert(AuditEvent, columns, rows)
    return time.perf_counter() - started


def _world():
    """Units and users made directly (no audit events of their own: the chain is the bench's)."""
    from shegong.accounts.models import User
    from shegong.orgs import tree
    from shegong.orgs.models import Kind, OrgUnit

    def unit(parent, i, code, name, kind):
        path = (parent.path if parent else "") + tree.segment(i)
        return OrgUnit.objects.create(
            code=code, name=name, kind=kind, parent=parent, path=path, depth=tree.depth_of(path)
        )

    root = unit(None, 0, "BENCH", "某市民政局", Kind.PREFECTURE)
    districts = [unit(root, i, f"D{i}", f"某区民政局{i}", Kind.COUNTY) for i in range(5)]
    stations = [
        unit(d, j, f"{d.code}S{j}", f"{d.name}第{j}社工站", Kind.STATION)
        for d in districts
        for j in range(10)
    ]
    users = [
        User.objects.create_user(username=f"worker{i}", password=None, must_change_password=False)
        for i in range(200)
    ]
    auditor = User.objects.create_user(
        username="auditor", password=None, platform_role="audit", must_change_password=False
    )
    return districts, stations, users, auditor


def _writes(n):
    """Median and p95 µs of record_event (one transaction each) and of the bare INSERT."""
    from django.db import transaction
    from django.utils import timezone

    from shegong.audit.models import AuditEvent
    from shegong.audit.services import record_event

    chained, bare = [], []
    for i in range(n):
        t0 = time.perf_counter()
        record_event(action="bench.write", username="bench", after={"i": i, "name": "某活动"})
        chained.append(time.perf_counter() - t0)
    for i in range(n):
        t0 = time.perf_counter()
        with transaction.atomic():
            AuditEvent.objects.create(
                seq=10**12 + i,
                at=timezone.now(),
                action="bench.bare",
                username="bench",
                after={"i": i, "name": "某活动"},
                hash="0" * 64,
            )
        bare.append(time.perf_counter() - t0)
    return chained, bare


def _bare_rollback():
    """The bare rows break the chain on purpose: remove them again (outside the model)."""
    from django.db import connection, transaction

    from shegong.audit import triggers

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [triggers.PURGE_SETTING])
        cursor.execute("DELETE FROM audit_auditevent WHERE action = 'bench.bare'")


def _us(values, q=0.5):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1e6


def _pages(auditor, stations, districts, runs):
    from django.test import Client
    from django.utils import timezone

    client = Client()
    client.force_login(auditor)
    day = (timezone.localdate() - timedelta(days=30)).isoformat()
    requests = [
        ("第 1 页", "/audit/", {}),
        ("第 200 页", "/audit/", {"page": 200}),
        ("按账号", "/audit/", {"user": "worker7"}),
        ("按单位（区及下级）", "/audit/", {"unit": districts[0].code}),
        ("按操作前缀 auth.", "/audit/", {"action": "auth."}),
        ("按对象文字", "/audit/", {"q": "儿童关爱"}),
        ("时间 1 天", "/audit/", {"date_from": day, "date_to": day}),
        ("导出 1 天 xlsx", "/audit/export/", {"date_from": day, "date_to": day}),
    ]
    out = []
    for label, url, params in requests:
        times = []
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200, (label, response.status_code)
        out.append((label, statistics.median(times[1:])))
    return out


def child(args):
    # The auditor of the page bench has no second factor: not what is measured here.
    os.environ.setdefault("OTP_REQUIRED", "false")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shegong.audit import archive, chain, services
    from shegong.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    rng = random.Random(2030)
    districts, stations, users, auditor = _world()
    assert not AuditEvent.objects.exists()
    vendor = connection.vendor
    print(
        f"数据库：{engine()}；事件：{args.events:,} 个（{DAYS} 天内）；"
        f"{os.cpu_count()} 核，开始时系统负载 {os.getloadavg()[0]:.1f}"
    )
    took = build(args.events, rng, stations, users)
    print(f"生成并插入（Python 中算哈希，{'COPY' if vendor == 'postgresql' else 'executemany'}）："
          f"{took:.1f} s")  # fmt: skip
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE audit_auditevent")

    seconds, cpu = [], []
    for run in range(args.runs):
        c0 = time.process_time()
        result = chain.verify()
        cpu.append(time.process_time() - c0)
        assert result.ok and result.count == args.events, result.message()
        seconds.append(result.seconds)
        print(
            f"  verify 第 {run + 1} 次：{result.seconds:.2f} s（本进程 CPU {cpu[-1]:.2f} s；"
            f"系统负载 {os.getloadavg()[0]:.1f}）"
        )
    best, median = min(seconds), statistics.median(seconds)
    print(
        f"verify-audit：{args.events:,} 个事件中位 {median:.2f} s（最快 {best:.2f} s，"
        f"{args.events / median / 1000:.0f} 千个/秒；"
        f"本进程 CPU 中位 {statistics.median(cpu):.2f} s）"
        f"；目标 ≤ {VERIFY_GOAL:.0f} s：{'达标' if median <= VERIFY_GOAL else '未达标'}"
    )

    chained, bare = _writes(args.writes)
    _bare_rollback()
    print(
        f"写一个审计事件（各自一个事务，{args.writes} 次）：record_event 中位 "
        f"{_us(chained):.0f} µs、p95 {_us(chained, 0.95):.0f} µs；不带链的同一 INSERT 中位 "
        f"{_us(bare):.0f} µs、p95 {_us(bare, 0.95):.0f} µs；链的代价中位 "
        f"{_us(chained) - _us(bare):+.0f} µs"
    )

    print("审计管理员页面（测试客户端，整页时间中位）：")
    for label, value in _pages(auditor, stations, districts, args.page_runs):
        print(f"  {label}：{value * 1000:.0f} ms")

    with tempfile.TemporaryDirectory(prefix="audit-archive-") as directory:
        t0 = time.perf_counter()
        done = services.purge_events(archive_dir=directory, operator="bench")
        purge_s = time.perf_counter() - t0
        size = done.path.stat().st_size / 1e6
        print(
            f"purge-audit：归档并删除 {done.count:,} 个事件 {purge_s:.1f} s（文件 {size:.0f} MB）"
        )
        t0 = time.perf_counter()
        checked = archive.check_file(done.path)
        assert checked.ok, checked.message
        print(f"verify-audit --archive：{checked.count:,} 个事件 {time.perf_counter() - t0:.1f} s")
    result = chain.verify()
    assert result.ok, result.message()
    print(
        f"清理后 verify：从归档锚点（第 {result.start_seq:,} 号）起 {result.count:,} 个事件 "
        f"{result.seconds:.2f} s"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="verify 的次数")
    parser.add_argument("--writes", type=int, default=2000, help="计时的 record_event 次数")
    parser.add_argument("--page-runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    argv = ["--events", str(args.events), "--runs", str(args.runs)]
    argv += ["--writes", str(args.writes), "--page-runs", str(args.page_runs)]
    return run_child(argv, script=__file__, name=BENCH_DB)


if __name__ == "__main__":
    sys.exit(main())
