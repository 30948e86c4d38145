"""The register of activities (the rows of seed 002's Attachment 1) and the log of family
visits. Every table, rate, quota and summary is derived from these two."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from shegong.campaigns.models import Notice
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField


class ServiceDomain(models.Model):
    """服务领域 (老年人、残疾人、妇女、儿童青少年、困难群体 …), admin-editable. Each has a
    fixed bit so an activity keeps its domains in one integer that summaries can group by."""

    name = models.CharField("名称", max_length=20, unique=True)
    bit = models.PositiveSmallIntegerField("位", unique=True)
    aliases = models.CharField(
        "别名", max_length=200, blank=True, help_text="用顿号分隔，如“老人、长者”"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "bit"]
        verbose_name = "服务领域"
        verbose_name_plural = "服务领域"
        constraints = [models.CheckConstraint(condition=Q(bit__lte=30), name="domain_bit_range")]

    def __str__(self):
        return self.name

    @property
    def mask(self):
        return 1 << self.bit


class ActivityType(models.Model):
    """活动形式: the six forms of seed 000 plus 社区活动 (seed 003) and 其他, admin-editable.
    `code` is what quotas count by (community = 社区活动)."""

    code = models.SlugField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "活动形式"
        verbose_name_plural = "活动形式"

    def __str__(self):
        return self.name


class Linkage(models.IntegerChoices):
    """五社联动: which of the five took part (a bit each)."""

    COMMUNITY = 1, "社区"
    ORGANISATION = 2, "社会组织"
    SOCIAL_WORKER = 4, "社会工作者"
    VOLUNTEER = 8, "社区志愿者"
    CHARITY = 16, "社会慈善资源"


class Mode(models.TextChoices):
    OFFLINE = "offline", "线下"
    ONLINE = "online", "线上"
    BOTH = "both", "线上+线下"


class Activity(models.Model):
    # unit and notice lead the activity_unit_date and activity_notice_path indexes, which
    # serve every lookup by them: no index of their own to keep up on every insert.
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="填报单位",
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    # A copy of the unit's path, kept in step by orgs.move_unit, so subtree filters and
    # totals read one covering index (research/perf.md).
    org_path = PathField(max_length=255, editable=False)
    notice = models.ForeignKey(
        Notice,
        verbose_name="相关通知",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        db_index=False,
    )
    name = models.CharField("活动名称", max_length=200)
    org_text = models.CharField("参与活动的单位或社会组织（团队）名称", max_length=300, blank=True)
    partners = models.ManyToManyField(
        OrgUnit, verbose_name="参与的平台内单位", blank=True, related_name="partner_activities"
    )
    participants = models.PositiveIntegerField("参与人次", null=True, blank=True)
    date_start = models.DateField("活动开始日期")
    date_end = models.DateField("活动结束日期")
    place = models.CharField("活动地点", max_length=200, blank=True)
    content = models.TextField("活动内容", blank=True)
    domain_mask = models.PositiveIntegerField("服务领域", default=0)
    other_domains = models.CharField("其他服务领域", max_length=100, blank=True)
    beneficiaries = models.PositiveIntegerField("受益人次", null=True, blank=True)
    funds = models.DecimalField(
        "链接资金（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    inkind = models.DecimalField(
        "链接物资折价（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    remarks = models.TextField("备注", blank=True)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="活动形式", null=True, blank=True, on_delete=models.PROTECT
    )
    mode = models.CharField("线上/线下", max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    linkage = models.PositiveSmallIntegerField("五社联动", default=0)
    filler_name = models.CharField("填报人", max_length=50, blank=True)
    filler_mobile = models.CharField("填报人手机号码", max_length=20, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    locked_reason = models.CharField("锁定原因", max_length=200, blank=True)
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "活动"
        verbose_name_plural = "活动"
        ordering = ["-date_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__gte=models.F("date_start")), name="activity_dates_order"
            ),
            models.CheckConstraint(condition=Q(funds__gte=0), name="activity_funds_positive"),
            models.CheckConstraint(condition=Q(inkind__gte=0), name="activity_inkind_positive"),
        ]
        indexes = [
            # Subtree lists newest first: a range on the path, then the date order. The
            # measures ride along so that totals of a small subtree (below ROLLUP_DEPTH)
            # read the index alone, never the table (research/perf.md: covering indexes).
            models.Index(
                fields=[
                    "org_path",
                    "date_start",
                    "id",
                    "deleted_at",
                    "domain_mask",
                    "activity_type",
                    "linkage",
                    "participants",
                    "beneficiaries",
                    "funds",
                    "inkind",
                ],
                name="activity_path_cover",
            ),
            models.Index(fields=["unit", "date_start"], name="activity_unit_date"),
            models.Index(fields=["notice", "org_path"], name="activity_notice_path"),
            # Large subtrees (a province) are listed by walking dates backwards instead.
            models.Index(fields=["date_start", "id"], name="activity_date_id"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_locked(self):
        return self.locked_at is not None

    def linkage_labels(self):
        return [label for value, label in Linkage.choices if self.linkage & value]


def photo_path(instance, filename):
    return f"activities/{instance.activity.unit_id}/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("照片", upload_to=photo_path)
    caption = models.CharField("说明", max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "活动照片"
        verbose_name_plural = "活动照片"

    def __str__(self):
        return self.caption or self.image.name


class AttachmentKind(models.TextChoices):
    PREVENTION = "prevention", "防控方案"
    EMERGENCY = "emergency", "应急预案"


class ActivityAttachment(models.Model):
    """The 防控方案 and 应急预案 seed 000 asks for with every offline activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=12, choices=AttachmentKind.choices)
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="activities/attachments/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"


