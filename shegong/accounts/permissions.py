"""Who may open the platform-role pages (三员). The views and the header's links both ask
these, so a link is shown exactly when its page opens."""

from django.core.exceptions import PermissionDenied

from .models import PlatformRole


def has_platform_role(user, role):
    return bool(user.is_authenticated and user.platform_role == role)


def require_platform_role(user, role):
    if not has_platform_role(user, role):
        raise PermissionDenied(f"此页面仅限{PlatformRole(role).label}使用。")
