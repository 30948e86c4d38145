"""A supervision visit by the district to 西脑包站, for the supervision tests."""

from datetime import timedelta

from django.utils import timezone

from shegong.supervision import services


def make_visit(world, items=None, by=None, station=None, day=None):
    today = timezone.localdate()
    day = day or today - timedelta(days=20)
    if items is None:
        items = [
            {
                "what": "服务台账不完整，补齐三月份个案记录",
                "due": today + timedelta(days=3),
                "responsible": "李娜",
            },
            {
                "what": "活动室消防通道堆放杂物",
                "due": today - timedelta(days=2),
                "responsible": "王强",
            },
        ]
    return services.record_visit(
        station=station or world.station,
        date=day,
        supervisor_name="张督导",
        findings="个案记录更新不及时；活动室安全隐患一处。",
        items=items,
        by=by or world.district_reviewer,
    )
