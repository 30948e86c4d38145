"""Notices (通知) that cascade down the tree, and the deliverables they define:
reporting periods with exact cutoffs, quotas, and the frozen list of expected reporters."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from shegong.orgs.models import Kind, OrgUnit
from shegong.orgs.tree import PathField

# 机关代字〔年份〕序号号, e.g. 内民政慈社〔2022〕3号 (GB/T 9704 §7.2.5: six-corner brackets,
# the year in full, no leading zero and no 第 before the number).
DOC_NUMBER = re.compile(
    r"^(?P<prefix>[^\s〔〕]{1,30})〔(?P<year>\d{4})〕(?P<serial>[1-9]\d{0,4})号$"
)
# What people type instead of 〔〕: [2022] 【2022】 (2022) （2022） ［2022］ 〔2022〕.
_BRACKETS = re.compile(r"[\[【(（［〔]\s*(\d{4})\s*[\]】)）］〕]")


def normalise_doc_number(text):
    """Rewrite the brackets around the year to 〔〕 and drop spaces and a leading 第/zeros."""
    text = re.sub(r"\s+", "", text or "")
    text = _BRACKETS.sub(r"〔\1〕", text)
    return re.sub(r"〕第?0*(\d)", r"〕\1", text)


def parse_doc_number(text):
    """(prefix, year, serial) of a 文号, or a ValidationError that says what is wrong."""
    text = normalise_doc_number(text)
    match = DOC_NUMBER.match(text)
    if not match:
        raise ValidationError(
            "文号格式应为“机关代字〔年份〕序号号”，如“内民政慈社〔2022〕3号”：年份用六角括号〔〕，"
            "序号不编虚位（不写“01”“第”）。",
            code="doc_number",
        )
    return match["prefix"], int(match["year"]), int(match["serial"])


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"
    CLOSED = "closed", "已结束"


class ReporterScope(models.TextChoices):
    ADDRESSEES = "addressees", "主送单位本身"
    KINDS = "kinds", "主送单位及其下级中的指定类型单位"


class Notice(models.Model):
    issuer = models.ForeignKey(
        OrgUnit, verbose_name="发文单位", on_delete=models.PROTECT, related_name="notices"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级通知",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )
    doc_prefix = models.CharField("机关代字", max_length=30, blank=True)
    doc_year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    doc_serial = models.PositiveIntegerField("序号", null=True, blank=True)
    title = models.CharField("标题", max_length=200)
    addressee_text = models.CharField(
        "主送", max_length=500, blank=True, help_text="如“各盟市民政局，满洲里市、二连浩特市民政局”"
    )
    theme = models.CharField("活动主题", max_length=200, blank=True)
    goals = models.TextField("活动目标", blank=True)
    window_start = models.DateField("活动开始日期")
    window_end = models.DateField("活动结束日期")
    reporter_scope = models.CharField(
        "应报单位", max_length=12, choices=ReporterScope.choices, default=ReporterScope.ADDRESSEES
    )
    reporter_kinds = models.JSONField("应报单位类型", default=list, blank=True)
    require_safety_plans = models.BooleanField("线下活动须上传防控方案和应急预案", default=False)
    # The issuer's choice: the campaign's headline figures appear on the public portal.
    portal_figures = models.BooleanField("在门户网站公开统计数字", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("电子邮箱", blank=True)
    signed_date = models.DateField("成文日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by each edit: a form opened at an older version cannot overwrite it.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-window_start", "-id"]
        # The newest change to any notice: what the dashboards' notice lists are keyed by.
        indexes = [models.Index(fields=["updated_at"], name="notice_updated")]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_prefix", "doc_year", "doc_serial"],
                condition=Q(doc_serial__isnull=False),
                name="notice_doc_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")), name="notice_window_order"
            ),
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}" if self.doc_number else self.title

    @property
    def doc_number(self):
        if not (self.doc_prefix and self.doc_year and self.doc_serial):
            return ""
        return f"{self.doc_prefix}〔{self.doc_year}〕{self.doc_serial}号"

    @property
    def is_draft(self):
        return self.status == NoticeStatus.DRAFT

    def clean(self):
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValidationError({"window_end": "活动结束日期不能早于开始日期。"})
        if self.reporter_scope == ReporterScope.KINDS and not self.reporter_kinds:
            raise ValidationError({"reporter_kinds": "请选择应报单位的类型。"})
        unknown = set(self.reporter_kinds or []) - set(Kind.values)
        if unknown:
            raise ValidationError({"reporter_kinds": "单位类型无效。"})


class NoticeSection(models.Model):
    """A numbered part of the body: 四、活动内容, 五、活动形式, 六、有关要求 …"""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    heading = models.CharField("标题", max_length=100)
    text = models.TextField("正文")

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "正文部分"
        verbose_name_plural = "正文部分"

    def __str__(self):
        return self.heading


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to="notices/%Y/")
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.name


class AddresseeRule(models.Model):
    """Who the notice is sent to (主送), as the issuer chose it: a unit, or every unit of
    one kind in the issuer's subtree. Resolved into NoticeRecipient rows at issue time."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="addressee_rules")
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField(max_length=12, choices=Kind.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(kind=""))
                | (Q(unit__isnull=True) & ~Q(kind="")),
                name="addressee_rule_unit_or_kind",
            )
        ]

    def __str__(self):
        return self.unit.name if self.unit_id else f"辖区内全部{self.get_kind_display()}"


