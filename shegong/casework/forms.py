from django import forms

from shegong.forms import Form

from .models import CaseKind, Risk, Way


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CaseForm(Form):
    """Required-field messages that name the field: 请填写结案原因。"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            verb = (
                "选择" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "填写"
            )
            field.error_messages["required"] = f"请{verb}{field.label}。"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{field.label}不是有效日期。"


def _date(label, required=True, help_text=""):
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


def _text(label, rows=3, required=True, max_length=None, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CaseFileForm(CaseForm):
    kind = forms.ChoiceField(
        label="建档类型", choices=CaseKind.choices, widget=forms.RadioSelect, initial="person"
    )
    group = forms.ModelChoiceField(label="对象类别", queryset=None, empty_label="（请选择）")
    name = forms.CharField(label="姓名", max_length=30, help_text="以家庭建档的，填写户主姓名。")
    id_number = forms.CharField(
        label="身份证号",
        max_length=20,
        help_text="18位居民身份证号码，最后一位可以是X；系统会核对校验位。",
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="住址", max_length=200, required=False)
    members = _text(
        "家庭成员", rows=3, required=False, help_text="每行一人：姓名、关系、年龄、情况。"
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class OpenForm(CaseFileForm):
    opened_on = _date("建档日期")


class AssessmentForm(CaseForm):
    date = _date("评估日期")
    situation = _text("基本情况", rows=4)
    needs = _text("主要需求", rows=3)
    risk = forms.ChoiceField(label="风险等级", choices=Risk.choices, widget=forms.RadioSelect)


class PlanForm(CaseForm):
    goals = _text("服务目标", rows=3)
    measures = _text("服务措施", rows=3)
    start = _date("开始日期")
    end = _date("结束日期")


class RecordForm(CaseForm):
    date = _date("服务日期")
    way = forms.ChoiceField(label="服务方式", choices=Way.choices)
    content = _text("服务内容", rows=3)
    hours = forms.DecimalField(
        label="时长（小时）", min_value=0, max_digits=5, decimal_places=1, initial=1
    )
    visit = forms.ModelChoiceField(
        label="关联家庭走访",
        queryset=None,
        required=False,
        empty_label="（不关联）",
        help_text="本站登记、尚未关联档案的走访；一次走访只能关联一份档案。",
    )

    def __init__(self, *args, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].queryset = visits
        self.fields["visit"].label_from_instance = lambda v: (
            f"{v.date:%Y-%m-%d} {v.household_name}（{v.get_group_display()}）"
        )


class FollowUpForm(CaseForm):
    due = _date("到期日期")
    what = forms.CharField(label="跟进事项", max_length=200)


class DoneForm(CaseForm):
    done_on = _date("完成日期")
    result = forms.CharField(label="跟进结果", max_length=500)


class CloseForm(CaseForm):
    reason = _text(
        "结案原因",
        rows=2,
        max_length=300,
        help_text="如：目标达成、迁出辖区、不再符合条件、死亡等。",
    )
    closed_on = _date("结案日期")


class ReopenForm(CaseForm):
    reason = _text("重新开案原因", rows=2, max_length=300)


class TransferForm(CaseForm):
    to_code = forms.CharField(
        label="接收社会工作站代码", max_length=32, help_text="接收站点的单位代码，如 S500119003。"
    )
    reason = _text("转移原因", rows=2, max_length=300, help_text="如：服务对象迁居至对方辖区。")


class DecisionForm(CaseForm):
    note = forms.CharField(label="处理意见", max_length=300, required=False)
