"""The GB/T 9704 page builder: paper, grid, fonts by name, page numbers, the parts' layout."""

import io
from datetime import date

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from PIL import Image

from shegong.documents.gongwen import Gongwen, cn_date
from tests.documents.docx_xml import (
    NS,
    colophon,
    document,
    index,
    names,
    paragraph,
    part,
    run_fonts,
    texts,
    w,
)


def built():
    doc = Gongwen()
    doc.issuer_mark("内蒙古自治区民政厅")
    doc.doc_number("内民政慈社〔2030〕3号")
    doc.red_line()
    doc.title("关于组织开展社会工作主题宣传活动的通知")
    doc.addressee("各盟市民政局")
    doc.paragraph("现将有关事项通知如下：")
    doc.heading(1, "一、活动主题")
    doc.heading(2, "（一）精心组织实施。", "各级民政部门要高度重视。")
    doc.heading(3, "1.制定方案")
    doc.heading(4, "（1）细化措施")
    doc.table(["单位", "活动场次"], [["包头市民政局", 12]], widths=[120, 80])
    doc.attachment_list(["工作进展情况统计表", "宣传稿件要求"])
    doc.signature("内蒙古自治区民政厅", date(2030, 3, 1))
    doc.contact("联系人：张璐，联系电话：0471-6946872")
    doc.attachment_page(1, "工作进展情况统计表")
    doc.paragraph("附件正文")
    doc.colophon(
        copy_to="民政部慈善事业促进和社会工作司",
        printer="内蒙古自治区民政厅办公室",
        printed_on=date(2030, 3, 1),
    )
    return doc.bytes()


@pytest.fixture(scope="module")
def data():
    return built()


def test_the_page_is_a4_with_the_standard_margins(data):
    section = document(data).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_cn_date_spells_the_year_in_full_and_pads_nothing():
    assert cn_date(date(2022, 3, 1)) == "2022年3月1日"
    assert cn_date(date(2022, 11, 15)) == "2022年11月15日"
    assert cn_date(None) == ""


def test_every_run_names_its_east_asian_font_and_tracks_minus_a_quarter_point(data):
    body = part(data, "word/document.xml")
    runs = body.findall(".//w:r", NS)
    assert len(runs) > 20
    for run in runs:
        rpr = run.find("w:rPr", NS)
        fonts = rpr.find("w:rFonts", NS)
        assert fonts.get(w("eastAsia")) and fonts.get(w("eastAsia")) == fonts.get(w("ascii"))
        assert fonts.get(w("eastAsia")) == fonts.get(w("hAnsi"))
        tags = [child.tag for child in rpr]
        assert rpr.find("w:spacing", NS).get(w("val")) == "-5"
        # Before w:sz, as the schema orders them (after it, LibreOffice 7.4 crashed).
        assert tags.index(w("spacing")) < tags.index(w("sz"))


def test_body_lines_are_exactly_28_95_points_apart_and_indented_two_characters(data):
    doc = document(data)
    body = paragraph(doc, "现将有关事项通知如下：")
    fmt = body.paragraph_format
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing.pt == 28.95
    assert fmt.first_line_indent.pt == 32
    assert body.runs[0].font.size.pt == 16
    assert doc.styles.element.find(f".//{w('pPrDefault')}//{w('spacing')}").get(w("line")) == "579"


def test_fonts_and_sizes_of_title_and_heading_levels(data):
    doc = document(data)
    title = paragraph(doc, "关于组织开展社会工作主题宣传活动的通知")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22
    assert run_fonts(title.runs[0]) == ("方正小标宋简体",) * 3
    expected = {
        "一、活动主题": ("黑体", None),
        "（一）精心组织实施。": ("楷体_GB2312", None),
        "1.制定方案": ("仿宋_GB2312", True),
        "（1）细化措施": ("仿宋_GB2312", None),
    }
    for text, (font, bold) in expected.items():
        head = paragraph(doc, text).runs[0]
        assert run_fonts(head)[2] == font, text
        assert head.font.bold is bold and head.font.size.pt == 16
    rest = paragraph(doc, "（一）精心组织实施。").runs[1]
    assert rest.text == "各级民政部门要高度重视。" and run_fonts(rest)[2] == "仿宋_GB2312"


def test_the_mark_is_red_and_a_red_rule_runs_under_the_number(data):
    doc = document(data)
    mark = doc.paragraphs[0]
    assert mark.text == "内蒙古自治区民政厅"
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    assert run_fonts(mark.runs[0])[2] == "方正小标宋简体" and mark.runs[0].font.size.pt >= 22
    number = paragraph(doc, "内民政慈社〔2030〕3号")
    assert index(doc, number) == 3  # two blank lines below the mark
    rule = doc.paragraphs[4]._p.find(f".//{w('pBdr')}/{w('bottom')}")
    assert rule.get(w("color")) == "FF0000"
    title_at = texts(doc).index("关于组织开展社会工作主题宣传活动的通知")
    assert doc.paragraphs[7].text == texts(doc)[title_at]  # two blank lines below the rule


