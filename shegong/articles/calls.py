"""Solicitations (征文, 典型案例征集, 优秀案例征集): opened by a notice's issuer, entered by
the units below it with their approved briefs before the deadline, scored by the issuer's
审核员 and 管理员, and the selected entries published together."""

from statistics import mean

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from shegong.audit.services import record_event
from shegong.campaigns import selectors as campaign_selectors
from shegong.orgs.models import Role

from . import selectors
from .models import ArticleEvent, ArticleStatus, Entry, Score, Solicitation, SolicitationKind


def can_open(user, notice):
    return campaign_selectors.can_manage_issued(user, notice)


def can_score(user, call):
    roles = campaign_selectors.direct_roles(user, call.notice.issuer)
    return bool(roles & {Role.REVIEWER, Role.ADMIN})


def calls_visible_to(user):
    notices = campaign_selectors.notices_visible_to(user).values("pk")
    return Solicitation.objects.filter(notice__in=notices).select_related("notice__issuer")


def get_call_for_user(user, pk):
    call = calls_visible_to(user).filter(pk=pk).first()
    if call is None:
        raise Http404("没有找到该征集，或您无权查看。")
    return call


def is_open(call):
    return call.published_at is None and timezone.now() <= call.deadline


def entries_of(call, user):
    """The entries `user` may see, each with .average (None before the first score) and
    .mine (the user's own score): all of them for the issuer's scorers, else the user's."""
    rows = call.entries.select_related("article__unit").prefetch_related("scores")
    if not can_score(user, call):
        q = selectors.articles_visible_to(user).values("pk")
        rows = rows.filter(Q(article__in=q))
    out = list(rows)
    for entry in out:
        scores = list(entry.scores.all())
        entry.average = round(mean(s.score for s in scores), 1) if scores else None
        entry.mine = next((s for s in scores if s.reviewer_id == user.pk), None)
    return sorted(out, key=lambda e: (e.average is None, -(e.average or 0), e.pk))


@transaction.atomic
def open_call(*, notice, by, kind, title, deadline, description=""):
    if not can_open(by, notice):
        raise PermissionDenied("只有发文单位的管理员可以发起征集。")
    if kind not in SolicitationKind.values:
        raise ValidationError({"kind": "请选择征集类型。"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写征集名称。"})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": "截止时间必须晚于现在。"})
    call = Solicitation.objects.create(
        notice=notice,
        kind=kind,
        title=title.strip(),
        description=(description or "").strip(),
        deadline=deadline,
        created_by=by,
    )
    record_event(action="articles.call_opened", by=by, unit=notice.issuer, obj=call)
    return call


@transaction.atomic
def enter(*, call, article, by):
    """A unit below the issuer enters one of its approved briefs before the deadline."""
    if not selectors.can_write(by, article.unit):
        raise PermissionDenied("只有撰稿单位的填报员或管理员可以报送作品。")
    if not is_open(call):
        raise ValidationError("征集已截止。")
    if article.status != ArticleStatus.APPROVED:
        raise ValidationError("只有审核通过的简讯可以报送。")
    if not article.unit_path.startswith(call.notice.issuer.path):
        raise ValidationError("这篇简讯的撰稿单位不在本次征集的范围内。")
    if call.entries.filter(article=article).exists():
        raise ValidationError("这篇简讯已经报送过。")
    entry = Entry.objects.create(call=call, article=article, entered_by=by)
    record_event(action="articles.entered", by=by, unit=article.unit, obj=entry)
    return entry


@transaction.atomic
def score(*, entry, by, value, comment=""):
    if not can_score(by, entry.call):
        raise PermissionDenied("只有发文单位的审核员或管理员可以评分。")
    if entry.call.published_at is not None:
        raise ValidationError("入选作品已发布，评分已结束。")
    if not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError({"score": "评分须为 0 到 100 的整数。"})
    row, _ = Score.objects.update_or_create(
        entry=entry, reviewer=by, defaults={"score": value, "comment": (comment or "")[:300]}
    )
    return row


@transaction.atomic
def publish_selected(*, call, by, entry_ids):
    """入选: mark the chosen entries and publish them together on the portal, marked
    典型经验 or 优秀案例 as the call's kind says."""
    if not can_open(by, call.notice):
        raise PermissionDenied("只有发文单位的管理员可以确定入选作品。")
    if call.published_at is not None:
        raise ValidationError("入选作品已经发布。")
    chosen = list(call.entries.filter(pk__in=list(entry_ids)).select_related("article"))
    if not chosen:
        raise ValidationError("请至少选择一篇入选作品。")
    now, issuer = timezone.now(), call.notice.issuer
    for entry in chosen:
        entry.selected = True
        entry.save(update_fields=["selected"])
        article = entry.article
        article.is_typical |= call.kind == SolicitationKind.TYPICAL
        article.is_excellent |= call.kind == SolicitationKind.EXCELLENT
        if article.published_at is None:
            article.published_at, article.published_by_unit = now, issuer
        article.save()
        ArticleEvent.objects.create(
            article=article,
            action="published",
            by=by,
            unit=issuer,
            note=f"《{call.title}》入选",
            version=article.version,
        )
    call.published_at = now
    call.save(update_fields=["published_at"])
    record_event(
        action="articles.call_published",
        by=by,
        unit=issuer,
        obj=call,
        after={"入选": [e.article.title for e in chosen]},
    )
    return chosen
