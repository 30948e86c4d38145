"""The elements a brief must have (seed 002, Attachment 2): about 500 characters (A01) and the
time, place, service objects and participants of the activity (A02–A05)."""

import re

from .document import BRIEF
from .rules import finding

_SPACE = re.compile(r"\s+")
TARGET_CHARS = 500
# Far from "about 500": the defaults a deployment can override (settings → check()).
MIN_CHARS = 300
MAX_CHARS = 900

# Each element is "present" when one of these forms appears in the title or the body. They
# are generous on purpose: the finding is a warning for a reviewer, not a verdict.
_FESTIVALS = (
    "春节|元宵|清明|端午|七夕|中秋|重阳|国庆|元旦|除夕|劳动节|儿童节|建党|建军|助残日|社工日|学雷锋"
)
ELEMENTS = (
    (
        "A02",
        "活动时间",
        re.compile(
            r"[0-9]{1,4}\s*[年月日号]|[〇零一二三四五六七八九十]{1,3}[月日号]|[上下中]午|晚上|傍晚|"
            r"近日|日前|近期|当天|当日|今年|去年|本月|周[一二三四五六日末]|星期[一二三四五六日天]|"
            rf"[0-9]{{1,2}}[:：][0-9]{{2}}|{_FESTIVALS}"
        ),
    ),
    (
        "A03",
        "活动地点",
        re.compile(
            r"[社小园辖片]区|街道|[乡镇村屯嘎苏]|广场|公园|学校|幼儿园|医院|中心|[站室馆院堂厅园场楼]|"
            r"家中|家里|基地|现场|线上|网上|云端"
        ),
    ),
    (
        "A04",
        "服务对象",
        re.compile(
            r"老年|老人|长者|儿童|少年|未成年|残疾|残障|妇女|困难|低保|特困|留守|居民|村民|牧民|"
            r"群众|家庭|服务对象|患者|病人|退役军人|学生|孩子|小朋友|独居|空巢|失能|失独|孤寡|"
            r"流动人口|新市民|务工|职工|市民|学员|家长|婴幼儿|孕产妇|受助|受益"
        ),
    ),
    (
        "A05",
        "参与人员",
        re.compile(
            r"社工|社会工作者|志愿者|义工|工作人员|党员|干部|专家|讲师|医生|护士|律师|老师|教师|"
            r"嘉宾|负责人|领导|书记|主任|局长|站长|理事长|代表|参与|参加|出席|[0-9]+\s*[名位人]"
        ),
    ),
)


def elements(doc, *, min_chars=MIN_CHARS, max_chars=MAX_CHARS):
    """Document-level findings, reported with an empty span at the start of the body."""
    if doc.kind != BRIEF:
        return
    at = doc.body_start
    body = doc.text[at:]
    length = len(_SPACE.sub("", body))
    if length < min_chars:
        yield finding(
            doc,
            "A01",
            at,
            at,
            f"篇幅过短：正文{length}字，简讯要求约{TARGET_CHARS}字（少于{min_chars}字）",
        )
    elif length > max_chars:
        yield finding(
            doc,
            "A01",
            at,
            at,
            f"篇幅过长：正文{length}字，简讯要求约{TARGET_CHARS}字（多于{max_chars}字）",
        )
    for code, name, pattern in ELEMENTS:
        if not pattern.search(doc.simple):
            yield finding(doc, code, at, at, f"要素不全：没有写明{name}")
