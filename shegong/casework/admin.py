"""Only the list of groups is edited in the admin: case files hold personal information
and are reached through the station's pages alone."""

from django.contrib import admin

from .models import CaseGroup


@admin.register(CaseGroup)
class CaseGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
