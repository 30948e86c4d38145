from django import forms

from shegong.forms import Form

from .models import Level, Metric, ProjectDomain, Result


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(Form):
    name = forms.CharField(label="项目名称", max_length=200)
    catalogue_no = forms.CharField(
        label="目录编号", max_length=40, required=False, help_text="购买服务目录中的项目编号。"
    )
    domain = forms.ModelChoiceField(label="项目领域", queryset=None)
    contractor = forms.ModelChoiceField(
        label="承接机构", queryset=None, help_text="本单位下属的社会工作服务机构。"
    )
    stations = forms.ModelMultipleChoiceField(
        label="服务站点", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    budget = forms.DecimalField(
        label="项目资金（元）", min_value=0, decimal_places=2, max_digits=14
    )
    start_date = forms.DateField(label="开始日期", widget=_date())
    end_date = forms.DateField(label="结束日期", widget=_date())
    description = forms.CharField(
        label="服务内容", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contractors, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = ProjectDomain.objects.filter(is_active=True)
        self.fields["contractor"].queryset = contractors
        self.fields["stations"].queryset = stations
        for metric, label in Metric.choices:
            self.fields[f"target_{metric}"] = forms.IntegerField(
                label=f"目标：{label}",
                min_value=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )

    def targets(self):
        return {
            m: self.cleaned_data.get(f"target_{m}")
            for m in Metric.values
            if self.cleaned_data.get(f"target_{m}") is not None
        }


class EvaluationForm(Form):
    date = forms.DateField(label="评估日期", widget=_date())
    findings = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 5}))
    result = forms.ChoiceField(
        label="评估结果",
        required=False,
        choices=[("", "按总分自动确定"), *Result.choices],
        help_text="总分达满分的 90% 为优秀，75% 为良好，60% 为合格，不足 60% 为不合格。",
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（满分 {c.max_score} 分）",
                min_value=0,
                max_value=c.max_score,
                decimal_places=1,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
            )
        # The scores first, then the date, findings and result.
        order = [f"score_{c.pk}" for c in criteria] + ["date", "findings", "result"]
        self.order_fields(order)

    def scores(self):
        return {c.pk: self.cleaned_data.get(f"score_{c.pk}") for c in self.criteria}


class AssessorForm(Form):
    username = forms.CharField(
        label="第三方评估账号", max_length=150, help_text="评估机构的账号，不属于任何单位。"
    )


class CriterionForm(Form):
    name = forms.CharField(label="指标名称", max_length=40)
    max_score = forms.IntegerField(label="满分", min_value=1, max_value=1000)
    order = forms.IntegerField(label="顺序", min_value=0, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


class WorkerForm(Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    level = forms.ChoiceField(label="职业资格", choices=Level.choices)
    is_supervisor = forms.BooleanField(label="督导", required=False)
    is_active = forms.BooleanField(label="在岗", required=False, initial=True)


class TrainingForm(Form):
    date = forms.DateField(label="培训日期", widget=_date())
    hours = forms.DecimalField(label="学时", min_value=0, decimal_places=1, max_digits=5)
    topic = forms.CharField(label="培训主题", max_length=200)
