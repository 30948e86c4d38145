"""`shegong export-summary --unit CODE --notice NUMBER --out FILE.docx`: a unit's 总结材料
of a notice as its Word file: what it saved, or the draft the register gives."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.campaigns.models import PeriodKind
from shegong.documents.summaries import summary_docx
from shegong.orgs import tree
from shegong.orgs.models import OrgUnit
from shegong.reporting import summaries

from ._lookup import NOT_FOUND, notice_by_number


class Command(BaseCommand):
    help = (
        "导出一个单位某份通知的总结材料（Word，GB/T 9704 版式）：已撰写的取最新版本，"
        "未撰写的取按登记数据生成的草稿。单位须在通知所及的范围内（发文单位及其下级），"
        "不必是应报单位。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位代码，如 S150202003")
        parser.add_argument("--notice", required=True, help="通知文号，如 内民政慈社〔2022〕3号")
        parser.add_argument("--issuer", help="发文单位代码：仅在不同单位使用了同一文号时用来区分")
        parser.add_argument("--out", required=True, help="保存的 .docx 文件路径")

    def handle(self, *args, unit, notice, out, issuer=None, **options):
        found = notice_by_number(notice, issuer)
        target = OrgUnit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"没有代码为“{unit}”的单位。", returncode=NOT_FOUND)
        if not target.path.startswith(found.issuer.path):
            raise CommandError(
                f"“{target.name}”不在《{found.title}》所及的范围内（{found.issuer.name}及其下级）。",
                returncode=NOT_FOUND,
            )
        period = found.periods.filter(kind=PeriodKind.SUMMARY).order_by("cutoff").last()
        if period is None:
            raise CommandError(f"“{found}”没有“活动总结”报送批次。", returncode=NOT_FOUND)
        children = OrgUnit.objects.filter(tree.descendants(target.path), depth=target.depth + 1)
        content, title, sections, summary = summaries.written(target, period, children)
        signed = summaries.signed_on(target, period)
        try:
            Path(out).write_bytes(summary_docx(content, title, sections, signed))
        except OSError as e:
            raise CommandError(f"无法写入文件“{out}”：{e.strerror}") from None
        kind = f"第 {summary.version} 版" if summary else "按登记数据生成的草稿"
        self.stdout.write(self.style.SUCCESS(f"已导出“{title}”（{kind}）到 {out}。"))
