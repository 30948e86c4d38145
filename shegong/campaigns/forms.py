from django import forms
from django.forms import formset_factory

from shegong.forms import Form, FormSet, ModelForm
from shegong.orgs.models import Kind

from .models import Notice, PeriodKind, QuotaMetric, ReporterScope

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NoticeForm(ModelForm):
    doc_number = forms.CharField(
        label="文号",
        required=False,
        help_text="如“内民政慈社〔2022〕3号”。方括号、圆括号会自动改为六角括号〔〕。印发前必须填写。",
    )
    reporter_kinds = forms.MultipleChoiceField(
        label="应报单位类型",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="“应报单位”选择“指定类型”时，主送单位及其下级中这些类型的单位都须报送。",
    )

    class Meta:
        model = Notice
        fields = [
            "title",
            "addressee_text",
            "theme",
            "goals",
            "window_start",
            "window_end",
            "reporter_scope",
            "reporter_kinds",
            "require_safety_plans",
            "contact_person",
            "contact_phone",
            "contact_email",
            "signed_date",
        ]
        widgets = {
            "window_start": DATE,
            "window_end": DATE,
            "signed_date": DATE,
            "goals": forms.Textarea(attrs={"rows": 4}),
            "reporter_scope": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter_scope"].choices = ReporterScope.choices


class SectionForm(Form):
    heading = forms.CharField(label="标题", max_length=100)
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 5}))


class PeriodForm(Form):
    # A blank first choice: an untouched extra row must stay "unchanged" and be skipped.
    kind = forms.ChoiceField(label="类型", choices=[("", "—请选择—"), *PeriodKind.choices])
    name = forms.CharField(label="名称", max_length=100, help_text="如“第1次工作进展情况”")
    start_date = forms.DateField(label="统计开始日期", widget=DATE)
    end_date = forms.DateField(label="统计结束日期", widget=DATE)
    cutoff = forms.DateTimeField(
        label="截止时间",
        widget=DATETIME,
        help_text="北京时间。“4月10日前”请明确：填 4月10日 00:00 表示 4月9日当天结束。",
    )
    submit_to = forms.CharField(label="报送至", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", "统计结束日期不能早于开始日期。")
        return data


class QuotaForm(Form):
    metric = forms.ChoiceField(label="指标", choices=[("", "—请选择—"), *QuotaMetric.choices])
    target = forms.IntegerField(label="每个单位须完成", min_value=1)
    start_date = forms.DateField(label="开始日期", widget=DATE)
    end_date = forms.DateField(label="结束日期", widget=DATE)
    kinds = forms.MultipleChoiceField(
        label="适用单位类型", choices=Kind.choices, widget=forms.CheckboxSelectMultiple
    )


SectionFormSet = formset_factory(SectionForm, FormSet, extra=1, can_delete=True)
PeriodFormSet = formset_factory(PeriodForm, FormSet, extra=1, can_delete=True)
QuotaFormSet = formset_factory(QuotaForm, FormSet, extra=1, can_delete=True)


class AddresseeForm(Form):
    units = forms.MultipleChoiceField(
        label="直属下级单位", required=False, widget=forms.CheckboxSelectMultiple
    )
    kinds = forms.MultipleChoiceField(
        label="辖区内全部以下类型的单位",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    codes = forms.CharField(
        label="其他单位代码",
        required=False,
        help_text="更下级的单位，用逗号或换行分隔单位代码。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.code, u.name) for u in children]


class AttachmentForm(Form):
    file = forms.FileField(label="附件文件")
    name = forms.CharField(
        label="附件名称",
        max_length=200,
        required=False,
        help_text="如“附件1. 盟市社会工作主题宣传活动工作进展情况统计表”",
    )


class ReasonForm(Form):
    reason = forms.CharField(label="原因", max_length=200)


def filled(formset):
    """The cleaned rows of a formset, without empty extra rows and deleted ones."""
    return [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
