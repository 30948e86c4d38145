"""Every write to briefs: one transaction each, a version row for every text change, an
event for the brief's history and an audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.activities.photos import clean_image
from shegong.audit.services import record_event
from shegong.edits import check_version

from . import proofing, selectors
from .models import Article, ArticleEvent, ArticlePhoto, ArticleStatus, ArticleVersion

MAX_PHOTOS = 9


def _event(article, action, by, unit, note="", to_unit=None):
    ArticleEvent.objects.create(
        article=article,
        action=action,
        by=by,
        unit=unit,
        to_unit=to_unit,
        note=note,
        version=article.version,
    )
    record_event(
        action=f"articles.{action}",
        by=by,
        unit=unit,
        obj=article,
        after={"标题": article.title, "版本": article.version, **({"说明": note} if note else {})},
    )


def _clean(title, body, activity, unit):
    errors = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 120:
        errors["title"] = f"标题有 {len(title)} 个字，请不超过 120 个字。"
    if not body:
        errors["body"] = "请填写正文。"
    if activity is not None and activity.unit_id != unit.pk:
        errors["activity"] = "只能关联本单位登记的活动。"
    if errors:
        raise ValidationError(errors)
    return title, body


def _photos(article, uploads, captions):
    if article.photos.count() + len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": f"每篇简讯最多 {MAX_PHOTOS} 张图片。"})
    try:
        cleaned = [clean_image(u) for u in uploads]
    except ValidationError as e:
        raise ValidationError({"photos": e.messages}) from None
    for (content, width, height), caption in zip(cleaned, captions, strict=False):
        photo = ArticlePhoto(
            article=article, caption=(caption or "").strip()[:200], width=width, height=height
        )
        photo.image.save(content.name, content, save=False)
        photo.save()


@transaction.atomic
def save_article(
    *,
    unit,
    by,
    title,
    body,
    activity=None,
    article=None,
    photos=(),
    captions=(),
    remove_photos=(),
    photo_captions=None,
    version=None,
):
    """Write a new brief of `unit`, or save a draft or returned one again (a new version
    when its text changed). Pictures are checked by content, shrunk and stripped of EXIF."""
    if not selectors.can_write(by, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以撰写简讯。")
    title, body = _clean(title, body, activity, unit)
    if article is None:
        article = Article.objects.create(
            unit=unit, unit_path=unit.path, title=title, body=body, activity=activity, author=by
        )
        action = "created"
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.unit_id != unit.pk:
            raise PermissionDenied("只能修改本单位的简讯。")
        if not article.can_edit:
            raise ValidationError("简讯已提交，审核退回后才能修改。")
        check_version(article, version)
        changed = (title, body, activity) != (article.title, article.body, article.activity)
        article.title, article.body, article.activity = title, body, activity
        if changed:
            article.version += 1
        article.save()
        action = "edited" if changed else None
    article.photos.filter(pk__in=list(remove_photos)).delete()
    for pk, caption in (photo_captions or {}).items():
        article.photos.filter(pk=pk).update(caption=caption.strip()[:200])
    _photos(article, list(photos), list(captions))
    if action:
        ArticleVersion.objects.create(
            article=article, version=article.version, title=title, body=body, by=by, unit=unit
        )
        _event(article, action, by, unit)
    return article


@transaction.atomic
def submit_article(*, article, by):
    """提交审核: refused while the proofreader finds errors or there is no picture."""
    if not selectors.can_write(by, article.unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以提交简讯。")
    if not article.can_edit:
        raise ValidationError("这篇简讯已提交或已通过审核。")
    problems = proofing.error_messages(proofing.proofread(article.title, article.body))
    if not article.photos.exists():
        problems.append("请至少上传一张反映活动过程和互动的图片。")
    if problems:
        raise ValidationError(problems)
    article.status = ArticleStatus.SUBMITTED
    article.submitted_at = timezone.now()
    article.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(article, "submitted", by, article.unit)
    return article


def _reviewer_unit(by, article):
    if not selectors.can_review(by, article):
        raise PermissionDenied("只有上级单位的审核员或管理员可以审核这篇简讯。")
    return selectors.review_unit(by, article)


@transaction.atomic
def return_article(*, article, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因，撰稿人据此修改。"})
    unit = _reviewer_unit(by, article)
    article.status = ArticleStatus.RETURNED
    article.save(update_fields=["status", "updated_at"])
    _event(article, "returned", by, unit, note=reason[:500])
    return article


@transaction.atomic
def comment_article(*, article, by, note):
    """审核意见 without a decision: kept in the brief's history for the author to read."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写审核意见。"})
    unit = _reviewer_unit(by, article)
    _event(article, "commented", by, unit, note=note[:500])
    return article


