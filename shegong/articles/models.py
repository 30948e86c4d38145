"""News briefs (新闻简讯) stations write about their activities: checked by the proofreader,
reviewed by the level above, published to the portal and recommended upward. Every
version is kept; the provenance (author unit, editors, recommenders per level) stays with
the brief wherever it goes."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class Article(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="撰稿单位", on_delete=models.PROTECT, related_name="articles"
    )
    unit_path = PathField(max_length=255)
    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    activity = models.ForeignKey(
        Activity,
        verbose_name="报道的活动",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # After approval the brief is held by one unit at a time: the approver's, then each
    # unit it is recommended to. The holder publishes, marks and recommends it.
    holder = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_path = PathField(max_length=255, blank=True, default="")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_typical = models.BooleanField("典型经验", default=False)
    is_excellent = models.BooleanField("优秀案例", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "新闻简讯"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "updated_at"], name="article_path_updated"),
            models.Index(fields=["published_at"], name="article_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article_detail", args=[self.pk])

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def can_edit(self):
        return self.status in (ArticleStatus.DRAFT, ArticleStatus.RETURNED)


class ArticlePhoto(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="articles/%Y/%m/")
    caption = models.CharField("图片说明", max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.caption or self.image.name


class ArticleVersion(models.Model):
    """The text as it was after each save: who wrote which version, and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    body = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="article_version")
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version}"


class ArticleEvent(models.Model):
    """The history shown on a brief, and its provenance: who submitted, returned, approved,
    published, marked and recommended it, at which unit."""

    LABELS = {
        "created": "撰写",
        "edited": "修改",
        "submitted": "提交审核",
        "returned": "退回",
        "commented": "审核意见",
        "approved": "审核通过",
        "published": "发布到门户",
        "unpublished": "撤下",
        "marked": "标记",
        "recommended": "向上推荐",
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(OrgUnit, null=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.article_id} {self.action}"

    @property
    def label(self):
        return self.LABELS.get(self.action, self.action)


class SolicitationKind(models.TextChoices):
    ESSAY = "essay", "征文"
    TYPICAL = "typical", "典型案例征集"
    EXCELLENT = "excellent", "优秀案例征集"


class Solicitation(models.Model):
    """征文 / 案例征集 opened under a notice (seed 001): briefs are entered until the
    deadline, scored by the issuer's reviewers, and the selected ones published together."""

    notice = models.ForeignKey(
        "campaigns.Notice", verbose_name="所属通知", on_delete=models.PROTECT, related_name="calls"
    )
    kind = models.CharField("类型", max_length=10, choices=SolicitationKind.choices)
    title = models.CharField("名称", max_length=120)
    description = models.TextField("征集要求", blank=True)
    deadline = models.DateTimeField("截止时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("入选作品发布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "征集"
        ordering = ["-deadline", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("call_detail", args=[self.pk])


class Entry(models.Model):
    call = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="entries")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    selected = models.BooleanField("入选", default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "article"], name="entry_call_article")
        ]

    def __str__(self):
        return f"{self.call_id}: {self.article_id}"


class Score(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField("评分")
    comment = models.CharField("评语", max_length=300, blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "reviewer"], name="score_entry_reviewer"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="score_at_most_100"),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.score}"
