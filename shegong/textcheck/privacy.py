"""Personal information of the people served (I01 mobile numbers, I02 ID numbers). A brief is
published, so both are errors there; a notice carries contact numbers on purpose."""

import re
import string

from .document import BRIEF, matches
from .findings import WARNING
from .rules import finding

# 11-digit mainland mobile numbers, also written 138-1234-5678 or 138 1234 5678, and 18-digit
# resident ID numbers (GB 11643: region, birth date 18xx–20xx, sequence, check digit). Neither
# may be the middle of a longer number or of a masked one (138****5678).
_MOBILE = re.compile(r"(1[3-9][0-9])[\s-]?([0-9]{4})[\s-]?([0-9]{4})(?![0-9*])")
_ID_NUMBER = re.compile(
    r"([1-9][0-9]{5})((?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"
    r"([0-9]{3}[0-9Xx])(?![0-9A-Za-z*])"
)
_DIGIT_BEFORE = "0123456789*"
_ID_BEFORE = _DIGIT_BEFORE + string.ascii_letters


# +86 138 1234 5678 and 8613812345678: the 86 before the number is a country code.
_COUNTRY_CODE = re.compile(r"(?:^|\D)\+?86[\s-]?$")


def _mobiles(text):
    for m in _MOBILE.finditer(text):
        start = m.start()
        glued = start and text[start - 1] in _DIGIT_BEFORE
        if glued and not _COUNTRY_CODE.search(text, max(0, start - 5), start):
            continue
        yield m


def mobile_numbers(doc):
    if doc.kind != BRIEF:
        return
    for m in _mobiles(doc.text):
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
    for m in matches(_ID_NUMBER, doc.text, _ID_BEFORE):
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
