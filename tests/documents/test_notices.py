"""A notice as its GB/T 9704 Word file: red head, 文号, numbered parts, attachments,
signature and colophon; a 转发 as the forwarding unit's cover over the parent's text."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from shegong.campaigns import services as campaign_services
from shegong.campaigns.models import Notice, NoticeRecipient
from shegong.documents.gongwen import cn_date
from shegong.documents.notices import notice_docx
from tests.documents.docx_xml import colophon, document, index, paragraph, run_fonts, texts, w
from tests.factories import make_notice

pytestmark = pytest.mark.django_db

TITLE = "关于组织开展社会工作主题宣传活动的通知"
SECTIONS = [
    {
        "heading": "三、有关要求",
        "text": "（一）精心组织实施。各级民政部门要高度重视。\n"
        "1.制定活动方案。\n"
        "（1）细化工作措施\n"
        "请于4月5日前报送活动总结。",
    }
]


def notice_in(world, sections=SECTIONS, issue=True, **fields):
    """An issued notice of the region to 包头, written with sections (make_notice has none)."""
    notice = make_notice(
        world.region,
        "内民政慈社[2030]第05号",
        units=[world.city],
        addressee_text="各盟市民政局，满洲里市、二连浩特市民政局",
        theme="五社联动聚合力 社工服务暖基层",
        goals="团结带领广大社会工作者……",
        **fields,
    )
    campaign_services.save_draft(
        issuer=world.region,
        by=None,
        notice=notice,
        fields={},
        doc_number=notice.doc_number,
        sections=sections,
        rules={"units": [world.city]},
    )
    if issue:
        campaign_services.issue_notice(notice=notice, by=None)
    return Notice.objects.get(pk=notice.pk)


def read(notice):
    return document(notice_docx(notice))


def test_the_head_carries_the_red_mark_the_normalised_number_and_the_title(world):
    doc = read(notice_in(world))
    mark = doc.paragraphs[0]
    assert mark.text == "内蒙古自治区民政厅" and str(mark.runs[0].font.color.rgb) == "FF0000"
    # Typed as [2030]第05号: printed with 六角括号 and no padding or 第.
    number = paragraph(doc, "内民政慈社")
    assert number.text == "内民政慈社〔2030〕5号"
    assert run_fonts(number.runs[0])[2] == "仿宋_GB2312" and number.runs[0].font.size.pt == 16
    rule = doc.paragraphs[index(doc, number) + 1]._p.find(f".//{w('pBdr')}/{w('bottom')}")
    assert rule.get(w("color")) == "FF0000"
    title = paragraph(doc, TITLE)
    assert run_fonts(title.runs[0]) == ("方正小标宋简体",) * 3
    assert title.runs[0].font.size.pt == 22
    assert texts(doc)[3] == "各盟市民政局，满洲里市、二连浩特市民政局："


def test_parts_are_numbered_afresh_and_numbered_lines_become_headings(world):
    doc = read(notice_in(world))
    body = texts(doc)
    start = body.index("现将有关事项通知如下：")
    heads = [t for t in body[start:] if t[:2] in ("一、", "二、", "三、", "四、")]
    # Stored as “三、有关要求”: it follows three fixed parts, so it prints as 四.
    assert heads == ["一、活动主题", "二、活动目标", "三、活动时间", "四、有关要求"]
    assert "2030年3月17日至31日。" in body
    level2 = paragraph(doc, "（一）精心组织实施。")
    assert [r.text for r in level2.runs] == ["（一）精心组织实施。", "各级民政部门要高度重视。"]
    assert [run_fonts(r)[2] for r in level2.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    assert paragraph(doc, "1.制定活动方案。").runs[0].font.bold
    level4 = paragraph(doc, "（1）细化工作措施").runs[0]
    assert run_fonts(level4)[2] == "仿宋_GB2312" and not level4.font.bold
    plain = paragraph(doc, "请于4月5日前报送活动总结。")
    assert plain.paragraph_format.first_line_indent.pt == 32
    assert plain.paragraph_format.line_spacing.pt == 28.95
    assert run_fonts(paragraph(doc, "一、活动主题").runs[0])[2] == "黑体"


def test_the_date_is_the_signed_date_unpadded_in_signature_and_colophon(world):
    doc = read(notice_in(world, signed_date=date(2030, 3, 1)))
    body = texts(doc)
    assert "2030年3月1日" in body and not any("03月" in t or "月01日" in t for t in body)
    assert colophon(doc) == ["内蒙古自治区民政厅\t2030年3月1日印发"]
    assert body[body.index("2030年3月1日") - 1] == "内蒙古自治区民政厅"


def test_without_a_signed_date_the_issue_day_is_printed(world):
    notice = notice_in(world)
    doc = read(notice)
    day = cn_date(timezone.localdate(notice.issued_at))
    assert day in texts(doc) and colophon(doc) == [f"内蒙古自治区民政厅\t{day}印发"]


def test_attachments_are_listed_by_name_without_extension_or_number(world):
    notice = notice_in(world, issue=False)
    for name in ["附件1. 工作进展情况统计表.xlsx", "宣传稿件要求.docx"]:
        upload = SimpleUploadedFile(name, b"PK\x03\x04 not really")
        campaign_services.add_attachment(notice=notice, upload=upload, by=None)
    body = texts(read(notice))
    at = body.index("附件：1．工作进展情况统计表")
    assert body[at + 1] == "2．宣传稿件要求"


def test_an_undecided_number_leaves_an_empty_line_above_the_red_line(world):
    notice = make_notice(world.region, title=TITLE)
    doc = read(notice)
    assert doc.paragraphs[3].text == ""
    assert doc.paragraphs[4]._p.find(f".//{w('pBdr')}") is not None
    assert not any("〔" in t for t in texts(doc))


def test_the_contact_line_is_a_note_under_the_date(world):
    doc = read(notice_in(world, contact_person="张璐", contact_phone="0471-6946872"))
    assert "（联系人：张璐，联系电话：0471-6946872）" in texts(doc)


def _forward(parent, unit, **fields):
    """转发 by `unit`, with a number of its own and the given changes."""
    recipient = NoticeRecipient.objects.get(notice=parent, unit=unit)
    derived = campaign_services.derive_notice(parent=parent, recipient=recipient, by=None)
    copied = [{"heading": s.heading, "text": s.text} for s in derived.sections.all()]
    sections = fields.pop("sections", copied)
    rules = fields.pop("rules", {})
    number = fields.pop("doc_number")
    return campaign_services.save_draft(
        issuer=unit,
        by=None,
        notice=derived,
        fields=fields,
        doc_number=number,
        sections=sections,
        rules=rules,
    )


def test_a_forwarded_notice_prints_the_transmittal_title_and_first_paragraph(world):
    parent = notice_in(world, signed_date=date(2030, 3, 1))
    derived = _forward(
        parent,
        world.city,
        doc_number="包民发〔2030〕2号",
        addressee_text="各旗县区民政局",
        window_end=date(2030, 4, 10),
        sections=[],  # dropped: a forwarding unit cannot lift the region's requirement
        contact_person="王芳",
    )
    doc = read(derived)
    body = texts(doc)
    assert doc.paragraphs[0].text == "包头市民政局"
    quoted = "内蒙古自治区民政厅关于组织开展社会工作主题宣传活动的通知"
    assert body[2] == f"关于转发《{quoted}》的通知"
    assert body[3] == "各旗县区民政局："
    assert (
        body[4] == f"现将《{quoted}》（内民政慈社〔2030〕5号）转发给你们，请结合实际认真贯彻落实。"
    )
    assert body[5:8] == [
        "结合实际，现就有关事项补充通知如下：",
        "一、活动时间",
        "2030年3月17日至4月10日。",
    ]
    assert "有关要求" not in "".join(body[: body.index("（联系人：王芳）")])
    # The parent follows on a page of its own, as part of the body, not as an 附件.
    page = paragraph(doc, TITLE)
    assert page.paragraph_format.page_break_before
    assert doc.paragraphs[index(doc, page) + 1].text == "内民政慈社〔2030〕5号"
    assert "四、有关要求" in body and "2030年3月1日" in body
    assert not any(t.startswith("附件") for t in body)
    # A draft has no date yet: the colophon names the printer alone.
    assert colophon(doc) == ["包头市民政局"]


def test_a_chain_of_forwards_nests_the_quoted_titles(world):
    parent = notice_in(world)
    city = _forward(
        parent, world.city, doc_number="包民发〔2030〕2号", rules={"units": [world.district]}
    )
    city = campaign_services.issue_notice(notice=city, by=None)
    district = _forward(city, world.district, doc_number="东民发〔2030〕1号")
    body = texts(read(district))
    inner = "包头市民政局关于转发〈内蒙古自治区民政厅关于组织开展社会工作主题宣传活动的通知〉的通知"
    assert body[2] == f"关于转发《{inner}》的通知"
    forwarded_titles = [t for t in body if t.startswith("关于转发") or t == TITLE]
    middle = "关于转发《内蒙古自治区民政厅关于组织开展社会工作主题宣传活动的通知》的通知"
    assert forwarded_titles == [body[2], middle, TITLE]


def test_a_retitled_re_issue_cites_its_parent_and_prints_its_own_text(db):
    call_command("seed_demo", quiet=True)
    notice = Notice.objects.get(doc_prefix="南川民发", doc_year=2023, doc_serial=10)
    doc = read(notice)
    body = texts(doc)
    assert body[2] == "关于开展第七届巴渝社会工作宣传周活动的通知"
    assert body[4] == (
        "按照《重庆市民政局办公室关于举办第七届巴渝社会工作宣传周活动的通知》（渝民办〔2023〕33号）"
        "要求，现将有关事项通知如下："
    )
    assert "四、活动内容" in body and "五、活动要求" in body
    assert "2023年3月21日至31日。" in body and "2023年3月7日" in body
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)


def test_an_enumeration_in_the_seed_stays_body_text_and_real_headings_use_kai(db):
    call_command("seed_demo", quiet=True)
    doc = read(Notice.objects.get(doc_prefix="内民政慈社", doc_year=2022, doc_serial=3))
    body = texts(doc)
    assert "四、宣传内容" in body  # stored as 三、: renumbered after 主题, 目标, 时间
    item = paragraph(doc, "（一）社会工作基本知识").runs[0]
    assert run_fonts(item)[2] == "仿宋_GB2312"
    heading = paragraph(doc, "（一）积极联动各类媒体资源。").runs[0]
    assert run_fonts(heading)[2] == "楷体_GB2312"
    assert "（联系人：张璐，联系电话：0471-6946872，电子邮箱：mz6946872@163.com）" in body


def test_every_demo_notice_names_east_asian_fonts_on_every_run(db):
    call_command("seed_demo", quiet=True)
    for notice in Notice.objects.all():
        doc = read(notice)
        runs = [r for p in doc.paragraphs for r in p.runs if r.text]
        assert runs, notice
        for run in runs:
            ascii_, hansi, east = run_fonts(run)
            assert east in {"方正小标宋简体", "仿宋_GB2312", "楷体_GB2312", "黑体"}, run.text
            assert ascii_ == hansi == east
