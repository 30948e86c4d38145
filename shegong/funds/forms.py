from django import forms

from shegong.activities.forms import DATE
from shegong.forms import Form

from .models import EntryKind


class FundForm(Form):
    name = forms.CharField(label="基金名称", max_length=100, help_text="如：鼓楼坝社区“微心愿”基金")
    opened_on = forms.DateField(label="设立日期", widget=DATE)


class EntryForm(Form):
    """One form for the three kinds; the service checks which fields each kind needs."""

    kind = forms.ChoiceField(label="类别", choices=EntryKind.choices, widget=forms.RadioSelect)
    date = forms.DateField(label="日期", widget=DATE)
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=14,
        decimal_places=2,
        help_text="捐赠物资按折价金额填写",
    )
    donor = forms.CharField(label="捐赠方", max_length=100, required=False)
    anonymous = forms.BooleanField(label="匿名捐赠", required=False)
    items = forms.CharField(
        label="物资名称及数量", max_length=200, required=False, help_text="仅捐赠物资填写"
    )
    purpose = forms.CharField(label="用途", max_length=200, required=False, help_text="仅支出填写")
    activity = forms.ModelChoiceField(
        label="关联活动",
        queryset=None,
        required=False,
        empty_label="（不关联活动）",
        help_text="用于活动的支出和物资请关联活动，便于与活动登记的链接资金、物资折价核对",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.date_start:%Y-%m-%d} {a.name}（{a.unit.display_name}）"
        )


class ReverseForm(Form):
    reason = forms.CharField(label="冲正原因", max_length=200)


class RangeForm(Form):
    start = forms.DateField(label="起始日期", widget=DATE)
    end = forms.DateField(label="截止日期", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "截止日期不能早于起始日期。")
        return data
