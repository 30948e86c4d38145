from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.audit.admin import AuditedAdmin

from .models import User


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "mobile", "platform_role", "is_active", "last_login"]
    list_filter = ["platform_role", "is_active"]
    search_fields = ["username", "full_name", "mobile"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["full_name", "mobile", "email"]}),
        ("平台角色与状态", {"fields": ["platform_role", "is_active", "must_change_password"]}),
        ("时间", {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "full_name", "password1", "password2", "platform_role"]})
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]


# 三员分立: second factors are reset by the 安全管理员 (security/factors/), not edited in
# the system administrator's admin site.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
