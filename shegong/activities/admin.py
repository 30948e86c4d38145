from django.contrib import admin

from shegong.audit.admin import AuditedAdmin

from .models import ActivityType, ServiceDomain


@admin.register(ServiceDomain)
class ServiceDomainAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "aliases", "order", "is_active"]
    # The bit is how summaries store the domain: it never changes once used.
    readonly_fields = []

    def get_readonly_fields(self, request, obj=None):
        return ["bit"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityType)
class ActivityTypeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False
