"""Working days: the holiday table decides, weekends otherwise. Used to warn when a cutoff
falls on a day nobody is at work."""

from datetime import timedelta

from django.utils import timezone

from .models import Holiday

WEEKDAYS = "一二三四五六日"


def known_years():
    return set(Holiday.objects.dates("date", "year").values_list("date__year", flat=True))


def day_status(day):
    """('workday' | 'holiday' | 'weekend', name) for a date."""
    row = Holiday.objects.filter(date=day).first()
    if row is not None:
        kind = "workday" if row.kind == Holiday.DayKind.WORKDAY else "holiday"
        return kind, row.name
    if day.weekday() >= 5:
        return "weekend", f"星期{WEEKDAYS[day.weekday()]}"
    return "workday", ""


def last_working_day(cutoff):
    """The day people must finish on: a 00:00 cutoff means the day before ends it."""
    local = timezone.localtime(cutoff)
    day = local.date()
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        day -= timedelta(days=1)
    return day


def cutoff_warnings(cutoff):
    """Chinese warnings for a cutoff that lands on a holiday, a weekend or an unknown year."""
    day = last_working_day(cutoff)
    warnings = []
    if day.year not in known_years():
        warnings.append(
            f"{day.year}年的节假日安排尚未录入，无法判断该日是否为工作日，请系统管理员补录。"
        )
    status, name = day_status(day)
    if status == "holiday":
        warnings.append(f"截止日 {day.month}月{day.day}日 是{name}假期，请确认是否调整。")
    elif status == "weekend":
        warnings.append(f"截止日 {day.month}月{day.day}日 是{name}，请确认是否调整。")
    return warnings


def format_deadline(cutoff):
    """'2022年3月24日（星期四）17:00', or for midnight '2022年4月10日 00:00（即4月9日当天结束）'."""
    local = timezone.localtime(cutoff)
    day = local.date()
    if (local.hour, local.minute) == (0, 0):
        end = day - timedelta(days=1)
        return f"{day.year}年{day.month}月{day.day}日 00:00（即{end.month}月{end.day}日当天结束）"
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）{local:%H:%M}"
