"""The reporting tree of units, and who works in which unit with which role."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from . import tree


class Kind(models.TextChoices):
    MINISTRY = "ministry", "民政部"
    PROVINCE = "province", "省级民政厅"
    PREFECTURE = "prefecture", "地市民政局"
    COUNTY = "county", "县区民政局"
    CENTRE = "centre", "区县社会工作指导中心"
    TOWNSHIP = "township", "乡镇（街道）"
    STATION = "station", "社会工作站"
    ROOM = "room", "社会工作室"
    AGENCY = "agency", "社会工作服务机构"
    ASSOCIATION = "association", "行业组织"
    UNIVERSITY = "university", "高校院系"
    OTHER = "other", "其他"


# Kinds that run activities and report them (the "grassroots" of the seeds).
SERVICE_KINDS = (Kind.STATION, Kind.ROOM, Kind.AGENCY, Kind.ASSOCIATION, Kind.UNIVERSITY)

code_validator = RegexValidator(
    r"^[0-9A-Za-z_-]{1,32}$", "单位代码只能包含字母、数字、下划线和连字符，最长32位。"
)
division_validator = RegexValidator(
    r"^\d{12}$", "区划代码须为12位数字（GB/T 2260 + 统计用区划代码）。"
)


class OrgUnit(models.Model):
    code = models.CharField("单位代码", max_length=32, unique=True, validators=[code_validator])
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("单位类型", max_length=12, choices=Kind.choices)
    division_code = models.CharField(
        "区划代码", max_length=12, blank=True, validators=[division_validator]
    )
    # The reporting parent: who this unit reports to, which is not always the
    # division parent (满洲里市 reports straight to the region, seed 002).
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = tree.PathField("树路径", max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField("层级", editable=False)
    is_active = models.BooleanField("启用", default=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Bumped by each edit: a form opened at an older version cannot overwrite it.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["path"], name="orgunit_path_unique")]
        indexes = [
            models.Index(fields=["parent", "path"], name="orgunit_parent_path"),
            models.Index(fields=["division_code"], name="orgunit_division"),
            # Covers the count-by-kind of a subtree without touching the table.
            models.Index(fields=["path", "kind"], name="orgunit_path_kind"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def subtree_q(self, field="path"):
        return tree.subtree(self.path, field)

    def is_in_subtree_of(self, other):
        return self.path.startswith(other.path)

    def ancestors(self):
        """Ancestors root first (not including self)."""
        return OrgUnit.objects.filter(path__in=tree.ancestor_paths(self.path)).order_by("path")


class Role(models.TextChoices):
    ADMIN = "admin", "管理员"
    REVIEWER = "reviewer", "审核员"
    FILLER = "filler", "填报员"
    VIEWER = "viewer", "只读"
    CASEWORKER = "caseworker", "个案社工"  # sees the personal fields of its station's case files


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    created_at = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "成员角色"
        verbose_name_plural = "成员角色"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}：{self.get_role_display()}"


class OrgUnitMove(models.Model):
    """History of a unit changing its reporting parent (the subtree moves with it)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="moves")
    old_parent = models.ForeignKey(
        OrgUnit, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="原上级"
    )
    new_parent = models.ForeignKey(
        OrgUnit, null=True, on_delete=models.PROTECT, related_name="+", verbose_name="新上级"
    )
    old_path = models.CharField(max_length=255)
    new_path = models.CharField(max_length=255)
    reason = models.CharField("调整原因", max_length=200)
    moved_at = models.DateTimeField("调整时间", auto_now_add=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "隶属关系调整"
        verbose_name_plural = "隶属关系调整"
        ordering = ["-moved_at", "-id"]

    def __str__(self):
        return f"{self.unit}：{self.old_parent} → {self.new_parent}"


class SubtreeVersion(models.Model):
    """A counter per unit of the top ROLLUP_DEPTH levels that goes up, in the same
    transaction, with every change to the figures of its subtree (orgs.versions)."""

    node_path = models.CharField(max_length=255, primary_key=True)
    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "子树数据版本"
        verbose_name_plural = "子树数据版本"

    def __str__(self):
        return f"{self.node_path}：{self.n}"


class TreeStamp(models.Model):
    """One row whose stamp the database itself changes (a trigger, orgs.stamp) with every
    write to a unit or a membership: what is cached from the tree and the memberships is
    keyed by it, so no cached copy outlives a change, however the change was written."""

    stamp = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "单位树戳记"
        verbose_name_plural = "单位树戳记"

    def __str__(self):
        return str(self.stamp)
