from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors

from . import context_processors, lockout, services
from .forms import LoginForm, PasswordChangeForm
from .models import PlatformRole
from .permissions import require_platform_role


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


@login_required
@require_POST
def password_expiry_dismiss(request):
    """Close the expiry banner for the rest of this session."""
    request.session[context_processors.DISMISSED] = True
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    url = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    return redirect(url if safe else reverse("home"))


@login_required
def locks(request):
    """安全管理员: accounts and addresses locked after repeated failures, with unlock
    buttons."""
    require_platform_role(request.user, PlatformRole.SECURITY)
    context = {
        "accounts": lockout.locked_accounts(),
        "addresses": lockout.locked_addresses(),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/locks.html", context)


@login_required
@require_POST
def unlock(request):
    require_platform_role(request.user, PlatformRole.SECURITY)
    if request.POST.get("ip_address"):
        ip_address = request.POST["ip_address"]
        services.unlock_address(ip_address=ip_address, by=request.user)
        messages.success(request, f"已解除网络地址 {ip_address} 的锁定。")
        return redirect("locks")
    username = request.POST.get("username", "")
    services.unlock(username=username, by=request.user)
    messages.success(request, f"已解除账号“{username}”的锁定。")
    return redirect("locks")
