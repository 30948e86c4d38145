from django.contrib import admin

from .models import Criterion, ProjectDomain


@admin.register(ProjectDomain)
class ProjectDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "max_score", "order", "is_active"]
    list_editable = ["max_score", "order", "is_active"]
