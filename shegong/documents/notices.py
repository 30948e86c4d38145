"""A notice as the Word file a bureau prints and files: the GB/T 9704 red-head layout of
gongwen.Gongwen filled from a Notice.

What a clerk will find, in order:
- 发文机关标志: the issuer's name in red, without “文件”. Our notices are 通知 and 函 sent
  down a campaign's chain; the seeds' own heads read “内蒙古自治区民政厅” and “重庆市南川区民
  政局” alone, and nothing in a Notice says the issuer used its 文件 template.
- 文号 as recorded (民办函〔2022〕5号); an undecided number leaves its line empty, to be
  filled in by hand, so the red line stays where it will be.
- 正文: “现将有关事项通知如下：”, then 一、活动主题, 二、活动目标, 三、活动时间 and each
  section, numbered on afresh. Section headings are stored with the ordinal the drafter
  typed (“四、活动内容”, or “三、宣传内容” where a re-issue merged two parts); the printed
  numbers are recomputed so they run without a gap. Inside a section, a line starting
  （一）, 1. or （1） is a level 2, 3 or 4 heading whose first sentence is set in the
  heading face and the rest of the line in body type — except a run of items that end
  in “；”, which is an enumeration (活动内容 （一）…；（二）…；) and stays body text.
- 附件说明 with the attachment names, without file extensions, “附件2.” prefixes or end
  punctuation (§7.3.4); 落款 and 成文日期 (the signed date, else the day it was issued);
  the contact line as 附注; the 版记 with the issuer as 印发机关 and the same date + 印发.
- Reporting periods and quotas are not printed: the drafter writes them into the
  sections' text; the platform's copy of them is for reminders and counting.

A re-issued notice (notice.parent set) is printed in one of two shapes, as bureaus do:
- 转发 (the title is still the parent's, as 转发 leaves it): titled “关于转发《{parent}》
  的通知”, where {parent} is the parent's printed title with its issuer's name put in
  front when it starts with 关于. The body opens “现将《…》（文号）转发给你们，请结合实际
  认真贯彻落实。”; what the forwarding unit changed follows as “结合实际，现就有关事项补充
  通知如下：” with one numbered part per changed item (campaigns.diff). A section the
  unit dropped is not printed as cancelled: a forwarding unit cannot lift a superior's
  requirement, and the parent's full text goes with the document. That text comes after
  the forwarding unit's 落款, on a new page, with its own title, 文号 and 落款. It is not
  labelled 附件 nor listed in 附件说明: a forwarded document is part of the body
  (被转发的文件是正文的组成部分，不作附件标注). A chain of 转发 nests the same way.
- 依据 (the unit retitled it and wrote its own notice on the parent's basis, as every
  re-issue in the seeds does): its own title and full body, opened by “按照《…》（文号）
  要求，现将有关事项通知如下：”. The parent is cited, not reprinted.
Whoever may see a forwarded notice gets the parent's text in it: forwarding is exactly
passing that text down the chain.
"""

import re

from django.utils import timezone

from shegong.campaigns.diff import notice_diff
from shegong.campaigns.services import ALLOWED_ATTACHMENTS

from .gongwen import Gongwen, cn_date

