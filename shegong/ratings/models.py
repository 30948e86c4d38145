"""Ratings the people served give an activity on the station's public form: 1–5 stars and an
optional comment. The phone number that makes a rating one-per-person is kept only as a keyed
hash (ratings.phones), never in clear.

Other apps (purchased projects) read Rating by these field names: keep them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField

MAX_COMMENT = 200


class Rating(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="ratings"
    )
    station = models.ForeignKey(
        OrgUnit, verbose_name="服务站点", on_delete=models.PROTECT, related_name="+"
    )
    # A copy of the station's path: subtree rollups are one range on one index.
    station_path = PathField(max_length=255, editable=False)
    stars = models.PositiveSmallIntegerField("评分（星）")
    comment = models.TextField("评价内容", blank=True)
    phone_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("评价时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "服务评价"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone_hash"], name="rating_one_per_phone"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_stars"),
        ]
        indexes = [
            models.Index(fields=["station_path", "created_at"], name="rating_path_created"),
        ]

    def __str__(self):
        return f"{self.activity} {self.stars}星"