def test_odd_and_even_footers_carry_a_page_field_between_em_dashes(data):
    doc = document(data)
    settings = part(data, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.text == "— 1 —"
        assert footer._p.find(f".//{w('instrText')}").text.strip() == "PAGE"
        assert [c.get(w("fldCharType")) for c in footer._p.iter(w("fldChar"))] == [
            "begin",
            "separate",
            "end",
        ]
        assert {run_fonts(r)[2] for r in footer.runs} == {"宋体"}
        assert footer.runs[0].font.size.pt == 14
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and odd.paragraph_format.right_indent.pt == 14
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT and even.paragraph_format.left_indent.pt == 14


def test_fonts_are_named_not_embedded(data):
    assert not [n for n in names(data) if n.startswith("word/fonts/")]
    settings = part(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is None
    assert "docProps/thumbnail.jpeg" not in names(data)  # the template's English sample page


def test_several_attachments_are_numbered_and_their_lines_align(data):
    doc = document(data)
    first, second = paragraph(doc, "附件：1．"), paragraph(doc, "2．")
    assert first.text == "附件：1．工作进展情况统计表"
    assert second.text == "2．宣传稿件要求"
    one, two = first.paragraph_format, second.paragraph_format
    # Both names start at the same place, and wrapped lines align under them.
    assert one.left_indent == two.left_indent
    assert one.left_indent.pt + one.first_line_indent.pt == 32
    assert two.left_indent.pt + two.first_line_indent.pt == 32 + 48
    assert doc.paragraphs[index(doc, first) - 1].text == ""


def test_a_single_attachment_has_no_number():
    doc = Gongwen()
    doc.paragraph("正文")
    doc.attachment_list(["宣传稿件要求"])
    assert texts(document(doc.bytes()))[-1] == "附件：宣传稿件要求"


def test_signature_sits_two_characters_from_the_right_and_the_date_shifts_right(data):
    doc = document(data)
    name = [p for p in doc.paragraphs if p.text == "内蒙古自治区民政厅"][-1]
    day = paragraph(doc, "2030年3月1日")
    assert name.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert name.paragraph_format.right_indent.pt == 32
    # 9 characters of name; 2030年3月1日 is 6 wide (digits are half): it starts 2 right.
    assert day.paragraph_format.right_indent.pt == (9 - 6) * 16
    assert paragraph(doc, "（联系人：张璐").paragraph_format.first_line_indent.pt == 32


def test_an_attachment_page_starts_a_new_page_with_its_label(data):
    doc = document(data)
    label = paragraph(doc, "附件1")
    assert label.paragraph_format.page_break_before
    assert (
        run_fonts(label.runs[0])[2] == "黑体" and label.paragraph_format.first_line_indent is None
    )
    at = index(doc, label)
    assert doc.paragraphs[at + 2].text == "工作进展情况统计表"  # on line 3
    assert doc.paragraphs[at + 2].runs[0].font.size.pt == 22


def test_the_colophon_ends_the_document_in_four_hao_fangsong_between_rules(data):
    doc = document(data)
    assert colophon(doc) == [
        "抄送：民政部慈善事业促进和社会工作司。",
        "内蒙古自治区民政厅办公室\t2030年3月1日印发",
    ]
    table = doc.tables[-1]
    for row in table.rows:
        run = row.cells[0].paragraphs[0].runs[0]
        assert run.font.size.pt == 14 and run_fonts(run)[2] == "仿宋_GB2312"
        assert round(row.cells[0].width.mm) == 156
    rules = {b.tag.split("}")[1]: b for b in table._tbl.tblPr.find(w("tblBorders"))}
    assert rules["top"].get(w("sz")) == rules["bottom"].get(w("sz")) == "8"  # 0.35 mm
    assert rules["insideH"].get(w("sz")) == "6"  # thinner between
    assert rules["left"].get(w("val")) == rules["right"].get(w("val")) == "nil"
    copy_to = table.cell(0, 0).paragraphs[0].paragraph_format
    assert copy_to.left_indent.pt + copy_to.first_line_indent.pt == 14  # one character in
    printed = table.cell(1, 0).paragraphs[0].paragraph_format
    # The date ends one character before the right edge of the type area.
    assert printed.tab_stops[0].position.pt == pytest.approx(156 / 25.4 * 72 - 14, abs=0.1)


def test_a_table_fits_the_type_area_in_four_hao_with_a_bold_header(data):
    doc = document(data)
    table = doc.tables[0]
    widths = [cell.width.mm for cell in table.rows[0].cells]
    assert sum(widths) == pytest.approx(156, abs=0.5)  # 120 + 80 mm scaled down
    head, cell = table.cell(0, 0).paragraphs[0].runs[0], table.cell(1, 1).paragraphs[0].runs[0]
    assert head.bold and head.font.size.pt == 14 and cell.font.size.pt == 14
    assert run_fonts(cell)[2] == "仿宋_GB2312" and cell.text == "12"


def test_a_picture_is_14_cm_wide_and_not_cropped_by_the_exact_line():
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 20, 30)).save(out, format="PNG")
    doc = Gongwen()
    doc.picture(out.getvalue(), "义诊现场")
    read = document(doc.bytes())
    assert round(read.inline_shapes[0].width.cm) == 14
    holder = read.paragraphs[0]
    assert holder.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    caption = read.paragraphs[1]
    assert caption.text == "义诊现场" and run_fonts(caption.runs[0])[2] == "楷体_GB2312"
    assert caption.runs[0].font.size.pt == 14
