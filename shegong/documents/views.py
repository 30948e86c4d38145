from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from shegong.articles import selectors as article_selectors

from .briefs import brief_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(content, filename):
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def article_word(request, pk):
    """One brief as a Word file, for anybody who may see it."""
    article = article_selectors.get_article_for_user(request.user, pk)
    content = brief_docx(article, list(article.photos.all()))
    return _download(content, f"{article.title[:60]}.docx")
