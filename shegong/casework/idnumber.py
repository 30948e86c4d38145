"""Resident ID numbers (居民身份证号码, GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2
check character, which may be X."""

import re
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_char(first17):
    """The check character for the first 17 digits."""
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value):
    """Strip spaces and make a trailing x upper case."""
    return re.sub(r"\s", "", value or "").upper()


def problem(value):
    """What is wrong with `value` as an ID number (a Chinese sentence), or None when valid."""
    value = normalise(value)
    if not value:
        return "请填写身份证号。"
    if not PATTERN.match(value):
        return f"身份证号应为18位（前17位为数字，最后一位为数字或X），现为{len(value)}位。"
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效，请核对第7至14位。"
    if check_char(value[:17]) != value[17]:
        return "身份证号校验位不正确，请核对是否有输错的数字。"
    return None


def birth_date(value):
    value = normalise(value)
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
