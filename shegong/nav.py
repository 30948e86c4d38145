"""What the header links to: each item only when the page behind it opens for this user,
decided by the very checks those views make (a context processor)."""

from django.contrib import admin

from shegong.accounts import factor
from shegong.accounts.models import PlatformRole
from shegong.accounts.permissions import has_platform_role
from shegong.orgs.account_views import can_manage_accounts
from shegong.orgs.models import SERVICE_KINDS


def links(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or factor.pending(request):
        # Signed out, or still owing the second factor: no menu but 退出登录.
        return {"nav": None}
    return {
        "nav": {
            # The unit pages answer 404 without a current unit (request.unit).
            "unit_pages": getattr(request, "unit", None) is not None,
            # A station keeps case files; a bureau sees their counts only.
            "cases": "case_list"
            if getattr(getattr(request, "unit", None), "kind", None) in SERVICE_KINDS
            else "case_summary",
            # A third-party assessor is in no unit but opens the projects assigned to them.
            "projects": getattr(request, "unit", None) is not None
            or user.assessed_projects.exists(),
            "accounts": can_manage_accounts(user),
            "admin_site": admin.site.has_permission(request),
            "locks": has_platform_role(user, PlatformRole.SECURITY),
            "factors": has_platform_role(user, PlatformRole.SECURITY),
            "audit": has_platform_role(user, PlatformRole.AUDIT),
        }
    }
