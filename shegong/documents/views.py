import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from shegong.articles import selectors as article_selectors
from shegong.campaigns import selectors as notice_selectors

from .briefs import brief_docx
from .notices import notice_docx, printed_title

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters Windows refuses in a file name; a title may hold any of them.
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


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


@login_required
def notice_word(request, pk):
    """A notice as its GB/T 9704 Word file, for anybody who may see the notice."""
    notice = notice_selectors.get_notice_for_user(request.user, pk)
    name = _UNSAFE.sub("_", f"{notice.doc_number}{printed_title(notice)}")[:80]
    return _download(notice_docx(notice), f"{name}.docx")
