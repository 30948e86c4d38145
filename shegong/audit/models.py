"""The audit log: one append-only row per change, written in the change's own transaction.

Each row carries `seq` (its place in the chain) and `hash`, the SHA-256 of its content and
of the previous row's hash (`prev_hash`): shegong.audit.chain recomputes and checks them.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志不可修改")

    def delete(self):
        raise PermissionError("审计日志不可删除")


class AuditEvent(models.Model):
    # Written in the chain's order, one after another: seq = the previous seq + 1.
    seq = models.BigIntegerField("序号", unique=True, editable=False)
    # Set by record_event before hashing (not auto_now_add, which would set it after).
    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The username as it was, so the row still reads right if the account is renamed.
    username = models.CharField("账号", max_length=150, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("修改后", null=True, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    prev_hash = models.CharField("前一事件哈希", max_length=64, blank=True, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志不可删除")


class AuditArchive(models.Model):
    """Events moved to an archive file by `shegong purge-audit`. The newest row is the anchor
    the chain in the database starts from: its first event's prev_hash is `last_hash`."""

    at = models.DateTimeField("归档时间", default=timezone.now)
    by = models.CharField("执行人", max_length=150, blank=True)  # the server account
    first_seq = models.BigIntegerField("起始序号")
    archived_through_seq = models.BigIntegerField("截至序号", unique=True)
    last_hash = models.CharField("最后事件哈希", max_length=64)
    count = models.BigIntegerField("事件数")
    first_at = models.DateTimeField("最早事件时间")
    last_at = models.DateTimeField("最晚事件时间")
    file_name = models.CharField("归档文件", max_length=255)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计归档"
        verbose_name_plural = "审计归档"
        ordering = ["-archived_through_seq"]

    def __str__(self):
        return f"{self.file_name}（第 {self.first_seq}–{self.archived_through_seq} 号）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计归档记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计归档记录不可删除")
