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
