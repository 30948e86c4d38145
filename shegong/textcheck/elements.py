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
        "A04",
        "服务对象",
        re.compile(
            r"老年|老人|长者|儿童|少年|未成年|残疾|残障|妇女|困难|低保|特困|留守|居民|村民|牧民|"
            r"群众|家庭|服务对象|患者|病人|退役军人|学生|孩子|小朋友|独居|空巢|失能|失独|孤寡|"
            r"流动人口|新市民|务工|职工|工人|劳动者|考生|市民|学员|家长|婴幼儿|孕产妇|受助|受益"
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


# A place is *named*: a word of two or more characters before a place word (金佛山社区,
# 东城街道, 社区党群服务中心, 三楼活动室), an address (建设路18号, 3号楼), or a place that needs
# no name (家中, 线上). "社区" alone (社区志愿者, 走进社区, 辖区社区) names none.
_PLACE_WORDS = (
    "服务中心|服务站|活动中心|活动室|会议室|社区|小区|街道|嘎查|苏木|村|镇|乡|屯|广场|公园|学校|小学|中学|大学|幼儿园|医院|卫生院|"
    "养老院|敬老院|福利院|中心|馆|站|室|院|厅|礼堂|基地|驿站|之家|书屋|食堂|大厦|公寓|花园|"
    "楼|苑|园|庄"
)
_PLACE = re.compile(_PLACE_WORDS)
_ADDRESS = re.compile(
    r"[路街巷道弄里][0-9一二三四五六七八九十]+号|[0-9]+\s*(?:号楼|栋|单元|号院|楼|层)|"
    r"家中|家里|线上|网上|云端|直播间|田间地头|户外"
)
# The two characters before a place word that do not make it a name: a verb or preposition
# (走进社区, 深入社区), a determiner (各社区, 本社区) or a generic word (城乡社区, 服务中心).
_NOT_NAME_CHARS = frozenset("为在和与及的了对向把被给到于从各全本该每多这那其此进入走深回等个、")
_GENERIC = frozenset(
    [
        "所在",
        "辖区",
        "附近",
        "周边",
        "基层",
        "城乡",
        "农村",
        "城市",
        "各个",
        "多个",
        "一些",
        "相关",
        "服务",
        "和谐",
        "美丽",
        "幸福",
        "文明",
        "智慧",
        "平安",
        "绿色",
        "示范",
        "试点",
        "所有",
        "全体",
        "整个",
        "我们",
        "他们",
        "大家",
        "建设",
        "治理",
        "关爱",
        "友好",
        "老年",
        "儿童",
        "社会",
        "社工",
        "宜居",
        "熟人",
        "居住",
        "工作",
        "活动",
        "学习",
        "帮扶",
        "志愿",
        "慈善",
        "爱心",
        "公益",
        "指导",
        "管理",
        "救助",
        "新时代",
        "民政",
        "政府",
        "上级",
        "下级",
        "基层",
        "本地",
        "当地",
        "外地",
        "附近",
    ]
)


def names_place(text):
    """Whether the text names the place of the activity (see _PLACE)."""
    if _ADDRESS.search(text):
        return True
    for m in _PLACE.finditer(text):
        before = text[max(0, m.start() - 2) : m.start()]
        if len(before) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in before):
            continue
        if before in _GENERIC or any(c in _NOT_NAME_CHARS for c in before):
            continue
        return True
    return False


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
        if code == "A02" and not names_place(doc.simple):
            yield finding(
                doc, "A03", at, at, "要素不全：没有写明活动地点（场所、社区、街道或地址）"
            )


# Where the body of a run-on title starts: at the lead of a news brief (a date, 近日, 日前)
# when one comes before the first sentence end, else right after the first sentence end.
_LEAD = re.compile(
    r"(?:[0-9]{4}年)?[0-9]{1,2}月[0-9]{1,2}日|近日|日前|近期|今年以来|[0-9]{1,2}月以来|为(?:深入|进一步|切实|全面|推动|更好)"
)
_SENTENCE_END = re.compile("[。！？]")
_SHORTEST_TITLE = 6


def run_on_title(title):
    """The offset in `title` where a body that runs on after the headline starts, or None
    when the title holds no sentence (a headline alone)."""
    end = _SENTENCE_END.search(title)
    if not end:
        return None
    lead = _LEAD.search(title, _SHORTEST_TITLE, end.start())
    if lead:
        return lead.start()
    return end.end() if title[end.end() :].strip() else None


def run_on_finding(doc, at):
    message = "标题与正文连在一行：正文从此处开始，请另起一行"
    return finding(doc, "A06", at, at, message, "\n")
