"""A brief as the Word file a magazine or site editor expects: title, unit and date, body,
then each picture with its caption beneath, on the official page of gongwen.Gongwen."""

from django.utils import timezone

from .gongwen import Gongwen, cn_date


def brief_docx(article, photos):
    """The .docx bytes of `article`; `photos` are its ArticlePhoto rows in order."""
    doc = Gongwen()
    doc.title(article.title)
    when = timezone.localtime(article.published_at or article.updated_at)
    doc.caption(f"{article.unit.name}　{cn_date(when)}")
    doc.blank()
    for text in (line.strip() for line in article.body.splitlines()):
        if text:
            doc.paragraph(text)
    for photo in photos:
        with photo.image.open("rb") as f:
            doc.picture(f.read(), photo.caption)
    return doc.bytes()
