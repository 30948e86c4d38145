"""`shegong verify-audit`: check the audit log's hash chain, or an archive file's signature.

Exits 0 when it verifies; otherwise exits 1 naming the first event that does not verify.
"""

from django.core.management.base import BaseCommand, CommandError

from shegong.audit import archive, chain


class Command(BaseCommand):
    help = "校验审计日志的哈希链（逐个重算哈希、核对前后链接和归档锚点）；或校验一个归档文件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--archive",
            dest="archive_file",
            metavar="FILE",
            help="校验 purge-audit 写出的归档文件（签名与其中的链）",
        )
        parser.add_argument(
            "--batch", type=int, default=chain.BATCH, help="每次从数据库读取的事件数"
        )

    def handle(self, *args, archive_file=None, batch=chain.BATCH, **options):
        if archive_file:
            checked = archive.check_file(archive_file)
            if not checked.ok:
                raise CommandError(checked.message)
            self.stdout.write(checked.message)
            return
        result = chain.verify(batch=batch)
        if not result.ok:
            raise CommandError(result.message())
        self.stdout.write(result.message())
