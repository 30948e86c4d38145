"""Period reports: a unit confirms what its register holds for one reporting period, and
the level above approves or returns it. Nothing in a report is typed twice: its table is
the register; the report keeps who submitted, when, the totals they confirmed, and the
review history."""

from django.conf import settings
from django.db import models

from shegong.campaigns.models import ReportingPeriod
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField


class ReportStatus(models.TextChoices):
    OPEN = "open", "待报送"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class PeriodReport(models.Model):
    """One unit's report of one period: the per-unit status table (unit × period)."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="报送批次", on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="reports"
    )
    unit_path = PathField(max_length=255)
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("最近报送时间", null=True, blank=True)
    on_time = models.BooleanField("按时报送", default=False)
    filler_name = models.CharField("填报人", max_length=50, blank=True)
    filler_mobile = models.CharField("手机号码", max_length=20, blank=True)
    totals = models.JSONField("报送时合计", default=dict, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    # The issuer's exception: this unit may still submit after the period was locked.
    reopened_at = models.DateTimeField("补报许可时间", null=True, blank=True)
    reopened_reason = models.CharField("补报原因", max_length=200, blank=True)
    # Bumped by each submission and review: a decision taken on a page showing an older
    # version is refused (the figures may have changed since).
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "批次报表"
        ordering = ["period__cutoff", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="report_period_unit")
        ]
        indexes = [models.Index(fields=["period", "unit_path"], name="report_period_path")]

    def __str__(self):
        return f"{self.unit}：{self.period}"

    @property
    def is_late(self):
        return self.first_submitted_at is not None and not self.on_time


class ReportEvent(models.Model):
    """The history shown on a report: submitted, returned, approved, reopened."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=500, blank=True)
    totals = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]  # the order things happened in, whatever the clocks said

    def __str__(self):
        return f"{self.report_id} {self.action}"

    LABELS = {
        "submitted": "报送",
        "resubmitted": "重新报送",
        "returned": "退回",
        "approved": "审核通过",
        "reopened": "允许补报",
    }

    @property
    def label(self):
        return self.LABELS.get(self.action, self.action)


# The parts of a 总结材料 the clerk writes, in the order they are printed.
SUMMARY_SECTIONS = [
    ("work", "工作开展情况"),
    ("results", "主要成效"),
    ("experience", "典型经验"),
    ("problems", "存在问题"),
    ("plans", "下一步打算"),
]


class Summary(models.Model):
    """A unit's 总结材料 for a summary period: the sections the clerk writes around the
    tables the register gives (reporting/summaries.py). Submitting it is the period's
    deliverable: the unit's PeriodReport of that period carries its status, timeliness
    and review."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="报送批次", on_delete=models.PROTECT, related_name="summaries"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="summaries"
    )
    unit_path = PathField(max_length=255)
    title = models.CharField("标题", max_length=200)
    sections = models.JSONField("正文", default=dict)  # {SUMMARY_SECTIONS key: text}
    annexes = models.JSONField("附件", default=list)  # ids of children's approved summaries
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动总结"
        ordering = ["period__cutoff", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="summary_period_unit")
        ]
        indexes = [models.Index(fields=["period", "unit_path"], name="summary_period_path")]

    def __str__(self):
        return self.title

    def text_of(self, key):
        return self.sections.get(key, "")


class SummaryVersion(models.Model):
    """The summary as it was after each save that changed it."""

    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    sections = models.JSONField(default=dict)
    annexes = models.JSONField(default=list)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "version"], name="summary_version_unique")
        ]

    def __str__(self):
        return f"{self.summary_id} v{self.version}"
