"""A brief as the Word file a magazine or site editor expects: title, unit and date, body,
then each picture with its caption beneath, on A4 with the margins and type sizes of
official documents (GB/T 9704: 2号小标宋 title, 3号仿宋 body, 28 pt lines)."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TITLE_FONT, BODY_FONT, CAPTION_FONT = "方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"


def _run(paragraph, text, font, size, bold=False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _spacing(paragraph, line=28):
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line)
    fmt.space_before = fmt.space_after = Pt(0)


def brief_docx(article, photos):
    """The .docx bytes of `article`; `photos` are its ArticlePhoto rows in order."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(title, 36)
    _run(title, article.title, TITLE_FONT, 22)

    when = timezone.localtime(article.published_at or article.updated_at)
    byline = doc.add_paragraph()
    byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(byline)
    _run(byline, f"{article.unit.name}　{when.year}年{when.month}月{when.day}日", CAPTION_FONT, 14)
    doc.add_paragraph()

    for text in (line.strip() for line in article.body.splitlines()):
        if not text:
            continue
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 3号
        _spacing(paragraph)
        _run(paragraph, text, BODY_FONT, 16)

    for photo in photos:
        with photo.image.open("rb") as f:
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(f.read()), width=Cm(14))
        if photo.caption:
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(caption)
            _run(caption, photo.caption, CAPTION_FONT, 14)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
