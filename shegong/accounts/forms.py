from django import forms
from django.contrib.auth.forms import AuthenticationForm

from shegong.forms import Form, StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码不正确。连续输错 %(limit)s 次，账号将被锁定 %(minutes)s 分钟。",
        "inactive": "该账号已停用，请联系本单位管理员。",
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        from . import lockout

        if getattr(self.request, "axes_locked_out", False):
            username = self.cleaned_data.get("username")
            lock = lockout.status(self.request, username)
            if lock is not None:
                return forms.ValidationError(lock.message, code="locked")
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        )


class PasswordChangeForm(Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", "两次输入的新密码不一致。")
        return data


class CodeForm(Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class ConfirmPasswordForm(Form):
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput)
