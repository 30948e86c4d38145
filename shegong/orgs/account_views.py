"""Account management for 管理员: the people in the units under their care."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong.accounts import services as account_services
from shegong.forms import add_service_errors, error_messages

from . import selectors, services, tree
from .forms import AccountForm, GrantForm, ProfileForm, ResetPasswordForm
from .models import Membership

User = get_user_model()


def can_manage_accounts(user):
    """管理员 of some unit: the account pages open (the header shows 账号 on this)."""
    return bool(selectors.managed_paths(user))


def _managed_memberships(by):
    if not can_manage_accounts(by):
        raise PermissionDenied("只有单位管理员可以管理账号。")
    q = Q()
    for p in selectors.managed_paths(by):
        q |= tree.subtree(p, "unit__path")
    return Membership.objects.filter(q)


@login_required
def user_list(request):
    memberships = _managed_memberships(request.user)
    users = User.objects.filter(memberships__in=memberships).distinct().order_by("username")
    text = request.GET.get("q", "").strip()
    if text:
        users = users.filter(Q(username__contains=text) | Q(full_name__contains=text))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    rows = []
    for user in page:
        units = memberships.filter(user=user).select_related("unit")
        rows.append((user, units))
    return render(request, "accounts/user_list.html", {"page": page, "rows": rows, "q": text})


def _managed_unit_by_code(by, code):
    unit = selectors.units_managed_by(by).filter(code=code.strip()).first()
    if unit is None:
        raise ValidationError({"unit": "找不到该单位，或您不是它的管理员。"})
    return unit


@login_required
def user_create(request):
    _managed_memberships(request.user)
    initial = {"unit": request.unit.code} if request.unit else {}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = _managed_unit_by_code(request.user, data["unit"])
            user = services.create_account(
                username=data["username"],
                full_name=data["full_name"],
                mobile=data["mobile"],
                password=data["password"],
                unit=unit,
                role=data["role"],
                by=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已创建账号“{user.username}”，首次登录须修改密码。")
            return redirect("user_detail", username=user.username)
    return render(request, "accounts/user_form.html", {"form": form, "title": "新建账号"})


def _visible_user(by, username):
    """A user the admin may look at: one with a membership in the admin's subtree."""
    memberships = _managed_memberships(by).filter(user__username=username)
    user = User.objects.filter(memberships__in=memberships).distinct().first()
    if user is None:
        raise Http404("没有找到该账号，或您无权查看。")
    return user, memberships.select_related("unit")


@login_required
def user_detail(request, username):
    user, memberships = _visible_user(request.user, username)
    context = {
        "account": user,
        "memberships": memberships,
        "can_manage": services.can_manage_account(request.user, user),
        "profile_form": ProfileForm(initial={"full_name": user.full_name, "mobile": user.mobile}),
        "grant_form": GrantForm(),
        "reset_form": ResetPasswordForm(),
    }
    return render(request, "accounts/user_detail.html", context)


def _post_action(request, username, action):
    user, _ = _visible_user(request.user, username)
    try:
        action(user)
    except ValidationError as e:
        error_messages(request, e)
    return redirect("user_detail", username=user.username)


@login_required
@require_POST
def user_profile(request, username):
    form = ProfileForm(request.POST)

    def act(user):
        services.require_account_manager(request.user, user)
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        account_services.update_profile(user=user, by=request.user, **form.cleaned_data)
        messages.success(request, "账号信息已保存。")

    return _post_action(request, username, act)


@login_required
@require_POST
def user_reset_password(request, username):
    form = ResetPasswordForm(request.POST)

    def act(user):
        services.require_account_manager(request.user, user)
        if not form.is_valid():
            raise ValidationError("请填写临时密码。")
        account_services.reset_password(
            user=user, new_password=form.cleaned_data["password"], by=request.user
        )
        messages.success(request, "已重置密码，用户下次登录时须修改。")

    return _post_action(request, username, act)


@login_required
@require_POST
def user_set_active(request, username):
    def act(user):
        services.require_account_manager(request.user, user)
        active = request.POST.get("active") == "1"
        account_services.set_active(user=user, active=active, by=request.user)
        messages.success(request, "账号已启用。" if active else "账号已停用。")

    return _post_action(request, username, act)


@login_required
@require_POST
def user_grant(request, username):
    form = GrantForm(request.POST)

    def act(user):
        if not form.is_valid():
            raise ValidationError("请填写单位代码和角色。")
        unit = _managed_unit_by_code(request.user, form.cleaned_data["unit"])
        services.grant_role(user=user, unit=unit, role=form.cleaned_data["role"], by=request.user)
        messages.success(request, f"已授予“{unit.name}”的角色。")

    return _post_action(request, username, act)


@login_required
@require_POST
def user_revoke(request, username, membership_id):
    def act(user):
        membership = _managed_memberships(request.user).filter(pk=membership_id, user=user).first()
        if membership is None:
            raise Http404("没有找到该角色。")
        services.revoke_role(membership=membership, by=request.user)
        messages.success(request, "已撤销该角色。")

    return _post_action(request, username, act)
