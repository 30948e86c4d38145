from django import forms
from django.utils import timezone

from shegong.forms import Form


class TeamForm(Form):
    name = forms.CharField(label="队伍名称", max_length=100)
    leader_name = forms.CharField(label="队长", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class VolunteerForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    team = forms.ModelChoiceField(
        label="所属队伍", queryset=None, required=False, empty_label="（不属于队伍）"
    )
    skills = forms.CharField(
        label="特长", max_length=200, required=False, help_text="如：理发、陪伴聊天、电脑维修"
    )
    registered_on = forms.DateField(
        label="注册日期",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_active = forms.BooleanField(label="在册", required=False, initial=True)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class SignUpForm(Form):
    activity = forms.ModelChoiceField(label="报名活动", queryset=None)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class AddVolunteerForm(Form):
    volunteer = forms.ModelChoiceField(label="报名的志愿者", queryset=None)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


class HoursForm(Form):
    hours = forms.CharField(
        label="服务时长（小时）",
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class SpendForm(Form):
    hours = forms.CharField(
        label="兑换小时数", max_length=8, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    note = forms.CharField(label="兑换的服务", max_length=200, help_text="如：上门理发、助餐服务")


class ReverseForm(Form):
    reason = forms.CharField(label="冲正原因", max_length=200)
