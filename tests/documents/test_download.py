"""The Word download of a notice is for those who may see the notice; the brief export
runs on the same page builder."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shegong.articles import services as article_services
from tests.conftest import login
from tests.documents.docx_xml import document, run_fonts, texts
from tests.factories import make_notice

pytestmark = pytest.mark.django_db


def township_notice(world):
    """Sent to 西脑包街道: its station sees it, the 和平路 station next door does not."""
    return make_notice(world.region, "内民政慈社〔2030〕7号", units=[world.township], issue=True)


def test_a_station_in_the_chain_downloads_the_notice_as_word(world, client):
    notice = township_notice(world)
    login(client, world.station_worker)
    response = client.get(f"/notices/{notice.pk}/word/")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert quote("内民政慈社〔2030〕7号") in response["Content-Disposition"]
    assert texts(document(response.content))[1] == "内民政慈社〔2030〕7号"


def test_a_neighbour_station_gets_404_for_the_word_file(world, client):
    notice = township_notice(world)
    login(client, world.neighbour_worker)
    assert client.get(f"/notices/{notice.pk}/word/").status_code == 404


def test_the_word_file_needs_a_login(world, client):
    notice = township_notice(world)
    response = client.get(f"/notices/{notice.pk}/word/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_notice_page_offers_the_word_download(world, client):
    notice = township_notice(world)
    login(client, world.station_worker)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f'href="/notices/{notice.pk}/word/"' in page and "下载 Word" in page


def test_a_brief_still_exports_on_the_official_page(world):
    from shegong.documents.briefs import brief_docx

    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (120, 160, 200)).save(out, format="JPEG")
    article = article_services.save_article(
        unit=world.station,
        by=world.station_worker,
        title="西脑包街道开展“五社联动”助老服务",
        body="3月20日上午，西脑包街道社会工作服务站开展助老服务活动。\n\n共有85人次参与。",
        photos=[SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")],
        captions=["义诊现场"],
    )
    doc = document(brief_docx(article, list(article.photos.all())))
    assert texts(doc)[0] == "西脑包街道开展“五社联动”助老服务"
    assert texts(doc)[1].startswith("西脑包街道社会工作服务站　")
    assert texts(doc)[2:] == [
        "3月20日上午，西脑包街道社会工作服务站开展助老服务活动。",
        "共有85人次参与。",
        "义诊现场",
    ]
    assert run_fonts(doc.paragraphs[0].runs[0])[2] == "方正小标宋简体"
    assert run_fonts(doc.paragraphs[1].runs[0])[2] == "楷体_GB2312"
    assert (
        round(doc.sections[0].page_width.mm) == 210 and round(doc.sections[0].left_margin.mm) == 28
    )
    assert doc.sections[0].footer.paragraphs[0].text == "— 1 —"
    assert len(doc.inline_shapes) == 1