DIGITS = "零一二三四五六七八九"
_ORDINAL = re.compile(r"^[一二三四五六七八九十百]+[、.．]\s*")
_LEVELS = [
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (4, re.compile(r"^[（(]\d+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
]
_ATTACHMENT_PREFIX = re.compile(r"^附件\s*\d*\s*[.．、:：]?\s*")
# Parts of a re-issue that the cover page already shows in its own place.
_NOT_ADDITIONS = {"文号", "标题", "发文单位", "主送", "联系人", "成文日期"}


def cn_number(n):
    """一 … 九十九: the ordinals of 一、 headings."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def _window(notice):
    start, end = notice.window_start, notice.window_end
    if (start.year, start.month) == (end.year, end.month):
        until = f"{end.day}日"
    elif start.year == end.year:
        until = f"{end.month}月{end.day}日"
    else:
        until = cn_date(end)
    return f"{cn_date(start)}至{until}。"


def _date(notice):
    if notice.signed_date:
        return notice.signed_date
    return timezone.localdate(notice.issued_at) if notice.issued_at else None


def _forwards(notice):
    """转发 rather than 依据: the re-issue kept the parent's title."""
    parent = notice.parent
    return parent is not None and notice.title.strip() == parent.title.strip()


def printed_title(notice):
    if not _forwards(notice):
        return notice.title
    return f"关于转发《{_quoted(notice.parent)}》的通知"


def _quoted(notice):
    """How another document names this one inside 《》: with its issuer in front when its
    title starts with 关于, inner 《》 turned to 〈〉 (GB/T 15834)."""
    title = printed_title(notice)
    if title.startswith("关于"):
        title = notice.issuer.name + title
    return title.replace("《", "〈").replace("》", "〉")


def _cited(notice):
    return f"《{_quoted(notice)}》" + (f"（{notice.doc_number}）" if notice.doc_number else "")


def _attachment_name(name):
    name = _ATTACHMENT_PREFIX.sub("", name.strip())
    if name.lower().endswith(ALLOWED_ATTACHMENTS):
        name = name.rsplit(".", 1)[0]
    return name.rstrip("。；;，,.． ")


def _write_text(doc, text):
    """A section's text: numbered lines become headings, the rest body paragraphs."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    levels = []
    for line in lines:
        levels.append(next((level for level, p in _LEVELS if p.match(line)), None))
    enumerated = {
        level for line, level in zip(lines, levels, strict=True) if level and line[-1] in "；;"
    }
    for line, level in zip(lines, levels, strict=True):
        if level is None or level in enumerated:
            doc.paragraph(line)
            continue
        head, stop, rest = line.partition("。")
        doc.heading(level, head + stop, rest)


def _write_parts(doc, parts):
    for i, (heading, text) in enumerate(parts, start=1):
        doc.heading(1, f"{cn_number(i)}、{_ORDINAL.sub('', heading)}")
        _write_text(doc, text)


def _own_parts(notice):
    parts = []
    if notice.theme:
        parts.append(("活动主题", notice.theme))
    if notice.goals:
        parts.append(("活动目标", notice.goals))
    parts.append(("活动时间", _window(notice)))
    parts += [(s.heading, s.text) for s in notice.sections.all()]
    return parts


def _additions(notice):
    """What a 转发 adds to its parent, one part per changed item, in the parent's order."""
    fresh = {"活动主题": notice.theme, "活动目标": notice.goals, "活动时间": _window(notice)}
    parts = []
    for label, _old, new in notice_diff(notice.parent, notice):
        if label in _NOT_ADDITIONS or new == "—":
            continue
        heading = label.removeprefix("正文：")
        parts.append((heading, fresh.get(label, new)))
    return parts


def _contact(notice):
    items = [
        f"联系人：{notice.contact_person}" if notice.contact_person else "",
        f"联系电话：{notice.contact_phone}" if notice.contact_phone else "",
        f"电子邮箱：{notice.contact_email}" if notice.contact_email else "",
    ]
    return "，".join(i for i in items if i)


def _write_notice(doc, notice):
    """Everything from 主送 to 附注; then, for a 转发, the forwarded text on a new page."""
    if notice.addressee_text:
        doc.addressee(notice.addressee_text)
    forwards = _forwards(notice)
    if forwards:
        doc.paragraph(f"现将{_cited(notice.parent)}转发给你们，请结合实际认真贯彻落实。")
        additions = _additions(notice)
        if additions:
            doc.paragraph("结合实际，现就有关事项补充通知如下：")
            _write_parts(doc, additions)
    else:
        basis = f"按照{_cited(notice.parent)}要求，" if notice.parent_id else ""
        doc.paragraph(f"{basis}现将有关事项通知如下：")
        _write_parts(doc, _own_parts(notice))
    doc.attachment_list([_attachment_name(a.name) for a in notice.attachments.all()])
    doc.signature(notice.issuer.name, _date(notice))
    if contact := _contact(notice):
        doc.contact(contact)
    if forwards:
        parent = notice.parent
        doc.page_break()
        doc.title(printed_title(parent))
        if parent.doc_number:
            doc.doc_number(parent.doc_number)
        _write_notice(doc, parent)


def compose(doc, notice):
    """Write `notice` onto `doc`: a Gongwen for the .docx, or blocks.Blocks for the print
    view, so that both say the same."""
    doc.issuer_mark(notice.issuer.name)
    doc.doc_number(notice.doc_number)
    doc.red_line()
    doc.title(printed_title(notice))
    _write_notice(doc, notice)
    doc.colophon(printer=notice.issuer.name, printed_on=_date(notice))
    return doc


def notice_docx(notice):
    """The .docx bytes of `notice` in the GB/T 9704 layout (see the module docstring)."""
    return compose(Gongwen(), notice).bytes()
