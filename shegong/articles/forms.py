from django import forms

from shegong.activities.forms import MultipleImageField
from shegong.forms import Form

from .models import SolicitationKind


class ArticleForm(Form):
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="新闻简讯体裁，500 字左右，写清时间、地点、服务对象和参与人员。",
    )
    activity = forms.ModelChoiceField(
        label="报道的活动", queryset=None, required=False, empty_label="（不关联活动）"
    )
    photos = MultipleImageField(
        label="上传图片",
        required=False,
        help_text=(
            "至少一张反映活动过程和互动的图片；JPG、PNG 或 WebP，"
            "上传后自动缩小并去除拍摄位置等信息。"
        ),
    )
    caption = forms.CharField(label="新图片的说明", max_length=200, required=False)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class ReasonForm(Form):
    reason = forms.CharField(
        label="退回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallForm(Form):
    kind = forms.ChoiceField(label="类型", choices=SolicitationKind.choices)
    title = forms.CharField(label="名称", max_length=120)
    description = forms.CharField(
        label="征集要求", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deadline = forms.DateTimeField(
        label="截止时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
