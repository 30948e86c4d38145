"""`shegong backup DIR`: a consistent snapshot of the database and the media files."""

import time

from django.core.management.base import BaseCommand

from shegong import backups


def size(n):
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


class Command(BaseCommand):
    help = (
        "备份数据库和上传文件：写入 DIR 下新建的带时间的目录（DIR 为空时直接写入 DIR），"
        "最后写 manifest.json（各表行数、文件哈希、审计链头）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", help="备份存放目录")

    def handle(self, *args, dir, **options):
        started = time.perf_counter()
        try:
            folder, manifest = backups.backup(dir)
        except (backups.BackupError, OSError) as error:
            self.stderr.write(f"备份失败：{error}")
            raise SystemExit(1) from None
        database, tables, media = manifest["database"], manifest["tables"], manifest["media"]
        self.stdout.write(self.style.SUCCESS(f"备份完成：{folder.resolve()}"))
        self.stdout.write(
            f"  数据库（{database['vendor']}）：{database['file']} {size(database['size'])}，"
            f"{len(tables)} 张表共 {sum(tables.values()):,} 行"
        )
        self.stdout.write(f"  上传文件：{len(media)} 个，{size(sum(f['size'] for f in media))}")
        self.stdout.write(f"  审计链头：{manifest['audit_chain']}")
        self.stdout.write(f"  用时 {time.perf_counter() - started:.1f} 秒")
