import re
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from shegong.articles import selectors as article_selectors
from shegong.campaigns import selectors as notice_selectors
from shegong.orgs import selectors as org_selectors
from shegong.reporting import selectors as report_selectors
from shegong.reporting import summaries

from . import notices
from . import summaries as summary_documents
from .blocks import Blocks
from .briefs import brief_docx

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
    name = _UNSAFE.sub("_", f"{notice.doc_number}{notices.printed_title(notice)}")[:80]
    return _download(notices.notice_docx(notice), f"{name}.docx")


def _summary(request, period_id, code):
    """What a unit's summary consists of, for whoever may read it (the unit and above):
    (unit, period, content, title, sections, signed_on)."""
    unit = org_selectors.get_visible_unit(request.user, code)
    period = report_selectors.get_summary_period(request.user, period_id)
    children = org_selectors.children_of(request.user, unit)
    content, title, sections, _ = summaries.written(unit, period, children)
    return unit, period, content, title, sections, summaries.signed_on(unit, period)


@login_required
def summary_word(request, period_id, code):
    """A unit's 总结材料 as its Word file, as saved or as the draft."""
    _, _, content, title, sections, signed = _summary(request, period_id, code)
    docx = summary_documents.summary_docx(content, title, sections, signed)
    return _download(docx, f"{_UNSAFE.sub('_', title)[:80]}.docx")


def _print(request, title, doc, back_url, draft=""):
    context = {"title": title, "blocks": doc.blocks, "back_url": back_url, "draft": draft}
    return render(request, "documents/print.html", context)


@login_required
def notice_print(request, pk):
    """A notice on A4 from the browser: the blocks of its .docx (notices.compose)."""
    notice = notice_selectors.get_notice_for_user(request.user, pk)
    doc = notices.compose(Blocks(), notice)
    back = reverse("notice_detail", args=[notice.pk])
    return _print(request, notice.title, doc, back, "草稿，尚未印发" if notice.is_draft else "")


@login_required
def summary_print(request, period_id, code):
    """A summary on A4 from the browser, as its .docx has it."""
    unit, period, content, title, sections, signed = _summary(request, period_id, code)
    doc = summary_documents.compose(Blocks(), content, title, sections, signed)
    back = reverse("summary_detail", args=[period.pk, unit.code])
    return _print(request, title, doc, back)
