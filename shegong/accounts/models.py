"""User accounts. Business roles live on orgs.Membership; platform roles (三员) live here."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class PlatformRole(models.TextChoices):
    # 三员分立: one field, so nobody can hold two of them.
    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全管理员"
    AUDIT = "audit", "审计管理员"


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=50, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    platform_role = models.CharField(
        "平台角色", max_length=10, choices=PlatformRole.choices, blank=True, default=""
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    def password_expires_at(self):
        if self.password_changed_at is None:
            return None
        return self.password_changed_at + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)

    def password_expired(self):
        expires_at = self.password_expires_at()
        return expires_at is not None and timezone.now() > expires_at

    def save(self, *args, **kwargs):
        # Only the system administrator uses Django's admin site.
        self.is_staff = self.is_superuser = self.platform_role == PlatformRole.SYSTEM
        super().save(*args, **kwargs)


class PasswordHistory(models.Model):
    """The hashes (never the passwords) of the last PASSWORD_HISTORY_COUNT passwords an
    account has had, the current one included, so that none of them is set again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="pwhistory_user_recent")]

    def __str__(self):
        return f"{self.user}：{self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A key another system uses to call the API as this user. Only a hash of the key is
    kept: the plain key is shown once, when it is made (accounts.tokens)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("密钥前缀", max_length=12)
    key_hash = models.CharField("密钥哈希", max_length=64, unique=True)
    read_only = models.BooleanField("只读", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self):
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or timezone.now() < self.expires_at
