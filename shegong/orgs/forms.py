from django import forms

from shegong.forms import Form, ModelForm

from .models import Kind, OrgUnit, Role


class UnitForm(ModelForm):
    class Meta:
        model = OrgUnit
        fields = [
            "name",
            "short_name",
            "kind",
            "division_code",
            "contact_person",
            "contact_phone",
            "address",
            "is_active",
        ]


class NewUnitForm(UnitForm):
    class Meta(UnitForm.Meta):
        fields = ["code", *UnitForm.Meta.fields]


class MoveForm(Form):
    new_parent = forms.CharField(
        label="新上级单位代码", help_text="输入新上级单位的单位代码，可在单位树中查找。"
    )
    reason = forms.CharField(label="调整原因", max_length=200)


class AccountForm(Form):
    username = forms.CharField(label="账号", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号码", max_length=20, required=False)
    unit = forms.CharField(label="所属单位代码")
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        help_text="用户首次登录时须修改此密码。",
    )


class ProfileForm(Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    mobile = forms.CharField(label="手机号码", max_length=20, required=False)


class GrantForm(Form):
    unit = forms.CharField(label="单位代码")
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class ResetPasswordForm(Form):
    password = forms.CharField(
        label="临时密码", widget=forms.PasswordInput, help_text="用户下次登录时须修改。"
    )


KIND_CHOICES = [("", "全部类型"), *Kind.choices]
