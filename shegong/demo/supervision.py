"""Demo supervision at 东城街道社会工作站: 南川区民政局 visited it a month ago and left two
rectification items, one already verified and closed, one still open and due soon (so it
is on both the station's and the bureau's to-do lists)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from shegong.orgs.models import OrgUnit
from shegong.supervision import services
from shegong.supervision.models import Visit

STATION = "S500119001"


def build():
    station = OrgUnit.objects.filter(code=STATION).first()
    if station is None or Visit.objects.filter(station=station).exists():
        return
    users = get_user_model().objects
    reviewer = users.get(username="nanchuan_reviewer")
    filler = users.get(username="dongcheng_filler")
    today = timezone.localdate()
    visit = services.record_visit(
        station=station,
        date=today - timedelta(days=30),
        supervisor_name="陈静",
        findings=(
            "个案服务记录总体规范，一人一档建档及时；部分困境儿童个案的服务计划未按季度更新；"
            "社区基金台账与活动登记的链接资金有出入，需逐笔核对。"
        ),
        items=[
            {
                "what": "更新困境儿童个案的季度服务计划",
                "due": today - timedelta(days=10),
                "responsible": "李娜",
            },
            {
                "what": "核对社区基金台账与活动登记的链接资金，说明差额原因",
                "due": today + timedelta(days=5),
                "responsible": "王强",
            },
        ],
        by=reviewer,
    )
    done = visit.items.get(what__startswith="更新困境儿童")
    services.report_done(item=done, note="已更新 8 名困境儿童的服务计划并归档。", by=filler)
    services.verify(item=done, note="抽查 3 份，计划内容完整，予以销号。", by=reviewer)
