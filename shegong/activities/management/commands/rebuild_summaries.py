"""`shegong rebuild-summaries`: recompute the register's summary rows from its raw rows."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from shegong.activities import rollups


class Command(BaseCommand):
    help = "从活动登记表重新计算全部汇总数据（仪表盘和报表读取的汇总表）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只核对汇总表与登记表是否一致，不改动数据"
        )

    def handle(self, *args, check=False, **options):
        started = time.perf_counter()
        if check:
            stored, expected = rollups.stored(), rollups.recomputed()
            wrong = {k for k in stored.keys() | expected.keys() if stored.get(k) != expected.get(k)}
            if wrong:
                self.stderr.write(
                    f"汇总表有 {len(wrong)} 行与登记表不一致，请运行 rebuild-summaries。"
                )
                raise SystemExit(1)
            self.stdout.write(f"汇总表与登记表一致（{len(stored)} 行）。")
            return
        with transaction.atomic():
            rows = rollups.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"已重新计算汇总表：{rows} 行，用时 {seconds:.1f} 秒。")
