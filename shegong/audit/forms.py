"""The 审计管理员's filter over the log: time range, account, unit subtree, action, object."""

from django import forms
from django.db.models import Q

from shegong.forms import Form
from shegong.orgs.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE)
    user = forms.CharField(label="账号", required=False, max_length=150)
    unit = forms.CharField(
        label="单位", required=False, max_length=200, help_text="单位代码或全称，含其下级单位"
    )
    # A prefix ("orgs.") or one action; a value typed into the address bar is kept too.
    action = forms.CharField(label="操作", required=False, max_length=64, widget=forms.Select)
    object_type = forms.CharField(
        label="对象类型", required=False, max_length=64, widget=forms.Select
    )
    q = forms.CharField(label="对象", required=False, max_length=100)

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.choices = self._with_current(
            "action", [("", "全部操作"), *actions]
        )
        self.fields["object_type"].widget.choices = self._with_current(
            "object_type", [("", "全部对象类型"), *object_types]
        )
        for name in ("action", "object_type"):
            self.fields[name].widget.attrs.pop("maxlength", None)  # not an attribute of <select>

    def _with_current(self, name, choices):
        current = (self.data.get(name) or "").strip()
        if current and current not in {value for value, _ in choices}:
            choices.append((current, current))
        return choices

    def clean_unit(self):
        text = self.cleaned_data["unit"].strip()
        if not text:
            return None
        found = list(OrgUnit.objects.filter(Q(code=text) | Q(name=text))[:2])
        if not found:
            raise forms.ValidationError("找不到这个单位，请填写单位代码或全称。")
        if len(found) > 1:
            raise forms.ValidationError("有多个同名单位，请填写单位代码。")
        return found[0]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data

    def used(self):
        """The filters given, as text, for the export's own audit event."""
        out = {}
        for name, value in self.cleaned_data.items():
            if value:
                out[name] = value.code if isinstance(value, OrgUnit) else str(value)
        return out
