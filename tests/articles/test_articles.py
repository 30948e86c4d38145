"""News briefs: written with pictures, refused while the proofreader finds errors, reviewed,
returned and resubmitted with every version kept, approved, published, recommended upward;
nobody outside the brief's line sees it, and the portal shows published briefs only."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shegong.articles import services
from shegong.articles.models import ArticleStatus
from shegong.orgs.models import Role
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CLEAN = (
    "3月20日上午，西脑包街道社会工作服务站在宏源社区党群服务中心开展“五社联动”助老服务活动。"
    "社会工作者和社区志愿者为辖区60余名老年人提供健康义诊、防诈骗宣传和政策咨询服务，"
    "共有85人次参与。活动现场气氛热烈，老人们纷纷表示收获很大。"
)


def picture(name="现场.jpg", kind="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (2400, 1600), (120, 160, 200)).save(out, format=kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def write(world, body=CLEAN, photos=True, **kw):
    return services.save_article(
        unit=world.station,
        by=world.station_worker,
        title="西脑包街道开展“五社联动”助老服务",
        body=body,
        photos=[picture()] if photos else [],
        captions=["义诊现场"],
        **kw,
    )


def test_a_picture_is_checked_by_content_and_shrunk(world):
    article = write(world)
    photo = article.photos.get()
    assert (photo.width, photo.height) == (1920, 1280)
    assert photo.caption == "义诊现场"
    with pytest.raises(ValidationError) as refused:
        services.save_article(
            unit=world.station,
            by=world.station_worker,
            title="标题",
            body="正文",
            photos=[SimpleUploadedFile("假图片.jpg", b"not a picture at all")],
        )
    assert "假图片.jpg" in str(refused.value)


def test_submission_is_refused_while_the_proofreader_finds_errors(world):
    article = write(world, body=CLEAN + "参加活动的残废人朋友，，也很开心。")
    with pytest.raises(ValidationError) as refused:
        services.submit_article(article=article, by=world.station_worker)
    text = " ".join(refused.value.messages)
    assert "残废人" in text and "，，" in text
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_submission_needs_a_picture(world):
    article = write(world, photos=False)
    with pytest.raises(ValidationError, match="至少上传一张"):
        services.submit_article(article=article, by=world.station_worker)


def test_return_edit_resubmit_approve_publish_recommend(world):
    w = world
    article = write(w)
    services.submit_article(article=article, by=w.station_worker)
    with pytest.raises(PermissionDenied):  # a station cannot review itself
        services.approve_article(article=article, by=w.station_admin)
    with pytest.raises(ValidationError):
        services.return_article(article=article, by=w.district_reviewer, reason=" ")
    services.return_article(article=article, by=w.district_reviewer, reason="请补充服务对象人数")
    article.refresh_from_db()
    assert article.status == ArticleStatus.RETURNED

    services.save_article(
        unit=w.station,
        by=w.station_admin,
        article=article,
        title=article.title,
        body=CLEAN + "服务对象包括独居老人12名。",
    )
    services.submit_article(article=article, by=w.station_worker)
    services.approve_article(article=article, by=w.district_reviewer, note="写得好")
    article.refresh_from_db()
    assert (article.status, article.version, article.holder) == ("approved", 2, w.district)
    assert [v.version for v in article.versions.all()] == [1, 2]
    assert article.versions.get(version=1).body == CLEAN

    with pytest.raises(PermissionDenied):  # the region does not hold it yet
        services.publish_article(article=article, by=w.region_admin)
    services.publish_article(article=article, by=w.district_reviewer)
    services.mark_article(article=article, by=w.district_reviewer, typical=True, excellent=False)
    services.recommend_article(article=article, by=w.district_admin, note="推荐市局")
    article.refresh_from_db()
    assert article.holder == w.city and article.is_published and article.is_typical
    city_admin = make_user(unit=w.city, role=Role.ADMIN)
    services.recommend_article(article=article, by=city_admin)
    article.refresh_from_db()
    assert article.holder == w.region
    provenance = dict(services.provenance(article))
    assert provenance["撰稿单位"] == [w.station.name]
    assert provenance["逐级推荐"] == [
        f"{w.district.name} → {w.city.name}",
        f"{w.city.name} → {w.region.name}",
    ]
    assert provenance["发布单位"] == [w.district.name]
    actions = list(article.events.values_list("action", flat=True))
    assert actions == [
        "created",
        "submitted",
        "returned",
        "edited",
        "submitted",
        "approved",
        "published",
        "marked",
        "recommended",
        "recommended",
    ]


def test_a_neighbour_cannot_see_or_touch_a_brief(world, client):
    article = write(world)
    login(client, world.neighbour_worker)
    assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.get(f"/articles/{article.pk}/edit/").status_code == 404
    photo = article.photos.get()
    assert client.get(f"/articles/{article.pk}/photos/{photo.pk}/").status_code == 404
    assert client.post(f"/articles/{article.pk}/submit/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.save_article(
            unit=world.station, by=world.neighbour_worker, title="t", body="b", article=article
        )


def test_the_editor_marks_findings_in_place(world, client):
    login(client, world.station_worker)
    page = client.post(
        "/articles/check/", {"title": "助老服务", "body": "活动很成功，，大家都很开心。"}
    )
    html = page.content.decode()
    assert 'data-code="P01"' in html
    assert '<mark class="sg-error" title="P01' in html
    assert "改正后才能提交" in html


def test_writing_and_reviewing_through_the_pages(world, client):
    w = world
    login(client, w.station_worker)
    response = client.post(
        "/articles/new/",
        {
            "title": "助老服务",
            "body": CLEAN,
            "photos": [picture()],
            "caption": "义诊",
            "submit": "1",
        },
    )
    article = w.station.articles.get()
    assert response.status_code == 302
    assert article.status == ArticleStatus.SUBMITTED
    login(client, w.district_reviewer)
    assert article.title in client.get("/articles/?tab=review").content.decode()
    client.post(f"/articles/{article.pk}/review/", {"decision": "approve"})
    client.post(f"/articles/{article.pk}/hold/", {"action": "publish"})
    article.refresh_from_db()
    assert article.is_published
    client.logout()
    public = client.get(f"/portal/articles/{article.pk}/")
    assert public.status_code == 200 and "助老服务" in public.content.decode()


def test_the_portal_shows_published_briefs_only(world, client):
    w = world
    draft = write(w)
    submitted = write(w)
    services.submit_article(article=submitted, by=w.station_worker)
    approved = write(w, body=CLEAN + "这是已审核未发布的一篇。")
    services.submit_article(article=approved, by=w.station_worker)
    services.approve_article(article=approved, by=w.district_reviewer, note="内部意见勿外传")
    shown = write(w, body=CLEAN + "这是发布的一篇。")
    services.submit_article(article=shown, by=w.station_worker)
    services.approve_article(article=shown, by=w.district_reviewer)
    services.publish_article(article=shown, by=w.district_reviewer)
    withdrawn = write(w, body=CLEAN + "这是撤下的一篇。")
    services.submit_article(article=withdrawn, by=w.station_worker)
    services.approve_article(article=withdrawn, by=w.district_reviewer)
    services.publish_article(article=withdrawn, by=w.district_reviewer)
    services.unpublish_article(article=withdrawn, by=w.district_reviewer)

    for hidden in (draft, submitted, approved, withdrawn):
        assert client.get(f"/portal/articles/{hidden.pk}/").status_code == 404
        photo = hidden.photos.get()
        assert client.get(f"/portal/articles/{hidden.pk}/photos/{photo.pk}/").status_code == 404
    photo = shown.photos.get()
    assert client.get(f"/portal/articles/{shown.pk}/photos/{photo.pk}/").status_code == 200
    listing = client.get("/portal/articles/").content.decode()
    assert listing.count(f'href="/portal/articles/{shown.pk}/"') == 1
    for hidden in (draft, submitted, approved, withdrawn):
        assert f'href="/portal/articles/{hidden.pk}/"' not in listing
    home = client.get("/portal/").content.decode()
    assert "内部意见勿外传" not in home and "13800001111" not in home
    assert f"/portal/articles/{shown.pk}/" in home
    found = client.get("/portal/articles/", {"q": "发布的一篇"}).content.decode()
    assert f"/portal/articles/{shown.pk}/" in found
    region = client.get("/portal/articles/", {"region": w.region.code}).content.decode()
    assert f"/portal/articles/{shown.pk}/" in region
    # A brief carrying a served person's mobile number never gets that far.
    leaky = write(w, body=CLEAN + "联系电话13912345678。")
    with pytest.raises(ValidationError, match="13912345678"):
        services.submit_article(article=leaky, by=w.station_worker)


def test_a_brief_exports_to_word_with_its_pictures_and_captions(world, client):
    from docx import Document

    article = write(world, body=CLEAN + "\n第二段：服务对象包括独居老人12名。")
    login(client, world.district_reviewer)
    response = client.get(f"/articles/{article.pk}/word/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == article.title
    assert texts[1].startswith(world.station.name)
    assert texts[2] == CLEAN and texts[3].startswith("第二段")
    assert texts[-1] == "义诊现场"
    assert len(doc.inline_shapes) == 1
    assert doc.paragraphs[0].runs[0].font.size.pt == 22
    login(client, world.neighbour_worker)
    assert client.get(f"/articles/{article.pk}/word/").status_code == 404


def test_campaign_figures_reach_the_portal_only_when_the_issuer_chooses(world, client):
    from shegong.campaigns.models import Notice
    from tests.factories import make_activity, make_notice

    notice = make_notice(world.region, "内民政慈社〔2030〕1号", units=[world.city], issue=True)
    make_activity(world.station, participants=30)
    assert 'data-testid="figures"' not in client.get("/portal/").content.decode()

    login(client, world.district_admin)  # not the issuer: refused
    client.post(f"/dashboard/portal/{notice.pk}/", {"on": "1"})
    assert not Notice.objects.get(pk=notice.pk).portal_figures
    login(client, world.region_admin)
    assert 'data-testid="portal-figures"' in client.get("/dashboard/").content.decode()
    client.post(f"/dashboard/portal/{notice.pk}/", {"on": "1"})
    client.logout()
    home = client.get("/portal/").content.decode()
    assert 'data-testid="figures"' in home and "内蒙古自治区民政厅" in home
    assert '<div class="sg-stat-num">30</div>' in home


def test_a_reviewer_comments_and_each_version_shows_what_changed(world, client):
    article = write(world)
    services.submit_article(article=article, by=world.station_worker)
    services.comment_article(article=article, by=world.district_reviewer, note="图片说明再具体些")
    services.return_article(article=article, by=world.district_reviewer, reason="补充人数")
    services.save_article(
        unit=world.station,
        by=world.station_worker,
        article=article,
        title=article.title,
        body=CLEAN.replace("85人次", "95人次"),
    )
    login(client, world.station_worker)
    detail = client.get(f"/articles/{article.pk}/").content.decode()
    assert "审核意见" in detail and "图片说明再具体些" in detail
    page = client.get(f"/articles/{article.pk}/versions/2/").content.decode()
    assert "<del>8</del><ins>9</ins>" in page
