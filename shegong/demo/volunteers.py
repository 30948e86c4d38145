"""Demo volunteers at 南川区东城街道社会工作站: a team, six volunteers signed up to the
station's demo activities with their hours, one service bought with hours and one mistake
reversed. Invented people; the phone numbers are fictitious. Created only when absent."""

from datetime import date

from django.contrib.auth import get_user_model

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.volunteers import services
from shegong.volunteers.models import Volunteer

STATION = "S500119001"
PEOPLE = [
    # name, phone, skills, in the team
    ("刘德明", "13700010001", "理发、修理小家电", True),
    ("陈淑芬", "13700010002", "陪伴聊天、手工", True),
    ("杨建国", "13700010003", "驾驶、搬运", True),
    ("赵欣怡", "13700010004", "课业辅导", False),
    ("黄子涵", "13700010005", "绘画、手工", False),
    ("周玉珍", "13700010006", "烹饪、助餐", True),
]
# (activity name, hours per volunteer index)
HOURS = [
    ("“推进五社联动 关爱一小一老”宣传周启动", {0: "4", 1: "4", 2: "3.5", 5: "4"}),
    ("留守儿童四点半课堂", {1: "2", 3: "2.5", 4: "2"}),
]


def build():
    station = OrgUnit.objects.filter(code=STATION).first()
    clerk = get_user_model().objects.filter(username="dongcheng_filler").first()
    if station is None or clerk is None or Volunteer.objects.filter(station=station).exists():
        return
    team = services.save_team(
        station=station,
        by=clerk,
        data={
            "name": "东城街道“邻里守望”志愿服务队",
            "leader_name": "刘德明",
            "phone": "13700010001",
        },
    )
    volunteers = [
        services.save_volunteer(
            station=station,
            by=clerk,
            data={
                "name": name,
                "phone": phone,
                "skills": skills,
                "team": team if in_team else None,
                "registered_on": date(2023, 3, 1),
                "is_active": True,
            },
        )
        for name, phone, skills, in_team in PEOPLE
    ]
    for activity_name, hours in HOURS:
        activity = Activity.objects.filter(unit=station, name=activity_name).first()
        if activity is None:
            continue
        for i, h in hours.items():
            signup = services.sign_up(volunteer=volunteers[i], activity=activity, by=clerk)
            entry = services.record_hours(signup=signup, hours=h, by=clerk)
            if (i, h) == (2, "3.5"):
                # Recorded 3.5 for a 3-hour shift: reversed and recorded again.
                services.reverse_entry(entry=entry, by=clerk, reason="时长记错，实际服务 3 小时")
                signup.refresh_from_db()
                services.record_hours(signup=signup, hours="3", by=clerk)
    services.spend_hours(
        volunteer=volunteers[0], hours="2", note="兑换上门助浴服务（为其母亲）", by=clerk
    )
