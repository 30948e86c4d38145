"""The printable notice: the 公文 on A4 (GB/T 9704 margins), in scope like the notice page,
and the shared print layout and stylesheet every print page uses."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.campaigns import services
from tests.conftest import login
from tests.factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = services.save_draft(
        issuer=world.region,
        by=None,
        doc_number="内民政慈社〔2030〕3号",
        fields={
            "title": "关于组织开展2030年社会工作主题宣传活动的通知",
            "addressee_text": "各盟市民政局，满洲里市、二连浩特市民政局",
            "theme": "五社联动聚合力 社工服务暖基层",
            "goals": "展示社会工作发展成果。\n营造社会工作良好发展环境。",
            "window_start": date(2030, 3, 17),
            "window_end": date(2030, 3, 31),
            "contact_person": "张璐",
            "contact_phone": "0471-6946872",
            "contact_email": "mz6946872@163.com",
            "signed_date": date(2030, 3, 1),
        },
        sections=[
            {
                "heading": "三、宣传内容",
                "text": "（一）社会工作基本知识；\n（二）优秀社会工作者事迹。",
            }
        ],
        rules={"units": [world.city]},
    )
    for filename in ("盟市社会工作主题宣传活动工作进展情况统计表.xlsx", "稿件要求.docx"):
        services.add_attachment(
            notice=draft, upload=SimpleUploadedFile(filename, b"PK\x03\x04"), by=None
        )
    services.issue_notice(notice=draft, by=None)
    draft.refresh_from_db()
    return draft


def test_an_addressee_prints_the_notice_as_its_word_file_says_it(client, world, notice):
    login(client, world.station_worker)  # region → city → … → station
    response = client.get(f"/notices/{notice.pk}/print/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="issuer">内蒙古自治区民政厅<' in body
    assert 'data-testid="doc-number">内民政慈社〔2030〕3号<' in body
    assert 'data-testid="print-title">关于组织开展2030年社会工作主题宣传活动的通知<' in body
    assert "各盟市民政局，满洲里市、二连浩特市民政局：" in body
    # Numbered as the .docx numbers them: 一、活动主题 … and the section renumbered to 四、.
    headings = re.findall(r'<span class="sg-gw-hl">([^<]+)</span>', body)
    assert headings[:4] == ["一、活动主题", "二、活动目标", "三、活动时间", "四、宣传内容"]
    # Each line of a text is a paragraph of its own; an enumeration ending in ；stays text.
    assert '<p class="sg-gw-p">（一）社会工作基本知识；</p>' in body
    assert '<p class="sg-gw-p">营造社会工作良好发展环境。</p>' in body
    assert "2030年3月17日至31日" in body
    # 附件说明 numbers several attachments and names documents, not files.
    assert "1．盟市社会工作主题宣传活动工作进展情况统计表</li>" in body
    assert "2．稿件要求</li>" in body and ".docx" not in body
    signature = body[body.index('data-testid="signature"') :]
    assert signature.index("内蒙古自治区民政厅") < signature.index("2030年3月1日")
    assert "（联系人：张璐，联系电话：0471-6946872，电子邮箱：mz6946872@163.com）" in body
    assert "2030年3月1日印发" in body  # the 版记
    assert "草稿" not in body


def test_the_print_view_and_the_word_file_are_one_composition(notice):
    from shegong.documents import notices
    from shegong.documents.blocks import Blocks
    from tests.documents.docx_xml import document, texts

    printed = notices.compose(Blocks(), notice).blocks
    lines = [b.text + b.rest for b in printed if b.kind in ("heading", "paragraph")]
    word = texts(document(notices.notice_docx(notice)))
    assert len(lines) > 5 and [line for line in word if line in lines] == lines


def test_the_print_page_has_only_the_toolbar_and_the_print_stylesheet(client, world, notice):
    login(client, world.station_worker)
    body = client.get(f"/notices/{notice.pk}/print/").content.decode()
    assert "/static/css/print.css" in body
    assert "sg-navbar" not in body and "bootstrap" not in body and "http" not in body
    assert re.search(r'<button type="button" data-print>打印</button>', body)
    assert f'<a href="/notices/{notice.pk}/">返回</a>' in body
    assert "页码由浏览器添加" in body
    assert "/static/js/print.js" in body


def test_the_print_stylesheet_sets_a4_pages_fonts_and_repeating_table_headers():
    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in css
    assert re.search(r"@page wide \{ size: A4 landscape; margin: [^}]+\}", css)
    assert ".sg-print-wide { page: wide; }" in css
    fangsong = re.search(r"--sg-fangsong: ([^;]+);", css).group(1)
    assert fangsong.index('"仿宋_GB2312"') < fangsong.index('"FangSong"')
    assert fangsong.index('"FangSong"') < fangsong.index('"Noto Serif CJK SC"')
    assert "font-size: 16pt; /* 3号 */" in css
    assert ".sg-ptable thead { display: table-header-group; }" in css
    assert ".sg-ptable tr { break-inside: avoid;" in css
    assert re.search(r"@media print \{\s*\.sg-print-toolbar \{ display: none", css)
    script = Path(finders.find("js/print.js")).read_text(encoding="utf-8")
    assert "window.print()" in script


def test_a_neighbour_cannot_print_a_notice_it_cannot_see(client, world):
    other = make_notice(world.district, "东民发〔2030〕2号", units=[world.township], issue=True)
    login(client, world.neighbour_worker)
    assert client.get(f"/notices/{other.pk}/").status_code == 404
    assert client.get(f"/notices/{other.pk}/print/").status_code == 404
    login(client, world.station_worker)
    assert client.get(f"/notices/{other.pk}/print/").status_code == 200


def test_a_draft_prints_marked_as_a_draft_for_its_issuer_only(client, world):
    draft = make_notice(world.region, "内民政慈社〔2030〕6号", units=[world.city])
    login(client, world.region_clerk)
    body = client.get(f"/notices/{draft.pk}/print/").content.decode()
    assert 'data-testid="draft-mark">草稿，尚未印发<' in body
    login(client, world.district_admin)
    assert client.get(f"/notices/{draft.pk}/print/").status_code == 404


def test_printing_needs_a_login(client, notice):
    response = client.get(f"/notices/{notice.pk}/print/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_notice_page_offers_the_print_view(client, world, notice):
    login(client, world.station_worker)
    body = client.get(f"/notices/{notice.pk}/").content.decode()
    assert f'href="/notices/{notice.pk}/print/" data-testid="print-link"' in body