class ActivityVersion(models.Model):
    """One row per change of an activity: who, when, and each field's old → new value."""

    # The (activity, version) constraint's index serves lookups by activity.
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="versions", db_index=False
    )
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=12)  # created / updated / deleted / locked / unlocked
    changes = models.JSONField(default=dict)  # {field label: [old, new]}
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "version"], name="activity_version_unique")
        ]

    def __str__(self):
        return f"{self.activity_id} v{self.version} {self.action}"


class VisitGroup(models.TextChoices):
    DIBAO = "dibao", "低保"
    TEKUN = "tekun", "特困"
    DIBAO_EDGE = "edge", "低保边缘"
    CHILD_DIFFICULT = "child", "困境儿童"
    CHILD_LEFT = "left_child", "留守儿童"
    ELDER_ALONE = "elder", "留守老人/独居老人"
    DISABLED = "disabled", "残疾人"
    OTHER = "other", "其他"


class Visit(models.Model):
    """A family visit (走访). Household name, address and phone are personal information:
    only the owning unit's members see them; everyone above sees counts and masked values."""

    unit = models.ForeignKey(OrgUnit, verbose_name="走访单位", on_delete=models.PROTECT)
    org_path = PathField(max_length=255, editable=False)
    date = models.DateField("走访日期")
    household_name = models.CharField("户主/服务对象姓名", max_length=50)
    household_address = models.CharField("住址", max_length=200, blank=True)
    household_phone = models.CharField("联系电话", max_length=20, blank=True)
    group = models.CharField("对象类别", max_length=12, choices=VisitGroup.choices)
    visitors = models.CharField("走访人员", max_length=200)
    purpose = models.CharField("走访目的", max_length=200, blank=True)
    outcome = models.TextField("走访情况", blank=True)
    follow_up = models.BooleanField("需要跟进", default=False)
    activity = models.ForeignKey(
        Activity, verbose_name="关联活动", null=True, blank=True, on_delete=models.SET_NULL
    )
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # Bumped by each edit: a form opened at an older version cannot overwrite it.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "家庭走访"
        verbose_name_plural = "家庭走访"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["org_path", "date", "id"], name="visit_path_date"),
            models.Index(fields=["unit", "date"], name="visit_unit_date"),
        ]

    def __str__(self):
        return f"{self.date} 走访"


class ImportStatus(models.TextChoices):
    READING = "reading", "读取中"
    PREVIEW = "preview", "待确认"
    IMPORTING = "importing", "导入中"
    DONE = "done", "已导入"
    REFUSED = "refused", "未能导入"


class ActivityImport(models.Model):
    """One uploaded Attachment 1 file: its preview, then what was stored. The file is kept
    so the confirmation re-reads exactly what was previewed."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="imports")
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.SET_NULL)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to="imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # A consolidated table (汇总表) of a supervising unit: each row goes to the unit of its
    # subtree that its organiser column names (activities/routing.py).
    route = models.BooleanField(default=False)
    # What the clerk chose on the preview: {"units": {organiser key: unit code},
    # "fallback": unit code or "", "keep": [row numbers of exact repeats kept as well]}.
    choices = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.READING)
    done = models.PositiveIntegerField(default=0)  # rows handled so far, for the progress bar
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)  # the preview: counts, rejected, skipped, warnings
    new_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "活动表导入"

    def __str__(self):
        return self.filename

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class OrganiserChoice(models.Model):
    """A clerk's answer to "which of our units is this organiser?" for a consolidated table,
    kept for the next file of the same subtree (the same text maps the same way)."""

    scope = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    text = models.CharField("组织单位（表中写法）", max_length=300)  # routing.fold()
    unit = models.ForeignKey(OrgUnit, verbose_name="对应单位", on_delete=models.CASCADE)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织单位对照"
        constraints = [
            models.UniqueConstraint(fields=["scope", "text"], name="organiser_choice_unique")
        ]

    def __str__(self):
        return f"{self.text} → {self.unit}"


class Summary(models.Model):
    """Totals of the register for one unit's subtree, one day (or week) and one bucket: the table
    every dashboard reads instead of raw rows (research/perf.md: under 1 ms at any level).

    Kept by activities/rollups.py in the same transaction as each register write. Only units
    down to settings.ROLLUP_DEPTH get rows; deeper subtrees are small and read raw rows.
    `dim` 0 is the whole register (key 0), 1 one service domain (key = its bit), 2 one
    activity form (key = ActivityType id, 0 = none); dim + 10 is the same bucket totalled by
    ISO week, on the row of the week's Monday (rollups.WEEK: a span's whole weeks are read
    from these). Money is in fen, so sums stay exact.
    """

    # dim and key before day: one bucket of one node over a span of days is contiguous.
    pk = models.CompositePrimaryKey("node_path", "dim", "key", "day")
    node_path = PathField(max_length=255)
    day = models.DateField()
    dim = models.PositiveSmallIntegerField()
    key = models.IntegerField()
    n = models.IntegerField(default=0)
    participants = models.BigIntegerField(default=0)
    beneficiaries = models.BigIntegerField(default=0)
    funds_fen = models.BigIntegerField(default=0)
    inkind_fen = models.BigIntegerField(default=0)
    # How many of the activities had each 五社联动 party (Linkage bits 1, 2, 4, 8, 16).
    link_community = models.IntegerField(default=0)
    link_organisation = models.IntegerField(default=0)
    link_worker = models.IntegerField(default=0)
    link_volunteer = models.IntegerField(default=0)
    link_charity = models.IntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "活动汇总"

    def __str__(self):
        return f"{self.node_path} {self.day} {self.dim}:{self.key}"
