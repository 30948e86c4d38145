from django.core.management.base import BaseCommand

from shegong.campaigns.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "发送截止前24小时、2小时提醒和逾期名单（可重复运行，同一提醒只发一次）。"
        "由 cron 每5分钟运行一次。"
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"已发送提醒 {sent.reminders} 条，逾期名单 {sent.late_lists} 份。")
