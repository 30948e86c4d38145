"""Reading a generated .docx back, as Word would: its parts' XML and python-docx objects."""

import io
import zipfile

from docx import Document
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def w(name):
    return f"{{{W}}}{name}"


def part(data, name):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def names(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.namelist()


def document(data):
    return Document(io.BytesIO(data))


def texts(doc):
    return [p.text for p in doc.paragraphs if p.text]


def paragraph(doc, text):
    """The first paragraph whose text is `text`, or that starts with it."""
    for p in doc.paragraphs:
        if p.text == text:
            return p
    for p in doc.paragraphs:
        if p.text.startswith(text):
            return p
    raise AssertionError(f"no paragraph {text!r} in {texts(doc)}")


def run_fonts(run):
    """(ascii, hAnsi, eastAsia) of one run, read from its own w:rFonts."""
    fonts = run._r.find(f"{w('rPr')}/{w('rFonts')}")
    return tuple(fonts.get(w(a)) for a in ("ascii", "hAnsi", "eastAsia"))


def visible_runs(p):
    return [r for r in p.runs if r.text]


def index(doc, p):
    """Position of paragraph `p` in the body (python-docx makes new proxies each time)."""
    return [q._p for q in doc.paragraphs].index(p._p)


def colophon(doc):
    """The lines of the 版记: the table that ends the body (only an empty paragraph after)."""
    body = [child for child in doc.element.body if child.tag != w("sectPr")]
    tables = [i for i, child in enumerate(body) if child.tag == w("tbl")]
    assert tables, "no 版记"
    after = body[tables[-1] + 1 :]
    assert all(child.tag == w("p") and not "".join(child.itertext()) for child in after)
    return [row.cells[0].text for row in doc.tables[-1].rows]
