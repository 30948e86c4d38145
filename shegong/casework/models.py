"""Case files (一人一档): a person or household a station serves, with its needs
assessments, service plans, service records, follow-ups and transfers between stations.
Name, ID number, phone, address and household members are encrypted at rest."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shegong.activities.models import Visit
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField

from .crypto import EncryptedTextField


class CaseGroup(models.Model):
    """The groups a station serves (低保对象, 特困人员 …), admin-editable data."""

    name = models.CharField("名称", max_length=20, unique=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "服务对象类别"

    def __str__(self):
        return self.name


class CaseKind(models.TextChoices):
    PERSON = "person", "个人"
    HOUSEHOLD = "household", "家庭"


class CaseStatus(models.TextChoices):
    OPEN = "open", "在案"
    CLOSED = "closed", "已结案"


class CaseFile(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="建档单位", on_delete=models.PROTECT, related_name="case_files"
    )
    unit_path = PathField(max_length=255)
    number = models.CharField("档案编号", max_length=60, unique=True)
    year = models.PositiveSmallIntegerField("建档年度")
    seq = models.PositiveIntegerField("年度序号")
    kind = models.CharField("建档类型", max_length=10, choices=CaseKind.choices)
    group = models.ForeignKey(CaseGroup, verbose_name="对象类别", on_delete=models.PROTECT)
    # Personal information: encrypted at rest, shown only to the station's 个案社工.
    name = EncryptedTextField("姓名（户主）")
    name_masked = models.CharField("姓名（隐去）", max_length=30)
    id_number = EncryptedTextField("身份证号")
    id_hash = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField("联系电话", blank=True)
    address = EncryptedTextField("住址", blank=True)
    members = EncryptedTextField("家庭成员", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField("建档日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_reason = models.CharField("结案原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "个案档案"
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "status", "group"], name="casefile_path_status"),
            models.Index(fields=["unit", "id_hash"], name="casefile_unit_idhash"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(close_reason=""), name="casefile_closed_reason"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name_masked}"

    def get_absolute_url(self):
        return reverse("case_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == CaseStatus.OPEN


class Risk(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class Assessment(models.Model):
    """需求评估: dated, kept in full; the latest is the current one."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="assessments")
    date = models.DateField("评估日期")
    situation = models.TextField("基本情况")
    needs = models.TextField("主要需求")
    risk = models.CharField("风险等级", max_length=10, choices=Risk.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "需求评估"

    def __str__(self):
        return f"{self.case_id} {self.date} 评估"


class ServicePlan(models.Model):
    """服务计划: goals, measures and the period; a new plan replaces the current one."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField("服务目标")
    measures = models.TextField("服务措施")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = verbose_name_plural = "服务计划"
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="plan_period")
        ]

    def __str__(self):
        return f"{self.case_id} {self.start}–{self.end}"


class Way(models.TextChoices):
    INTERVIEW = "interview", "面谈"
    PHONE = "phone", "电话"
    HOME = "home", "入户"
    REFERRAL = "referral", "转介"
    GROUP = "group", "小组活动"
    OTHER = "other", "其他"


class ServiceRecord(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="records")
    unit = models.ForeignKey(
        OrgUnit, verbose_name="服务单位", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("服务日期")
    way = models.CharField("服务方式", max_length=10, choices=Way.choices)
    content = models.TextField("服务内容")
    hours = models.DecimalField("时长（小时）", max_digits=5, decimal_places=1)
    # A family visit of the same station; one visit belongs to at most one file.
    visit = models.OneToOneField(
        Visit,
        verbose_name="关联走访",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_record",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "服务记录"
        indexes = [models.Index(fields=["case", "date"], name="caserecord_case_date")]
        constraints = [models.CheckConstraint(condition=Q(hours__gte=0), name="caserecord_hours")]

    def __str__(self):
        return f"{self.case_id} {self.date} {self.get_way_display()}"


class FollowUp(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="followups")
    due = models.DateField("到期日期")
    what = models.CharField("跟进事项", max_length=200)
    done_on = models.DateField("完成日期", null=True, blank=True)
    result = models.CharField("跟进结果", max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "due", "id"]
        verbose_name = verbose_name_plural = "跟进事项"
        indexes = [models.Index(fields=["done_on", "due"], name="followup_open_due")]

    def __str__(self):
        return f"{self.case_id} {self.due} {self.what}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已撤回"


class Transfer(models.Model):
    """A request to move a file to another station; nothing moves until it is accepted."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name="转出单位", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("转移原因", max_length=300)
    status = models.CharField(
        "状态", max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.CharField("处理意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "档案转移"
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="transfer_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.from_unit_id} → {self.to_unit_id}"
