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

    def password_expired(self):
        if self.password_changed_at is None:
            return False
        age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        return timezone.now() - self.password_changed_at > age

    def save(self, *args, **kwargs):
        # Only the system administrator uses Django's admin site.
        self.is_staff = self.is_superuser = self.platform_role == PlatformRole.SYSTEM
        super().save(*args, **kwargs)
