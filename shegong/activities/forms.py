from django import forms

from shegong.forms import Form, ModelForm

from .models import ActivityType, Linkage, Mode, ServiceDomain, Visit, VisitGroup
from .validation import all_domains

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is checked by content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActivityForm(Form):
    notice = forms.ChoiceField(label="相关通知", required=False)
    name = forms.CharField(label="活动名称", max_length=200)
    activity_type = forms.ModelChoiceField(
        label="活动形式",
        queryset=ActivityType.objects.none(),
        required=False,
        empty_label="—请选择—",
    )
    date_start = forms.DateField(label="开始日期", widget=DATE)
    date_end = forms.DateField(
        label="结束日期", widget=DATE, required=False, help_text="当天完成可不填"
    )
    place = forms.CharField(label="活动地点", max_length=200, required=False)
    mode = forms.ChoiceField(label="线上/线下", choices=Mode.choices, widget=forms.RadioSelect)
    org_text = forms.CharField(
        label="参与活动的单位或社会组织（团队）名称", max_length=300, required=False
    )
    content = forms.CharField(
        label="活动内容", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    domains = forms.MultipleChoiceField(
        label="服务领域", required=False, widget=forms.CheckboxSelectMultiple
    )
    other_domains = forms.CharField(label="其他服务领域", max_length=100, required=False)
    participants = forms.IntegerField(label="参与人次", min_value=0, required=False)
    beneficiaries = forms.IntegerField(label="受益人次", min_value=0, required=False)
    funds = forms.DecimalField(
        label="链接资金（元）", min_value=0, max_digits=14, decimal_places=2, required=False
    )
    inkind = forms.DecimalField(
        label="链接物资折价（元）", min_value=0, max_digits=14, decimal_places=2, required=False
    )
    linkage = forms.MultipleChoiceField(
        label="五社联动",
        choices=Linkage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remarks = forms.CharField(
        label="备注", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    filler_name = forms.CharField(label="填报人", max_length=50, required=False)
    filler_mobile = forms.CharField(label="填报人手机号码", max_length=20, required=False)

    def __init__(self, *args, notices=(), **kwargs):
        self.notices = list(notices)
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = [("", "—不关联通知（日常活动）—")] + [
            (str(n.pk), f"{n.doc_number} {n.title}") for n in notices
        ]
        self.fields["activity_type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["domains"].choices = [(d.name, d.name) for d in all_domains() if d.is_active]
        for name in ("participants", "beneficiaries"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("funds", "inkind"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def service_data(self):
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("notice", "photos")}
        data["linkage"] = [int(x) for x in data.get("linkage") or []]
        return data


class NewActivityForm(ActivityForm):
    photos = MultipleImageField(
        label="活动照片",
        required=False,
        help_text="可多选，JPG、PNG 或 WebP；展示活动过程和互动情况。",
    )


class PhotoForm(Form):
    photos = MultipleImageField(label="添加照片")
    caption = forms.CharField(label="照片说明", max_length=200, required=False)


class ReasonForm(Form):
    reason = forms.CharField(label="原因", max_length=200)


class RegisterFilter(Form):
    """The filters above the register list; every field optional."""

    q = forms.CharField(label="搜索", required=False)
    notice = forms.ChoiceField(label="通知", required=False)
    period = forms.ChoiceField(label="报送批次", required=False)
    date_from = forms.DateField(label="从", required=False, widget=DATE)
    date_to = forms.DateField(label="到", required=False, widget=DATE)
    domain = forms.ChoiceField(label="服务领域", required=False)
    activity_type = forms.ChoiceField(label="活动形式", required=False)
    unit = forms.CharField(label="单位代码", required=False)
    scope = forms.ChoiceField(
        label="范围", required=False, choices=[("subtree", "本单位及下级"), ("own", "仅本单位")]
    )

    def __init__(self, *args, notices=(), periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].choices = [("", "全部通知")] + [
            (str(n.pk), n.doc_number or n.title) for n in notices
        ]
        self.fields["period"].choices = [("", "全部批次")] + [(str(p.pk), p.name) for p in periods]
        self.fields["domain"].choices = [("", "全部领域")] + [
            (str(d.bit), d.name) for d in ServiceDomain.objects.all()
        ]
        self.fields["activity_type"].choices = [("", "全部形式")] + [
            (t.code, t.name) for t in ActivityType.objects.all()
        ]


class VisitForm(ModelForm):
    class Meta:
        model = Visit
        fields = [
            "date",
            "household_name",
            "household_address",
            "household_phone",
            "group",
            "visitors",
            "purpose",
            "outcome",
            "follow_up",
            "activity",
        ]
        widgets = {"date": DATE, "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = VisitGroup.choices
        self.fields["activity"].queryset = activities
        self.fields["activity"].required = False
        self.fields["household_phone"].widget.attrs["inputmode"] = "tel"
