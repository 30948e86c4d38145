"""GB/T 9704-2012 pages on python-docx: the one builder behind every Word export, so that
notices, summaries and briefs cannot drift apart in paper, fonts, line pitch or page numbers.

Fonts are written by name only, never embedded: 方正小标宋简体, 仿宋_GB2312 and 楷体_GB2312
are licensed products that office PCs in the bureaus already have, and we may not
redistribute them (research/china-conventions.md §1.3).
"""

import io
import numbers

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"

SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 二号, 三号, 四号 in points
MARK_SIZES = (36, 26, 22)  # 小初, 一号, 二号: the largest that keeps the mark on one line
RED = RGBColor(0xFF, 0x00, 0x00)

TYPE_WIDTH_MM = 156  # 版心 156 × 225 mm (§5.2.1)
TYPE_WIDTH_PT = TYPE_WIDTH_MM / 25.4 * 72
# 225 mm ÷ 22 lines; exact, not "at least", so Word and WPS both keep 22 lines a page.
LINE = Pt(28.95)
# −0.25 pt after every character: 28 × 16 pt = 448 pt is wider than 156 mm = 442.2 pt, so
# without it LibreOffice sets 27 characters a line instead of 28. Twentieths of a point.
TRACKING = "-5"
CHAR = SIZE_3  # one 3号 character, in points: indents are counted in characters

LEVEL_FONTS = {1: (HEITI, False), 2: (KAITI, False), 3: (FANGSONG, True), 4: (FANGSONG, False)}
# What follows w:pBdr inside w:pPr (ECMA-376 order, which Word enforces).
_PPR_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
# The order of w:tblPr's children, from w:tblW on.
_TBLPR_ORDER = (
    "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
    "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange",
)  # fmt: skip
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u")


def cn_date(day):
    """2022年3月1日: the year in full, month and day unpadded (§7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _width(text):
    """Width in 3号 characters: digits and Latin letters are half-width in these fonts."""
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


def _set_fonts(rpr, font):
    # w:eastAsia is what Word and WPS use for Chinese; ascii/hAnsi only cover Latin.
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _set_tracking(rpr):
    spacing = rpr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        # Schema order matters: w:spacing after w:sz made LibreOffice 7.4 crash.
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)
    spacing.set(qn("w:val"), TRACKING)


def _border(paragraph, edge, size, color="000000"):
    """A paragraph border line; `size` in eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_PPR_AFTER_BORDERS)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _rules(tblPr):
    """版记 rules on a one-column table: thick above and below, thin between, no sides;
    no cell margins, so the rules run exactly across the type area."""
    width = OxmlElement("w:tblW")
    borders = OxmlElement("w:tblBorders")
    for edge, size in [("top", 8), ("left", 0), ("bottom", 8), ("right", 0), ("insideH", 6)]:
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if size else "nil")
        if size:  # eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.26 mm
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), "000000")
        borders.append(line)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), "0")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    old = tblPr.find(qn("w:tblW"))
    if old is not None:
        tblPr.remove(old)
    width.set(qn("w:w"), str(round(TYPE_WIDTH_PT * 20)))
    width.set(qn("w:type"), "dxa")
    for element in (width, borders, margins):
        name = element.tag.replace(qn("w:"), "w:")
        tblPr.insert_element_before(element, *_TBLPR_ORDER[_TBLPR_ORDER.index(name) + 1 :])


