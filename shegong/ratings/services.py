"""Writing a rating: one transaction with its audit row. The rater is anonymous; the audit
row names the station and the activity, never the phone number or its hash."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shegong.audit.services import record_event

from . import phones
from .cleaning import clean_comment
from .models import Rating

# An activity is rated from its first day until this many days after its last.
WINDOW_DAYS = 30
DUPLICATE = "这个手机号码已经评价过该活动，每个手机号码对同一活动只能评价一次。"


def check_ratable(activity, today):
    if activity.deleted_at is not None:
        raise ValidationError({"activity": "该活动已删除，不能评价。"})
    if activity.date_start > today:
        raise ValidationError({"activity": "活动还没有开始，开始后才能评价。"})
    if activity.date_end < today - timedelta(days=WINDOW_DAYS):
        raise ValidationError({"activity": f"活动结束已超过 {WINDOW_DAYS} 天，不能再评价。"})


@transaction.atomic
def submit_rating(*, activity, stars, phone, comment="", at=None):
    """One rating of `activity` (of its own unit, the station) from the public form."""
    at = at or timezone.now()
    check_ratable(activity, timezone.localdate(at))
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationError({"stars": "请选择 1 到 5 颗星。"})
    digest = phones.phone_hash(phone)
    comment = clean_comment(comment)
    if Rating.objects.filter(activity=activity, phone_hash=digest).exists():
        raise ValidationError({"phone": DUPLICATE})
    station = activity.unit
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                activity=activity,
                station=station,
                station_path=activity.org_path,
                stars=stars,
                comment=comment,
                phone_hash=digest,
                created_at=at,
            )
    except IntegrityError:  # the same phone, at the same moment, in another request
        raise ValidationError({"phone": DUPLICATE}) from None
    record_event(
        action="ratings.submitted",
        unit=station,
        obj=rating,
        after={"活动": activity.name, "星级": stars, "有评价内容": bool(comment)},
    )
    return rating
