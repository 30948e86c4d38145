"""Personal information of the people served (I01 mobile numbers, I02 ID numbers). A brief is
published, so both are errors there; a notice carries contact numbers on purpose."""

import re

from .document import BRIEF
from .findings import WARNING
from .rules import finding

# 11-digit mainland mobile numbers, also written 138-1234-5678 or 138 1234 5678.
_MOBILE = re.compile(r"(?<![\d*])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![\d*])")
# 18-digit resident ID (GB 11643): region, birth date 18xx–20xx, sequence, check digit.
_ID_NUMBER = re.compile(
    r"(?<![\dA-Za-z*])([1-9]\d{5})((?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(\d{3}[\dXx])(?![\dA-Za-z*])"
)


def mobile_numbers(doc):
    if doc.kind != BRIEF:
        return
    for m in _MOBILE.finditer(doc.text):
        masked = f"{m[1]}****{m[3]}"
        yield finding(
            doc,
            "I01",
            m.start(),
            m.end(),
            f"简讯公开发布，不写服务对象的手机号码：请删去或写作“{masked}”",
            masked,
        )


def id_numbers(doc):
    severity = None if doc.kind == BRIEF else WARNING
    for m in _ID_NUMBER.finditer(doc.text):
        masked = f"{m[1]}********{m[3][-4:]}"
        yield finding(
            doc,
            "I02",
            m.start(),
            m.end(),
            f"不公开身份证号码：请删去或写作“{masked}”",
            masked,
            severity=severity,
        )


CHECKS = (mobile_numbers, id_numbers)
