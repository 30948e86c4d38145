"""Changes made in Django's admin site are audited like any other.

AuditEvent and AuditArchive are deliberately not registered here: the admin site is the
系统管理员's, who must neither read nor change the log (三员分立). tests/audit/test_page.py
checks that they stay out of it."""

from django.db import transaction

from .services import record_event


class AuditedAdmin:
    """Mixin for ModelAdmin: each save or delete writes an audit row in its transaction."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record_event(
                action="admin.changed" if change else "admin.added",
                by=request.user,
                obj=obj,
                after={
                    k: str(form.cleaned_data.get(k))
                    for k in form.changed_data
                    if "password" not in k
                },
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            record_event(action="admin.deleted", by=request.user, obj=obj)
            super().delete_model(request, obj)
