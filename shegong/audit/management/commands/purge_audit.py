"""`shegong purge-audit --archive-dir DIR`: move audit events older than AUDIT_RETENTION_DAYS
into a signed archive file in DIR and delete them from the database (a server operator's
command; no web page can do this)."""

import getpass

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shegong.audit import archive, services


def _day(at):
    return timezone.localtime(at).strftime("%Y-%m-%d")


class Command(BaseCommand):
    help = (
        "把超过保留期（AUDIT_RETENTION_DAYS）的审计事件写入带签名的归档文件，"
        "再从数据库删除；审计链从归档处接续。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive-dir", required=True, metavar="DIR", help="归档文件存放目录")
        parser.add_argument("--dry-run", action="store_true", help="只报告将归档哪些事件")

    def handle(self, *args, archive_dir, dry_run=False, **options):
        try:
            done = services.purge_events(
                archive_dir=archive_dir, operator=_operator(), dry_run=dry_run
            )
        except (archive.ArchiveError, ImproperlyConfigured, OSError) as e:
            raise CommandError(f"未清理审计日志：{e}") from e
        cutoff = _day(done.cutoff)
        if not done.count:
            self.stdout.write(f"没有早于 {cutoff} 的审计事件需要归档。")
            return
        what = (
            f"{done.count:,} 个事件（第 {done.first_seq}–{done.last_seq} 号，"
            f"{_day(done.first_at)} 至 {_day(done.last_at)}）"
        )
        if dry_run:
            self.stdout.write(f"将归档早于 {cutoff} 的 {what}；未做任何改动（--dry-run）。")
            return
        self.stdout.write(
            f"已把 {what}写入 {done.path} 并从数据库删除；审计链从第 {done.last_seq} 号接续。"
        )


def _operator():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
