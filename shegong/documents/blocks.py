"""The same calls the Word builder (gongwen.Gongwen) takes, recorded as blocks for an HTML
page, so that a document's print view says exactly what its .docx says: one composer
(notices.compose, summaries.compose) writes both."""

import base64
from dataclasses import dataclass, field


@dataclass
class Block:
    kind: str
    text: str = ""
    level: int = 0
    rest: str = ""
    items: list = field(default_factory=list)
    day: object = None
    data: object = None


class Blocks:
    """A Gongwen look-alike that keeps what it is told, in order (`self.blocks`)."""

    def __init__(self):
        self.blocks = []

    def _add(self, kind, **values):
        self.blocks.append(Block(kind, **values))

    def issuer_mark(self, text):
        self._add("issuer", text=text)

    def doc_number(self, text):
        self._add("number", text=text)

    def red_line(self):
        self._add("rule")

    def title(self, text):
        self._add("title", text=text)

    def addressee(self, text):
        self._add("addressee", text=text.strip().rstrip(":："))

    def heading(self, level, text, rest=""):
        self._add("heading", level=level, text=text, rest=rest)

    def paragraph(self, text, indent=True):
        self._add("paragraph" if indent else "line", text=text)

    def caption(self, text):
        self._add("caption", text=text)

    def table(self, header, rows, widths=None):
        self._add("table", items=[header, *rows])

    def picture(self, data, caption=""):
        self._add("picture", data=_data_uri(data), text=caption)

    def attachment_list(self, names):
        names = [n for n in names if n]
        if names:
            self._add("attachments", items=names)

    def signature(self, issuer, day):
        self._add("signature", text=issuer, day=day)

    def contact(self, text):
        self._add("contact", text=text)

    def colophon(self, copy_to="", printer="", printed_on=None):
        self._add("colophon", text=printer, rest=copy_to, day=printed_on)

    def attachment_page(self, number, title):
        self._add("attachment_page", level=number or 0, text=title)

    def page_break(self):
        self._add("page_break")

    def blank(self, lines=1):
        pass  # the page's own spacing


def _data_uri(data):
    """An image's bytes as a data: URI (the site's CSP allows them for img-src)."""
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"
