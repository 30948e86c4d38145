"""Supervision (督导) of stations: a supervisor's visit with its findings and the
rectification items (整改事项) it leaves. The station reports an item done; it is closed
only when the unit above (or whoever recorded the visit) verifies it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField


class SupervisorKind(models.TextChoices):
    BUREAU = "bureau", "民政部门督导"
    OWN = "own", "本站督导"
    THIRD = "third", "第三方督导机构"


class Visit(models.Model):
    station = models.ForeignKey(
        OrgUnit, verbose_name="受督导单位", on_delete=models.PROTECT, related_name="+"
    )
    # A copy of the station's path (kept in step by tree.move_copies, see apps.py).
    station_path = PathField(max_length=255, editable=False)
    date = models.DateField("督导日期")
    supervisor_name = models.CharField("督导人员", max_length=100)
    supervisor_kind = models.CharField(
        "督导类型", max_length=8, choices=SupervisorKind.choices, default=SupervisorKind.BUREAU
    )
    visiting_unit = models.ForeignKey(
        OrgUnit, verbose_name="督导单位", on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField("督导发现")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "督导记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["station_path", "date"], name="svisit_path_date")]

    def __str__(self):
        return f"{self.station} {self.date:%Y-%m-%d} 督导"

    def get_absolute_url(self):
        return reverse("supervision_visit", args=[self.pk])


class ItemStatus(models.TextChoices):
    OPEN = "open", "未销号"
    CLOSED = "closed", "已销号"


class Item(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="items")
    station_path = PathField(max_length=255, editable=False)
    what = models.CharField("整改事项", max_length=300)
    due = models.DateField("整改期限")
    responsible = models.CharField("责任人", max_length=50)
    status = models.CharField(
        "状态", max_length=8, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    # The station's report that it is done (cleared again when the verifier sends it back).
    rectified_note = models.TextField("整改情况", blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rectified_at = models.DateTimeField("报告整改时间", null=True, blank=True)
    verified_note = models.TextField("验收意见", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_on = models.DateField("验收日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改事项"
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(verified_on__isnull=False, rectified_at__isnull=False),
                name="sitem_closed_when_verified",
            )
        ]
        indexes = [
            models.Index(fields=["station_path", "status", "due"], name="sitem_path_status_due")
        ]

    def __str__(self):
        return self.what

    @property
    def is_reported(self):
        return self.status == ItemStatus.OPEN and self.rectified_at is not None

    def is_overdue(self, today):
        return self.status == ItemStatus.OPEN and self.due < today

    def state_label(self, today):
        if self.status == ItemStatus.CLOSED:
            return "已销号"
        if self.rectified_at is not None:
            return "待验收"
        return "已逾期" if self.due < today else "整改中"
