from django.core.management.base import BaseCommand
from django.db import transaction

from shegong.activities import reference as activity_lists
from shegong.activities.models import ActivityType, ServiceDomain
from shegong.campaigns import reference as holidays
from shegong.campaigns.models import Holiday
from shegong.demo import (
    activities,
    articles,
    casework,
    funds,
    notices,
    projects,
    ratings,
    reports,
    summaries,
    supervision,
    units,
    users,
    volunteers,
)


class Command(BaseCommand):
    help = (
        "载入演示数据（单位树、演示账号、种子通知、活动与走访），只在第一次运行时创建，可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号表")

    def handle(self, *args, quiet=False, **options):
        with transaction.atomic():
            # Reference data normally comes with the migrations; a test database emptied
            # by a transactional test has lost it.
            activity_lists.load(ServiceDomain, ActivityType)
            holidays.load(Holiday)
            created = units.build()
            rows = users.build()
            notices.build()
            activities.build()
            reports.build()
            articles.build()
            summaries.build()
            # The year-round work at 东城 (step 11): case files first, since the project
            # links the case records in its period.
            casework.build()
            volunteers.build()
            ratings.build()
            funds.build()
            supervision.build()
            projects.build()
        if created:
            self.stdout.write(self.style.SUCCESS(f"已创建演示单位 {created} 个。"))
        else:
            self.stdout.write("演示数据已存在，未重复创建。")
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"演示账号（仅供演示）统一密码：{users.DEMO_PASSWORD}")
        for username, unit_name, role in rows:
            self.stdout.write(f"  {username:<20} {role:<6} {unit_name}")
        self.stdout.write("")
        self.stdout.write(
            "打开 http://127.0.0.1:8000/ ，例如用 xinaobao_filler 或 nmg_admin 登录。"
        )
