"""Demo ratings of 东城街道社会工作站's demo activities, as residents gave them through the
QR poster the day after each activity. Fictitious phone numbers (only their hash is kept).
Created only when the station has none."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.ratings import services
from shegong.ratings.models import Rating

STATION = "S500119001"
RATINGS = [
    ("“推进五社联动 关爱一小一老”宣传周启动", 5, "社工很热情，活动办得热闹。"),
    ("“推进五社联动 关爱一小一老”宣传周启动", 5, "义诊很实用，希望多办。"),
    ("“推进五社联动 关爱一小一老”宣传周启动", 4, ""),
    ("“推进五社联动 关爱一小一老”宣传周启动", 4, "人有点多，排队时间长。"),
    ("“推进五社联动 关爱一小一老”宣传周启动", 5, ""),
    ("“推进五社联动 关爱一小一老”宣传周启动", 3, "场地小了些。"),
    ("留守儿童四点半课堂", 5, "孩子作业有人辅导了，家长放心。"),
    ("留守儿童四点半课堂", 5, ""),
    ("留守儿童四点半课堂", 4, "希望周末也能开。"),
    ("留守儿童四点半课堂", 5, "志愿者老师很耐心。"),
]


def build():
    station = OrgUnit.objects.filter(code=STATION).first()
    if station is None or Rating.objects.filter(station=station).exists():
        return
    for i, (name, stars, comment) in enumerate(RATINGS):
        activity = Activity.objects.filter(unit=station, name=name, deleted_at=None).first()
        if activity is None:
            continue
        day = activity.date_end + timedelta(days=1)
        at = timezone.make_aware(datetime.combine(day, time(9 + i % 8, 10 * (i % 6))))
        services.submit_rating(
            activity=activity, stars=stars, phone=f"1360000{i:04d}", comment=comment, at=at
        )
