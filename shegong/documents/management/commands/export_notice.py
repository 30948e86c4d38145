"""`shegong export-notice NUMBER --out FILE.docx`: one notice as its GB/T 9704 Word file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shegong.documents.notices import notice_docx

from ._lookup import notice_by_number


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
        notice = notice_by_number(number, issuer)
        try:
            Path(out).write_bytes(notice_docx(notice))
        except OSError as e:
            raise CommandError(f"无法写入文件“{out}”：{e.strerror}") from None
        self.stdout.write(self.style.SUCCESS(f"已导出“{notice}”到 {out}。"))