@transaction.atomic
def approve_article(*, article, by, note=""):
    unit = _reviewer_unit(by, article)
    article.status = ArticleStatus.APPROVED
    article.holder, article.holder_path = unit, unit.path
    article.save(update_fields=["status", "holder", "holder_path", "updated_at"])
    _event(article, "approved", by, unit, note=(note or "").strip()[:500])
    return article


def _holder(by, article):
    if not selectors.can_hold(by, article):
        raise PermissionDenied("只有持有这篇简讯的单位的审核员或管理员可以操作。")
    return article.holder


@transaction.atomic
def publish_article(*, article, by):
    unit = _holder(by, article)
    if article.published_at is None:
        article.published_at = timezone.now()
        article.published_by_unit = unit
        article.save(update_fields=["published_at", "published_by_unit", "updated_at"])
        _event(article, "published", by, unit)
    return article


@transaction.atomic
def unpublish_article(*, article, by, reason=""):
    unit = _holder(by, article)
    if article.published_at is not None:
        article.published_at, article.published_by_unit = None, None
        article.save(update_fields=["published_at", "published_by_unit", "updated_at"])
        _event(article, "unpublished", by, unit, note=(reason or "").strip()[:500])
    return article


@transaction.atomic
def mark_article(*, article, by, typical, excellent):
    unit = _holder(by, article)
    article.is_typical, article.is_excellent = bool(typical), bool(excellent)
    article.save(update_fields=["is_typical", "is_excellent", "updated_at"])
    marks = [n for n, on in (("典型经验", typical), ("优秀案例", excellent)) if on]
    _event(article, "marked", by, unit, note="、".join(marks) or "取消标记")
    return article


@transaction.atomic
def recommend_article(*, article, by, note=""):
    """向上推荐: the unit above the holder now holds it (and may publish or recommend it
    again); the recommending unit stays in the brief's provenance."""
    unit = _holder(by, article)
    parent = unit.parent
    if parent is None:
        raise ValidationError("已是最高一级，无法再向上推荐。")
    article.holder, article.holder_path = parent, parent.path
    article.save(update_fields=["holder", "holder_path", "updated_at"])
    _event(article, "recommended", by, unit, note=(note or "").strip()[:500], to_unit=parent)
    return article


def provenance(article):
    """Who made the brief what it is: [(label, [unit or person names])] for display."""
    events = list(article.events.select_related("by", "unit", "to_unit"))
    editors = []
    for e in events:
        if e.action in ("created", "edited") and e.by and e.by.display_name not in editors:
            editors.append(e.by.display_name)
    rows = [("撰稿单位", [article.unit.name]), ("撰稿人", editors)]
    approved = [e.unit.name for e in events if e.action == "approved" and e.unit]
    if approved:
        rows.append(("审核单位", approved[-1:]))
    recommended = [f"{e.unit.name} → {e.to_unit.name}" for e in events if e.action == "recommended"]
    if recommended:
        rows.append(("逐级推荐", recommended))
    if article.published_by_unit:
        rows.append(("发布单位", [article.published_by_unit.name]))
    return rows
