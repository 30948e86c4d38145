"""Purchased service projects (政府购买社会工作服务项目) with their targets, linked work and
evaluations (服务评估), and the register of social workers with their training."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from shegong.orgs.models import Kind, OrgUnit
from shegong.orgs.tree import PathField

# The kinds of unit that register projects and evaluate them (the purchasing bureaus).
BUREAU_KINDS = (Kind.MINISTRY, Kind.PROVINCE, Kind.PREFECTURE, Kind.COUNTY)


class ProjectDomain(models.Model):
    """项目领域 of the catalogue (seed 004: 65 projects in 10 domains), editable data."""

    name = models.CharField("名称", max_length=20, unique=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "项目领域"

    def __str__(self):
        return self.name


class Project(models.Model):
    issuer = models.ForeignKey(
        OrgUnit, verbose_name="购买单位", on_delete=models.PROTECT, related_name="issued_projects"
    )
    issuer_path = PathField(max_length=255, editable=False)
    name = models.CharField("项目名称", max_length=200)
    catalogue_no = models.CharField("目录编号", max_length=40, blank=True)
    domain = models.ForeignKey(ProjectDomain, verbose_name="项目领域", on_delete=models.PROTECT)
    contractor = models.ForeignKey(
        OrgUnit,
        verbose_name="承接机构",
        on_delete=models.PROTECT,
        related_name="contracted_projects",
        limit_choices_to={"kind": Kind.AGENCY},
    )
    stations = models.ManyToManyField(
        OrgUnit, verbose_name="服务站点", related_name="served_projects"
    )
    budget = models.DecimalField(
        "项目资金（元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    description = models.TextField("服务内容", blank=True)
    activities = models.ManyToManyField(
        "activities.Activity", verbose_name="项目活动", blank=True, related_name="projects"
    )
    records = models.ManyToManyField(
        "casework.ServiceRecord", verbose_name="个案服务记录", blank=True, related_name="projects"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = verbose_name_plural = "购买服务项目"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="project_dates_order"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_positive"),
        ]
        indexes = [models.Index(fields=["issuer_path", "start_date"], name="project_path_date")]

    def __str__(self):
        return self.name

    @property
    def midpoint(self):
        return self.start_date + (self.end_date - self.start_date) / 2


class Metric(models.TextChoices):
    SERVED = "served", "服务人次"
    ACTIVITIES = "activities", "活动场次"
    CASES = "cases", "个案数"
    VISITS = "visits", "走访户次"


class Target(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    metric = models.CharField("指标", max_length=12, choices=Metric.choices)
    value = models.PositiveIntegerField("目标值")

    class Meta:
        ordering = ["project", "id"]
        verbose_name = verbose_name_plural = "项目指标"
        constraints = [
            models.UniqueConstraint(fields=["project", "metric"], name="target_unique_metric")
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.value}"


class ProjectAssessor(models.Model):
    """A third-party assessor (第三方评估机构的账号, in no unit) allowed into one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessed_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "第三方评估人员"
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="assessor_unique")]

    def __str__(self):
        return f"{self.user} → {self.project}"


class Criterion(models.Model):
    """评估指标 (criteria of 服务评估), editable data: a score from 0 to max_score each."""

    name = models.CharField("评估指标", max_length=40, unique=True)
    max_score = models.PositiveSmallIntegerField("满分", validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "评估指标"

    def __str__(self):
        return self.name


class Stage(models.TextChoices):
    MID = "mid", "中期评估"
    FINAL = "final", "末期评估"


class Result(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


# Lowest percentage of the full score for each result (documented in docs/projects.md).
THRESHOLDS = [(90, Result.EXCELLENT), (75, Result.GOOD), (60, Result.PASS), (0, Result.FAIL)]


def result_for(percent):
    return next(r for floor, r in THRESHOLDS if percent >= floor)


class Evaluation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    stage = models.CharField("评估阶段", max_length=8, choices=Stage.choices)
    date = models.DateField("评估日期")
    total = models.DecimalField("得分", max_digits=7, decimal_places=1, default=0)
    full = models.DecimalField("满分", max_digits=7, decimal_places=1, default=0)
    result = models.CharField("评估结果", max_length=10, choices=Result.choices)
    result_chosen = models.BooleanField("人工确定结果", default=False)
    findings = models.TextField("评估意见")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    by_assessor = models.BooleanField("第三方评估", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["project", "stage"]
        verbose_name = verbose_name_plural = "服务评估"
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="evaluation_unique_stage")
        ]

    def __str__(self):
        return f"{self.project} {self.get_stage_display()}"

    @property
    def percent(self):
        return round(self.total * 100 / self.full, 1) if self.full else 0


class Score(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    # The criterion's full score when scored: later edits to the list do not change old results.
    max_score = models.PositiveSmallIntegerField("满分")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="score_unique"),
            models.CheckConstraint(condition=Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"


class Level(models.TextChoices):
    NONE = "none", "无"
    ASSISTANT = "assistant", "助理社工师"
    SOCIAL_WORKER = "worker", "社工师"
    SENIOR = "senior", "高级社工师"


class Worker(models.Model):
    """A social worker on a unit's staff. The phone is shown to the unit's own members only."""

    unit = models.ForeignKey(OrgUnit, verbose_name="所在单位", on_delete=models.PROTECT)
    unit_path = PathField(max_length=255, editable=False)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    level = models.CharField("职业资格", max_length=10, choices=Level.choices, default=Level.NONE)
    is_supervisor = models.BooleanField("督导", default=False)
    is_active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit_path", "name", "id"]
        verbose_name = verbose_name_plural = "社会工作者"
        indexes = [models.Index(fields=["unit_path", "is_active"], name="worker_path_active")]

    def __str__(self):
        return self.name

    @property
    def certified(self):
        return self.level != Level.NONE


class Training(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="trainings")
    unit_path = PathField(max_length=255, editable=False)  # the worker's, for subtree sums
    date = models.DateField("培训日期")
    hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    topic = models.CharField("培训主题", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = verbose_name_plural = "培训记录"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="training_hours_positive")
        ]
        indexes = [models.Index(fields=["unit_path", "date"], name="training_path_date")]

    def __str__(self):
        return f"{self.date} {self.topic}"
