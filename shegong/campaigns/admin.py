from django.contrib import admin

from shegong.audit.admin import AuditedAdmin

from .models import Holiday


@admin.register(Holiday)
class HolidayAdmin(AuditedAdmin, admin.ModelAdmin):
    """The 系统管理员 adds next year's schedule when the State Council publishes it."""

    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
