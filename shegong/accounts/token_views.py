"""The 接口令牌 page: a user's own API tokens, making one (its key shown once) and revoking."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shegong.forms import Form, add_service_errors

from . import tokens
from .models import ApiToken


class TokenForm(Form):
    name = forms.CharField(
        label="令牌名称", max_length=100, help_text="调用方系统的名称，便于区分。"
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="不填则长期有效，可随时作废。",
    )
    read_only = forms.BooleanField(label="只读（只能查询，不能登记或修改）", required=False)


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = tokens.create_token(
                user=request.user,
                by=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                read_only=form.cleaned_data["read_only"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, "已创建接口令牌。请立即复制保存密钥，离开本页后将无法再次查看。"
            )
            form = TokenForm()
    context = {"form": form, "tokens": tokens.tokens_of(request.user), "new_key": new_key}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        tokens.revoke_token(token=token, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, f"已作废令牌“{token.name}”。")
    return redirect("api_tokens")
