import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.activities import routing, table_import
from shegong.orgs.models import OrgUnit

EXIT_REFUSED = 2
EXIT_NO_ROWS = 1


class Command(BaseCommand):
    help = (
        "导入附件1格式的活动统计表（xlsx、xls、ods、csv）到一个单位；加 --route 时把汇总表的各行"
        "按组织单位分到该单位及下级单位。退出码：0 已导入或可导入，1 没有可导入的行，2 文件被退回。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="表格文件")
        parser.add_argument("--unit", required=True, help="单位代码（活动记入这个单位）")
        parser.add_argument("--year", type=int, help="日期没写年份时用这一年")
        parser.add_argument(
            "--route",
            action="store_true",
            help="汇总表：按“单位”列或“参与活动的单位或社会组织名称”列把各行记入下级单位",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="表中写法=单位代码",
            help="（与 --route 同用）指定某个组织单位写法对应的单位，可写多次；导入后记住",
        )
        parser.add_argument(
            "--fallback", metavar="单位代码", help="（与 --route 同用）找不到单位的行记入这个单位"
        )
        parser.add_argument(
            "--keep-repeats",
            action="store_true",
            help="完全相同的行也都导入（默认只导入一次，并在提示中列出）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出")

    def handle(self, *args, file, unit, year=None, dry_run=False, as_json=False, **options):
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"没有代码为“{unit}”的单位。")
        try:
            data = Path(file).read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取文件“{file}”：{e.strerror}") from None
        choices = self._choices(options)
        plan = table_import.plan_import(
            data, unit=target, year=year, route=options["route"], choices=choices
        )
        if options["keep_repeats"]:
            keep = [r["row"] for r in plan.repeats]
            plan = table_import.plan_import(
                data,
                unit=target,
                year=year,
                route=options["route"],
                choices={**choices, "keep": keep},
            )
        if plan.verdict == "import" and not dry_run:
            new, changed = table_import.apply_plan(plan, by=None, source=file)
            plan.message = f"已导入：新增 {new} 条，修改 {changed} 条。" + plan.message
        if as_json:
            self.stdout.write(json.dumps(table_import.as_json(plan), ensure_ascii=False, indent=1))
        else:
            self._report(plan)
        if plan.verdict == "reject_file":
            sys.exit(EXIT_REFUSED)
        if plan.verdict == "no_rows":
            sys.exit(EXIT_NO_ROWS)

    def _choices(self, options):
        if (options["map"] or options["fallback"]) and not options["route"]:
            raise CommandError("--map 和 --fallback 只能与 --route 一起使用。")
        units = {}
        for item in options["map"]:
            text, sep, code = item.rpartition("=")
            if not sep or not text.strip() or not code.strip():
                raise CommandError(f"--map “{item}”应写成“表中写法=单位代码”。")
            units[routing.fold(text)] = code.strip()
        return {"units": units, "fallback": options["fallback"] or ""}

    def _report(self, plan):
        self.stdout.write(plan.message)
        for item in plan.rejected:
            where = f"第 {item['row']} 行“{item['column']}”（{item['value']}）"
            self.stdout.write(f"  退回 {where}：{item['message']}")
        for item in plan.warnings:
            where = f"第 {item['row']} 行 " if item["row"] else ""
            self.stdout.write(f"  提示 {where}{item['message']}")
        if plan.route:
            for found in plan.matches.values():
                unit = f"{found.unit.code} {found.unit.name}" if found.unit else "（未对应）"
                self.stdout.write(
                    f"  单位 “{found.text}” → {unit}（{found.how_text}，{found.rows} 行）"
                )
