"""`shegong import-units FILE`: load units from a spreadsheet, all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.orgs import unit_import


class Command(BaseCommand):
    help = (
        "从 Excel/WPS 表格（xlsx、xls、ods）或 CSV 文件批量导入单位。"
        "表头须包括单位代码、单位名称、单位类型、上级单位代码；全部行校验通过才保存。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="单位表文件的路径")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不保存")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取文件 {file}：{e.strerror}", returncode=2) from e
        try:
            plan = unit_import.import_units(data, dry_run=dry_run)
        except (unit_import.FileError, unit_import.ImportAborted) as e:
            raise CommandError(f"{e}未保存任何单位。", returncode=2) from e
        if plan.errors:
            for message in plan.errors:
                self.stderr.write(message)
            raise CommandError(
                f"共发现 {len(plan.errors)} 处错误，未保存任何单位。请修改后重新导入。",
                returncode=2,
            )
        summary = f"新建 {plan.created} 个、更新 {plan.updated} 个、调整隶属 {plan.moved} 个"
        if plan.unchanged:
            summary += f"，无变化 {plan.unchanged} 个"
        if dry_run:
            self.stdout.write(f"校验通过（试运行，未保存）：将{summary}。")
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：{summary}。"))
