from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value):
    """1234.5 -> '1,234.50'; empty stays empty."""
    if value in (None, ""):
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def count(value):
    return "" if value is None else f"{value:,}"


@register.filter
def date_range(activity):
    start, end = activity.date_start, activity.date_end
    text = f"{start.year}年{start.month}月{start.day}日"
    if end and end != start:
        text += f"至{end.month}月{end.day}日" if end.year == start.year else f"至{end:%Y年%m月%d日}"
    return text


@register.filter
def percent(value):
    """0.857 -> '85.7%'."""
    return "" if value is None else f"{value:.1%}"


@register.filter
def domains(activity):
    """服务领域 as Attachment 1 writes it: 老年人、儿童青少年、其他（…）."""
    from shegong.activities.validation import domain_names

    names = domain_names(activity.domain_mask)
    if activity.other_domains:
        names.append(f"其他（{activity.other_domains}）")
    return "、".join(names)
