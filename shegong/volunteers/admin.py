"""The admin site may look at the time bank but never change it: entries are corrected by a
reversal written through the station's pages, so every change stays in the ledger."""

from django.contrib import admin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "kind", "hours", "delta", "balance_after", "at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