class NoticeRecipient(models.Model):
    """One addressee unit of an issued notice: its inbox entry and its 签收."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="received_notices")
    delivered_at = models.DateTimeField("送达时间")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "unit"], name="recipient_unique")]
        ordering = ["unit__path"]

    def __str__(self):
        return f"{self.notice} → {self.unit}"


class PeriodKind(models.TextChoices):
    PROGRESS = "progress", "工作进展情况"
    SUMMARY = "summary", "活动总结"


class ReportingPeriod(models.Model):
    """A deliverable with an exact local cutoff: a weekly progress table or the summary."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(
        "类型", max_length=8, choices=PeriodKind.choices, default=PeriodKind.PROGRESS
    )
    name = models.CharField("名称", max_length=100)
    start_date = models.DateField("统计开始日期")
    end_date = models.DateField("统计结束日期")
    cutoff = models.DateTimeField("截止时间")
    submit_to = models.CharField("报送至", max_length=100, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)

    class Meta:
        ordering = ["cutoff", "id"]
        verbose_name = "报送批次"
        verbose_name_plural = "报送批次"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_dates_order"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "统计结束日期不能早于开始日期。"})


class QuotaMetric(models.TextChoices):
    COMMUNITY_ACTIVITIES = "community", "社区活动（场）"
    ACTIVITIES = "activities", "各类活动（场）"
    VISITS = "visits", "家庭走访（户次）"
    ARTICLES = "articles", "宣传稿件（篇）"


class Quota(models.Model):
    """Each unit of the given kinds must reach `target` between start and end (seed 003:
    every station, room and organisation 3 community activities + 30 family visits)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="quotas")
    metric = models.CharField("指标", max_length=12, choices=QuotaMetric.choices)
    target = models.PositiveIntegerField("每个单位须完成")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    kinds = models.JSONField("适用单位类型", default=list)

    class Meta:
        ordering = ["id"]
        verbose_name = "任务指标"
        verbose_name_plural = "任务指标"

    def __str__(self):
        return f"{self.get_metric_display()} {self.target}"

    def kinds_display(self):
        labels = dict(Kind.choices)
        return "、".join(labels.get(k, k) for k in self.kinds)


class ExpectedReporter(models.Model):
    """A unit expected to deliver one period or meet one quota, frozen when the notice is
    issued. Tree changes afterwards do not change it; the issuer adds or excuses units,
    with a reason, and the change is audited."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="expected")
    period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.CASCADE, related_name="expected"
    )
    quota = models.ForeignKey(
        Quota, null=True, blank=True, on_delete=models.CASCADE, related_name="expected"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    # The unit's path when frozen: subtree counts of a period keep their denominator.
    unit_path = PathField(max_length=255)
    added_reason = models.CharField("追加原因", max_length=200, blank=True)
    excused_at = models.DateTimeField("免报时间", null=True, blank=True)
    excused_reason = models.CharField("免报原因", max_length=200, blank=True)
    delivered_at = models.DateTimeField("首次报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "应报单位"
        verbose_name_plural = "应报单位"
        constraints = [
            models.CheckConstraint(
                condition=Q(period__isnull=False, quota__isnull=True)
                | Q(period__isnull=True, quota__isnull=False),
                name="expected_period_or_quota",
            ),
            models.UniqueConstraint(
                fields=["period", "unit"], name="expected_period_unit", condition=Q(quota=None)
            ),
            models.UniqueConstraint(
                fields=["quota", "unit"], name="expected_quota_unit", condition=Q(period=None)
            ),
        ]
        indexes = [
            models.Index(fields=["period", "unit_path"], name="expected_period_path"),
            models.Index(fields=["quota", "unit_path"], name="expected_quota_path"),
        ]

    def __str__(self):
        return f"{self.unit}（{self.period or self.quota}）"

    @property
    def is_excused(self):
        return self.excused_at is not None


class ExpectedTally(models.Model):
    """Completeness of one period for one unit's subtree: how many expected reporters it
    holds (excused ones left out), how many have delivered and how many on time. Kept by
    the services that freeze, add, excuse and mark delivery, so 上报率 and 及时率 at the
    root read one row instead of counting 44,000 stations (research/perf.md)."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    node_path = PathField(max_length=255)
    expected = models.IntegerField(default=0)
    delivered = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "node_path"], name="tally_period_node")
        ]

    def __str__(self):
        return f"{self.period_id} {self.node_path} {self.delivered}/{self.expected}"


class Holiday(models.Model):
    """Public holidays and adjusted working days (调休上班), editable by the 系统管理员
    when the State Council publishes next year's schedule (usually in November)."""

    class DayKind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    name = models.CharField("名称", max_length=50)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日"
        verbose_name_plural = "节假日"

    def __str__(self):
        return f"{self.date} {self.name}"


class Notification(models.Model):
    """An in-app message (the bell in the header)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.CASCADE)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text


class ReminderKind(models.TextChoices):
    BEFORE_24H = "24h", "截止前24小时提醒"
    BEFORE_2H = "2h", "截止前2小时提醒"
    LATE = "late", "逾期名单"


class ReminderLog(models.Model):
    """One reminder of one kind for one unit and period: the unique key makes
    `send-reminders` idempotent however often cron runs it."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "kind"], name="reminder_once")
        ]

    def __str__(self):
        return f"{self.period} {self.unit} {self.kind}"
