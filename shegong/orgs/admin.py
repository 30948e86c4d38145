from django.contrib import admin

from shegong.audit.admin import AuditedAdmin

from .models import Membership, OrgUnit, OrgUnitMove


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "division_code", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "division_code"]
    # The tree shape changes only through the move service (it rewrites the subtree).
    readonly_fields = ["parent", "path", "depth", "created_at", "updated_at"]
    list_select_related = ["parent"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "unit", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    raw_id_fields = ["user", "unit"]


@admin.register(OrgUnitMove)
class OrgUnitMoveAdmin(admin.ModelAdmin):
    list_display = ["unit", "old_parent", "new_parent", "reason", "moved_at", "moved_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
