"""A notice laid out for A4 paper as the 公文 it is (GB/T 9704), printed from the browser."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from . import selectors
from .services import ALLOWED_ATTACHMENTS


def _paragraphs(text):
    """Each line of a text field is a paragraph of the document."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _attachment_title(name):
    """附件说明 names the document, not the file: no ".docx" after it (GB/T 9704 §7.3.4)."""
    stem, dot, ext = name.rpartition(".")
    return stem if dot and stem and f".{ext.lower()}" in ALLOWED_ATTACHMENTS else name


@login_required
def notice_print(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    context = {
        "notice": notice,
        "goals": _paragraphs(notice.goals),
        "sections": [(s.heading, _paragraphs(s.text)) for s in notice.sections.all()],
        "attachments": [_attachment_title(a.name) for a in notice.attachments.all()],
        "back_url": reverse("notice_detail", args=[notice.pk]),
    }
    return render(request, "campaigns/notice_print.html", context)