class Gongwen:
    """One document: call the parts in reading order, then `bytes()`."""

    def __init__(self):
        self.doc = Document()
        self._last = None  # the part just written: some parts keep blank lines after others
        self._new_page = False
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # The page number sits 7 mm below the type area (§7.5): 35 − 7 − one 4号 line.
        section.footer_distance = Mm(23)
        section.header_distance = Mm(15)
        self._defaults()
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._page_number(section.footer.paragraphs[0], odd=True)
        self._page_number(section.even_page_footer.paragraphs[0], odd=False)
        props = self.doc.core_properties
        props.author = props.last_modified_by = props.comments = ""
        # python-docx's template carries a thumbnail of an English sample page, which
        # Explorer would show as the preview of every file we make.
        rels = self.doc.part.package.rels
        for key in [k for k, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
            rels.pop(key)

    def _defaults(self):
        """仿宋 3号 on the 28.95 pt grid for anything typed later into the file in Word."""
        styles = self.doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, FANGSONG)
        rpr.find(qn("w:sz")).set(qn("w:val"), str(SIZE_3 * 2))
        rpr.find(qn("w:szCs")).set(qn("w:val"), str(SIZE_3 * 2))
        rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
        ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        spacing = ppr.find(qn("w:spacing"))
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), str(round(LINE.pt * 20)))
        spacing.set(qn("w:lineRule"), "exact")
        # The template says ja-JP, which makes Word pick Japanese theme fonts.
        self.doc.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")

    # -- building blocks -------------------------------------------------------------

    def _paragraph(self, align=None, first_line=0, left=0, right=0, line=LINE):
        paragraph = self._format(self.doc.add_paragraph(), align, first_line, left, right, line)
        if self._new_page:
            paragraph.paragraph_format.page_break_before, self._new_page = True, False
        return paragraph

    def _format(self, paragraph, align=None, first_line=0, left=0, right=0, line=LINE):
        fmt = paragraph.paragraph_format
        if align is not None:
            paragraph.alignment = align
        if line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = line
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(first_line) if first_line else None
        fmt.left_indent = Pt(left) if left else None
        fmt.right_indent = Pt(right) if right else None
        return paragraph

    def _run(self, paragraph, text, font=FANGSONG, size=SIZE_3, bold=False, color=None):
        run = paragraph.add_run(text)
        run.font.name = font
        run.font.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        run.font.size = Pt(size)
        rpr = run._r.get_or_add_rPr()
        _set_fonts(rpr, font)
        _set_tracking(rpr)
        return run

    def _field(self, paragraph, instruction, shown, font, size):
        """A Word field (PAGE…) showing `shown` until Word or WPS updates it."""

        def mark(kind):
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            self._run(paragraph, "", font, size)._r.append(char)

        mark("begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        self._run(paragraph, "", font, size)._r.append(instr)
        mark("separate")
        self._run(paragraph, shown, font, size)
        mark("end")

    def _page_number(self, paragraph, odd):
        """— 1 — in 4号宋体: odd pages right and even pages left, one character in (§7.5)."""
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if odd:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Pt(SIZE_4)
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt.left_indent = Pt(SIZE_4)
        self._run(paragraph, "— ", SONGTI, SIZE_4)
        self._field(paragraph, "PAGE", "1", SONGTI, SIZE_4)
        self._run(paragraph, " —", SONGTI, SIZE_4)

    def blank(self, lines=1):
        """Empty lines on the grid (the standard counts distances in lines)."""
        for _ in range(lines):
            self._run(self._paragraph(), "")
        self._last = "blank"

    def page_break(self):
        """Start a new page; the next part is written at its top."""
        # Carried by the next paragraph, so no empty line is left at the top of the page.
        self._new_page = True
        self._last = "page"

    # -- the parts of a 公文, in reading order ------------------------------------------

    def issuer_mark(self, text):
        """发文机关标志: red 小标宋, centred, 35 mm below the top of the type area (§7.2.2)."""
        size = next((s for s in MARK_SIZES if _width(text) * s <= TYPE_WIDTH_PT), MARK_SIZES[-1])
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, line=Pt(size * 1.2))
        paragraph.paragraph_format.space_before = Mm(35)
        self._run(paragraph, text, XIAOBIAOSONG, size, color=RED)
        self._last = "mark"

    def doc_number(self, text):
        """文号, centred, two lines below the mark (§7.2.4). Empty text keeps its line, so
        the red line does not move when the number is filled in by hand."""
        if self._last == "mark":
            self.blank(2)
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        self._run(paragraph, text or "")
        self._last = "number"

    def red_line(self):
        """The red separator 4 mm under the 文号, as wide as the type area (§7.2.6)."""
        paragraph = self._paragraph(line=Mm(4))
        self._run(paragraph, "", size=2)
        _border(paragraph, "bottom", 12, "FF0000")
        self._last = "red_line"

    def title(self, text):
        """标题: 2号小标宋, centred, two lines below the red line (§7.3.1)."""
        if self._last == "red_line":
            self.blank(2)
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER)
        self._run(paragraph, text, XIAOBIAOSONG, SIZE_2)
        if not self.doc.core_properties.title:
            self.doc.core_properties.title = text
        self._last = "title"

    def addressee(self, text):
        """主送机关: one line below the title, flush left, ending in a full-width colon."""
        if self._last in ("title", "number"):
            self.blank()
        text = text.strip().rstrip(":：")
        self._run(self._paragraph(), f"{text}：")
        self._last = "addressee"

    def heading(self, level, text, rest=""):
        """一、 黑体 / （一） 楷体 / 1. 仿宋 bold / （1） 仿宋, indented two characters. `rest`
        continues the same line in body type, as in “（一）精心组织实施。各级民政部门……”."""
        font, bold = LEVEL_FONTS[level]
        paragraph = self._paragraph(first_line=2 * CHAR)
        self._run(paragraph, text, font, SIZE_3, bold=bold)
        if rest:
            self._run(paragraph, rest)
        self._last = "heading"

    def paragraph(self, text, indent=True):
        """Body text, 3号仿宋, the first line indented two characters."""
        self._run(self._paragraph(first_line=2 * CHAR if indent else 0), text)
        self._last = "paragraph"

    def caption(self, text):
        """A centred 4号楷体 line: a picture's caption, or a brief's unit and date."""
        self._run(self._paragraph(WD_ALIGN_PARAGRAPH.CENTER), text, KAITI, SIZE_4)
        self._last = "caption"

    def table(self, header, rows, widths=None):
        """A bordered grid in 4号仿宋, header bold and repeated on every page; `widths` in
        mm, scaled down to the 156 mm type area when they add up to more."""
        columns = len(header)
        widths = list(widths or [TYPE_WIDTH_MM / columns] * columns)
        if sum(widths) > TYPE_WIDTH_MM:
            widths = [w * TYPE_WIDTH_MM / sum(widths) for w in widths]
        if self._new_page:
            self._paragraph(line=Pt(1))  # a table cannot carry the page break itself
        table = self.doc.add_table(rows=1 + len(rows), cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for i, values in enumerate([header, *rows]):
            row = table.rows[i]
            if i == 0:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for j, value in enumerate(values):
                cell = row.cells[j]
                cell.width = Mm(widths[j])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                number = isinstance(value, numbers.Number)
                centre = i == 0 or number
                paragraph = self._format(
                    cell.paragraphs[0],
                    WD_ALIGN_PARAGRAPH.CENTER if centre else WD_ALIGN_PARAGRAPH.LEFT,
                    line=Pt(SIZE_4 * 1.5),
                )
                text = "" if value is None else str(value)
                self._run(paragraph, text, FANGSONG, SIZE_4, bold=i == 0)
        self._last = "table"
        return table

    def picture(self, data, caption=""):
        """An image 14 cm wide, centred, with its caption beneath in 4号楷体."""
        # Single line spacing: an exact 28.95 pt line would crop the picture to one line.
        paragraph = self._paragraph(WD_ALIGN_PARAGRAPH.CENTER, line=None)
        paragraph.add_run().add_picture(io.BytesIO(data), width=Cm(14))
        self._last = "picture"
        if caption:
            self.caption(caption)

    def attachment_list(self, names):
        """附件说明 (§7.3.4): one blank line below the body, two characters in; several
        attachments are numbered “1．” and every line of every name aligns after “附件：”."""
        names = [n for n in names if n]
        if not names:
            return
        self.blank()
        label = 3 * CHAR  # 附件：
        if len(names) == 1:
            paragraph = self._paragraph(first_line=-label, left=2 * CHAR + label)
            self._run(paragraph, f"附件：{names[0]}")
        else:
            for number, name in enumerate(names, start=1):
                ordinal = f"{number}．"
                hang = _width(ordinal) * CHAR
                left = 2 * CHAR + label + hang
                first = -(label + hang) if number == 1 else -hang
                paragraph = self._paragraph(first_line=first, left=left)
                self._run(paragraph, f"{'附件：' if number == 1 else ''}{ordinal}{name}")
        self._last = "attachments"

    def signature(self, issuer, day):
        """落款 and 成文日期 without a seal (§7.3.5.2): one blank line below, the name two
        characters from the right, the date on the next line starting two characters
        right of the name; a date longer than that pushes the name left instead."""
        self.blank()
        date = cn_date(day)
        name_w, date_w = _width(issuer), _width(date)
        if name_w >= date_w + 2:
            name_right, date_right = 2, name_w - date_w
        else:
            name_right, date_right = date_w + 4 - name_w, 2
        name = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT, right=name_right * CHAR)
        self._run(name, issuer)
        if date:
            line = self._paragraph(WD_ALIGN_PARAGRAPH.RIGHT, right=date_right * CHAR)
            self._run(line, date)
        self._last = "signature"

    def contact(self, text):
        """附注 (§7.3.6): the line under the date, two characters in, in parentheses."""
        text = text.strip()
        if not text.startswith("（"):
            text = f"（{text}）"
        self.paragraph(text)
        self._last = "contact"

    def colophon(self, copy_to="", printer="", printed_on=None):
        """版记 (§7.4): 抄送 and 印发机关/印发日期 in 4号仿宋, one character in from each side,
        between rules as wide as the type area: thick first and last, thin between. A
        one-column table, because paragraph borders would shrink to the text's indents."""
        lines = []
        if copy_to:
            lines.append(f"抄送：{copy_to.rstrip('。')}。")
        if printer:
            lines.append(f"{printer}\t{cn_date(printed_on)}印发" if printed_on else printer)
        if not lines:
            return
        self.blank()
        table = self.doc.add_table(rows=len(lines), cols=1)
        table.autofit = False
        _rules(table._tbl.tblPr)
        inset, label = SIZE_4, 3 * SIZE_4  # one 4号 character; “抄送：”
        for row, text in zip(table.rows, lines, strict=True):
            cell = row.cells[0]
            cell.width = Mm(TYPE_WIDTH_MM)
            paragraph = cell.paragraphs[0]
            if text.startswith("抄送："):
                # Wrapped lines align with the first name after the colon (§7.4.2).
                self._format(paragraph, first_line=-label, left=inset + label, right=inset)
            else:
                self._format(paragraph, left=inset, right=inset)
                # Tab stops count from the cell's left edge, not from the indent.
                stop = Pt(TYPE_WIDTH_PT - inset)
                paragraph.paragraph_format.tab_stops.add_tab_stop(stop, WD_TAB_ALIGNMENT.RIGHT)
            self._run(paragraph, text, FANGSONG, SIZE_4)
        # Word always ends a document with a paragraph; a 1 pt one after the table keeps
        # it from spilling onto a blank last page.
        self._run(self._paragraph(line=Pt(1)), "", size=1)
        self._last = "colophon"

    def attachment_page(self, number, title):
        """An attachment on its own page (§7.3.7): “附件N” in 3号黑体 at the top left, the
        title centred on line 3. `number` None prints “附件” alone (a single attachment)."""
        self.page_break()
        self._run(self._paragraph(), "附件" if number is None else f"附件{number}", HEITI)
        self.blank()
        self._run(self._paragraph(WD_ALIGN_PARAGRAPH.CENTER), title, XIAOBIAOSONG, SIZE_2)
        self._last = "title"

    def bytes(self):
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
