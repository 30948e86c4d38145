from django import template

from shegong.campaigns.calendar import format_deadline

register = template.Library()


@register.filter
def deadline(value):
    """An exact cutoff in Asia/Shanghai, spelled out so nobody misreads "X日前"."""
    return format_deadline(value) if value else ""


@register.filter
def cn_date(value):
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
