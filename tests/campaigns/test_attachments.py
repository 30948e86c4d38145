"""Notice attachments: size-limited with a clear Chinese error, typed, downloadable in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.campaigns.models import NoticeAttachment
from tests.conftest import login
from tests.factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NOTICE_ATTACHMENT_MAX_MB = 1


def test_an_attachment_over_the_limit_is_refused_in_chinese(client, world):
    notice = make_notice(world.region, units=[world.city])
    login(client, world.region_admin)
    big = SimpleUploadedFile("附件1.统计表.xlsx", b"x" * (1024 * 1024 + 1))
    response = client.post(f"/notices/{notice.pk}/attachments/", {"file": big}, follow=True)
    body = response.content.decode()
    assert "附件“附件1.统计表.xlsx”大小为 1.0 MB，超过上限 1 MB" in body
    assert not NoticeAttachment.objects.exists()


def test_an_executable_is_refused(client, world):
    notice = make_notice(world.region, units=[world.city])
    login(client, world.region_admin)
    response = client.post(
        f"/notices/{notice.pk}/attachments/",
        {"file": SimpleUploadedFile("setup.exe", b"MZ")},
        follow=True,
    )
    assert "类型不支持" in response.content.decode()


def test_an_attachment_is_uploaded_and_downloaded_by_addressees_only(client, world):
    notice = make_notice(world.region, "内民政慈社〔2030〕2号", units=[world.city])
    login(client, world.region_admin)
    client.post(
        f"/notices/{notice.pk}/attachments/",
        {
            "file": SimpleUploadedFile("稿件要求.docx", b"PK\x03\x04 docx"),
            "name": "附件2. 稿件要求",
        },
    )
    attachment = NoticeAttachment.objects.get()
    assert attachment.name == "附件2. 稿件要求"
    from shegong.campaigns import services

    services.issue_notice(notice=notice, by=world.region_admin)
    login(client, world.station_worker)
    response = client.get(f"/notices/{notice.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 docx"
    login(client, world.neighbour_worker)
    other = make_notice(world.district, "东民发〔2030〕1号", units=[world.township], issue=True)
    assert client.get(f"/notices/{other.pk}/").status_code == 404
    assert client.get(f"/notices/{other.pk}/attachments/{attachment.pk}/").status_code == 404


def test_attachments_cannot_be_added_after_issue(client, world):
    notice = make_notice(world.region, "内民政慈社〔2030〕3号", units=[world.city], issue=True)
    login(client, world.region_admin)
    response = client.post(
        f"/notices/{notice.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", b"%PDF")},
        follow=True,
    )
    assert "已印发" in response.content.decode()
