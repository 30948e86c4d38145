"""The second-factor pages: the code asked for after the password, setting up an
authenticator app, each user's own 双因素认证 page, and the 安全管理员's reset."""

from urllib.parse import urlencode

import django_otp
from axes.helpers import get_credentials
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from shegong.forms import add_service_errors, error_messages

from . import factor, lockout, services
from .forms import CodeForm, ConfirmPasswordForm
from .models import PlatformRole
from .permissions import require_platform_role

User = get_user_model()


def _next(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse("home")


def _locked_out(request, username):
    logout(request)
    return lockout.response(request, credentials=get_credentials(username))


def _check(request, form, stage, service):
    """Run a service that checks a code. A wrong code is audited and counted toward the
    lock like a wrong password; returns (result, lock page or None)."""
    user = request.user
    username = user.get_username()
    if lockout.status(request, username) is not None:
        return None, _locked_out(request, username)
    try:
        return service(user=user, code=form.cleaned_data["code"]), None
    except ValidationError as e:
        services.record_code_failure(user=user, stage=stage)
        if lockout.count_failure(request, username):
            return None, _locked_out(request, username)
        add_service_errors(form, e)
        return None, None


def _passed(request, device):
    """This session has given its second factor."""
    django_otp.login(request, device)
    request.session.cycle_key()
    lockout.forgive(request.user.get_username())


def _lock_terms():
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}


@login_required
def verify(request):
    if not factor.pending(request):
        return redirect(_next(request))
    if not factor.enrolled(request.user):
        return redirect(f"{reverse('otp_enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, locked = _check(request, form, "verify", services.verify_second_factor)
        if locked:
            return locked
        if device is not None:
            _passed(request, device)
            if isinstance(device, StaticDevice):
                left = factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"您用一个恢复码完成了验证，还剩 {left} 个。"
                    + ("请在“双因素认证”页重新生成恢复码。" if left <= 3 else ""),
                )
            return redirect(_next(request))
    context = {"form": form, "next": _next(request), **_lock_terms()}
    return render(request, "accounts/otp_verify.html", context)


@login_required
def enrol(request):
    user = request.user
    if factor.enrolled(user):
        messages.info(request, "您已启用双因素认证。")
        return redirect("otp_settings")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, locked = _check(request, form, "enrol", services.confirm_enrolment)
        if locked:
            return locked
        if result is not None:
            device, codes = result
            _passed(request, device)
            return _show_codes(request, codes, _next(request), enrolled=True)
    device = services.begin_enrolment(user=user)
    context = {
        "form": form,
        "next": _next(request),
        "secret": factor.grouped(factor.secret(device)),
        "qr": factor.qr_data_uri(device),
        "required": factor.required_for(user),
        **_lock_terms(),
    }
    return render(request, "accounts/otp_enrol.html", context)


def _show_codes(request, codes, next_url, enrolled=False):
    context = {
        "codes": [factor.show_recovery_code(c) for c in codes],
        "next": next_url,
        "enrolled": enrolled,
    }
    return render(request, "accounts/otp_codes.html", context)


@login_required
def overview(request):
    user = request.user
    context = {
        "enrolled": factor.enrolled(user),
        "required": factor.required_for(user),
        "codes_left": factor.recovery_codes_left(user),
        "form": ConfirmPasswordForm(),
    }
    return render(request, "accounts/otp_settings.html", context)


@login_required
@require_POST
def regenerate_codes(request):
    try:
        codes = services.regenerate_recovery_codes(user=request.user)
    except ValidationError as e:
        error_messages(request, e)
        return redirect("otp_settings")
    return _show_codes(request, codes, reverse("otp_settings"))


@login_required
@require_POST
def disable(request):
    try:
        services.disable_second_factor(user=request.user, password=request.POST.get("password", ""))
    except ValidationError as e:
        error_messages(request, e)
    else:
        messages.success(request, "已停用双因素认证。")
    return redirect("otp_settings")


@login_required
def factor_list(request):
    """安全管理员: every account's second factor, with a reset button."""
    require_platform_role(request.user, PlatformRole.SECURITY)
    users = factor.with_status(User.objects.order_by("username"))
    text = request.GET.get("q", "").strip()
    if text:
        users = users.filter(Q(username__contains=text) | Q(full_name__contains=text))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/otp_factors.html", {"page": page, "q": text})


@login_required
@require_POST
def factor_reset(request):
    require_platform_role(request.user, PlatformRole.SECURITY)
    user = get_object_or_404(User, username=request.POST.get("username", ""))
    services.reset_second_factor(user=user, by=request.user)
    messages.success(request, f"已重置 {user} 的双因素认证，该用户下次登录时须重新绑定。")
    query = urlencode({"q": request.POST.get("q", "")})
    return redirect(f"{reverse('otp_factors')}?{query}")
