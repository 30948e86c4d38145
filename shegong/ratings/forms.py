from django import forms

from shegong.forms import Form

from .models import MAX_COMMENT

STARS = [(5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不太满意"), (1, "不满意")]


class RatingForm(Form):
    stars = forms.TypedChoiceField(
        label="您的评分",
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请点选 1 到 5 颗星。"},
    )
    comment = forms.CharField(
        label="您的意见和建议（选填）",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={"max_length": f"评价内容不超过 {MAX_COMMENT} 个字。"},
    )
    phone = forms.CharField(
        label="手机号码",
        max_length=20,
        help_text="只用于确认每人对每个活动评价一次，不会保存号码本身。",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": "11 位手机号码"}
        ),
        error_messages={"required": "请填写手机号码。"},
    )
