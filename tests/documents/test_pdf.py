"""Each demo document converts to PDF with LibreOffice, where it is installed (`make test`
installs it), with the fonts our files name mapped to installed CJK fonts by fonts.conf."""

import os

import pytest
from django.core.management import call_command

from shegong.campaigns.models import Notice
from shegong.documents import notices, pdf
from shegong.documents.summaries import summary_docx
from shegong.reporting import summaries
from shegong.reporting.models import Summary

pytestmark = pytest.mark.django_db

if pdf.soffice() is None and os.environ.get("CI") != "true":
    pytestmark = [pytestmark, pytest.mark.skip(reason="LibreOffice is not installed")]


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def test_every_demo_notice_and_summary_converts_to_a_pdf_of_a_few_pages(demo):
    files = {str(n): notices.notice_docx(n) for n in Notice.objects.exclude(doc_serial=None)}
    for summary in Summary.objects.select_related("unit", "period", "period__notice"):
        content, title, sections, _ = summaries.written(summary.unit, summary.period)
        signed = summaries.signed_on(summary.unit, summary.period)
        files[summary.title] = summary_docx(content, title, sections, signed)
    assert len(files) == 7  # five seed notices, two demo summaries
    pages = {name: pdf.page_count(data) for name, data in pdf.to_pdf(files).items()}
    assert all(1 < n <= 8 for n in pages.values()), pages
    # The forwarding chain's top notice is the shortest; 南川's, with its quotas, is longer.
    assert (
        pages["南川民发〔2023〕10号 关于开展第七届巴渝社会工作宣传周活动的通知"]
        >= pages["民办函〔2022〕5号 民政部办公厅关于组织开展2022年社会工作主题宣传活动的通知"]
    )


def test_the_named_fonts_come_out_as_installed_cjk_fonts_told_apart(demo):
    notice = Notice.objects.get(doc_prefix="内民政慈社")
    (document,) = pdf.to_pdf({"notice": notices.notice_docx(notice)}).values()
    embedded = " ".join(pdf.fonts(document))
    # 仿宋 and 小标宋 as a serif face, 黑体 headings as a sans face: no tofu, no single font.
    assert "Serif" in embedded and "Sans" in embedded, embedded
    assert "DejaVu" not in embedded, embedded
