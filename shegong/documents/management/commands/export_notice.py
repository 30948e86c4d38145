"""`shegong export-notice NUMBER --out FILE.docx`: one notice as its GB/T 9704 Word file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shegong.campaigns.models import Notice, parse_doc_number
from shegong.documents.notices import notice_docx

NOT_FOUND = 2


class Command(BaseCommand):
    help = (
        "按文号导出一份通知的 Word 文件（GB/T 9704 公文格式）。"
        "文号如“民办函〔2022〕5号”，年份也可以写成 [2022] 或 (2022)。"
    )

    def add_arguments(self, parser):
        parser.add_argument("number", help="文号，如 民办函〔2022〕5号")
        parser.add_argument("--out", required=True, help="保存的 .docx 文件路径")
        parser.add_argument("--issuer", help="发文单位代码：仅在不同单位使用了同一文号时用来区分")

    def handle(self, *args, number, out, issuer=None, **options):
        try:
            prefix, year, serial = parse_doc_number(number)
        except ValidationError as e:
            raise CommandError(e.messages[0], returncode=NOT_FOUND) from None
        shown = f"{prefix}〔{year}〕{serial}号"
        notices = Notice.objects.filter(doc_prefix=prefix, doc_year=year, doc_serial=serial)
        if issuer:
            notices = notices.filter(issuer__code=issuer)
        found = list(notices.select_related("issuer", "parent")[:10])
        if not found:
            where = f"发文单位代码为“{issuer}”、" if issuer else ""
            raise CommandError(f"没有找到{where}文号为“{shown}”的通知。", returncode=NOT_FOUND)
        if len(found) > 1:
            units = "、".join(f"{n.issuer.name}（{n.issuer.code}）" for n in found)
            raise CommandError(
                f"文号“{shown}”有多个发文单位使用：{units}。请用 --issuer 指定发文单位代码。",
                returncode=NOT_FOUND,
            )
        notice = found[0]
        try:
            Path(out).write_bytes(notice_docx(notice))
        except OSError as e:
            raise CommandError(f"无法写入文件“{out}”：{e.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"已导出“{shown} {notice.title}”到 {out}。"))
