"""`shegong restore DIR`: put a backup into an empty database and media directory, and check it."""

from django.core.management.base import BaseCommand

from shegong import backups


class Command(BaseCommand):
    help = (
        "把 shegong backup 生成的备份恢复到空的数据库和空的媒体目录，"
        "然后核对各表行数、文件哈希和审计链；有任何不符时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="备份目录（含 manifest.json）")

    def handle(self, *args, dir, **options):
        try:
            manifest, problems = backups.restore(dir)
        except (backups.BackupError, OSError) as error:
            self.stderr.write(f"恢复失败：{error}")
            raise SystemExit(1) from None
        tables, media = manifest["tables"], manifest["media"]
        self.stdout.write(
            f"已恢复 {manifest['created_at']} 的备份：{len(tables)} 张表共 "
            f"{sum(tables.values()):,} 行，上传文件 {len(media)} 个。"
        )
        if problems:
            self.stderr.write(f"核对未通过（{len(problems)} 处不符）：")
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise SystemExit(1)
        head = manifest["audit_chain"]
        self.stdout.write(
            self.style.SUCCESS(
                f"核对通过：{len(tables)} 张表的行数与备份清单一致，"
                f"{len(media)} 个上传文件的 SHA-256 一致，"
                f"审计链校验通过，链头与备份一致（第 {head['seq']} 号事件）。"
            )
        )
        if backups.pending_migrations():
            self.stdout.write("备份来自较早的版本：请接着运行 shegong migrate。")
