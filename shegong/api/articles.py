"""Briefs (简讯): those the caller may see, writing one for the caller's unit, submitting."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import File, Form, Router, Schema, Status, UploadedFile

from shegong.activities import selectors as activity_selectors
from shegong.articles import selectors, services
from shegong.articles.models import Article
from shegong.orgs.middleware import unit_of

from .auth import note_write
from .paging import page

router = Router(tags=["articles"])


class ArticleIn(Schema):
    title: str
    body: str
    activity: int | None = None


class ArticleOut(Schema):
    id: int
    unit: str
    unit_name: str
    title: str
    body: str
    activity: int | None
    status: str
    version: int
    created_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None


class ArticlePage(Schema):
    items: list[ArticleOut]
    next_cursor: str | None


def article_out(a):
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "unit_name": a.unit.name,
        "title": a.title,
        "body": a.body,
        "activity": a.activity_id,
        "status": a.status,
        "version": a.version,
        "created_at": a.created_at,
        "submitted_at": a.submitted_at,
        "published_at": a.published_at,
    }


@router.get("", response=ArticlePage, summary="我能看到的简讯")
def article_list(request, status: str | None = None, cursor: str | None = None, limit: int = 50):
    rows = selectors.articles_visible_to(request.user)
    if status:
        rows = rows.filter(status=status)
    ids, nxt = page(rows, field="id", cursor=cursor, limit=limit)
    by_id = Article.objects.select_related("unit").in_bulk(ids)
    return {"items": [article_out(by_id[i]) for i in ids], "next_cursor": nxt}


@router.get("{int:article_id}", response=ArticleOut, summary="简讯详情")
def article_detail(request, article_id: int):
    return article_out(selectors.get_article_for_user(request.user, article_id))


@router.post("", response={201: ArticleOut}, summary="撰写简讯（当前单位，草稿）")
def article_create(request, payload: ArticleIn):
    unit = unit_of(request)
    if not selectors.can_write(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以撰写简讯。")
    activity = None
    if payload.activity is not None:
        activity = activity_selectors.get_activity_for_user(request.user, payload.activity)
    article = services.save_article(
        unit=unit,
        by=request.user,
        title=payload.title,
        body=payload.body,
        activity=activity,
    )
    note_write(request, "article_created", article)
    return Status(201, article_out(article))


@router.post("{int:article_id}/photos", response=ArticleOut, summary="为草稿添加图片")
def article_photos(
    request, article_id: int, photos: File[list[UploadedFile]], caption: Form[str] = ""
):
    """Pictures are checked by content, shrunk and stripped of EXIF, as on the page."""
    article = selectors.get_article_for_user(request.user, article_id)
    article = services.save_article(
        unit=article.unit,
        by=request.user,
        article=article,
        title=article.title,
        body=article.body,
        activity=article.activity,
        photos=photos,
        captions=[caption] * len(photos),
    )
    note_write(request, "article_photos_added", article)
    return article_out(article)


@router.post("{int:article_id}/submit", response=ArticleOut, summary="提交审核")
def article_submit(request, article_id: int):
    article = selectors.get_article_for_user(request.user, article_id)
    article = services.submit_article(article=article, by=request.user)
    note_write(request, "article_submitted", article)
    return article_out(article)
