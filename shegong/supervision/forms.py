from django import forms

from shegong.activities.forms import DATE
from shegong.forms import Form

from .models import SupervisorKind
from .selectors import FILTERS

ITEM_ROWS = 5


class VisitForm(Form):
    station = forms.ModelChoiceField(label="受督导单位", queryset=None, empty_label="—请选择—")
    date = forms.DateField(label="督导日期", widget=DATE)
    supervisor_name = forms.CharField(
        label="督导人员", max_length=100, help_text="姓名，多人用顿号分隔"
    )
    supervisor_kind = forms.ChoiceField(label="督导类型", choices=SupervisorKind.choices)
    findings = forms.CharField(label="督导发现", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations


class ItemForm(Form):
    what = forms.CharField(
        label="整改事项",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "整改事项", "aria-label": "整改事项"}),
    )
    due = forms.DateField(
        label="整改期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "aria-label": "整改期限"}, format="%Y-%m-%d"),
    )
    responsible = forms.CharField(
        label="责任人",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "责任人", "aria-label": "责任人"}),
    )

    def filled(self):
        data = self.cleaned_data
        return any(data.get(k) for k in ("what", "due", "responsible"))


class NoteForm(Form):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}))


class ItemFilter(Form):
    status = forms.ChoiceField(label="状态", choices=list(FILTERS.items()), required=False)
    station = forms.ChoiceField(label="受督导单位", required=False)

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [("", "全部")] + [(s.code, s.name) for s in stations]
