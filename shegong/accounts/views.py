from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors

from . import services
from .forms import LoginForm, PasswordChangeForm
from .models import PlatformRole


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    forced = request.user.must_change_password or request.user.password_expired()
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


def _require_platform_role(user, role):
    if not user.is_authenticated or user.platform_role != role:
        raise PermissionDenied(f"此页面仅限{PlatformRole(role).label}使用。")


@login_required
def locks(request):
    """安全管理员: accounts locked after repeated failures, with an unlock button."""
    from axes.models import AccessAttempt
    from django.conf import settings

    _require_platform_role(request.user, PlatformRole.SECURITY)
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return render(request, "accounts/locks.html", {"attempts": attempts})


@login_required
@require_POST
def unlock(request):
    _require_platform_role(request.user, PlatformRole.SECURITY)
    username = request.POST.get("username", "")
    services.unlock(username=username, by=request.user)
    messages.success(request, f"已解除账号“{username}”的锁定。")
    return redirect("locks")
