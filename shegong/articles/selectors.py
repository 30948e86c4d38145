"""Who may see and act on briefs. A brief is seen by its own unit and every unit above it;
it is written by the 填报员 or 管理员 of its unit, reviewed by the 审核员 or 管理员 of a
unit above, and once approved it is published, marked and recommended by the unit that
holds it. The portal sees published briefs only (portal.selectors)."""

from django.http import Http404

from shegong.activities import selectors as activity_selectors
from shegong.orgs import selectors as org_selectors
from shegong.orgs.models import Role

from .models import Article, ArticleStatus

REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)


def can_write(user, unit):
    return activity_selectors.can_enter(user, unit)


def review_unit(user, article):
    """The deepest unit strictly above the brief's unit where `user` reviews, or None."""
    above = org_selectors.reviewing_units(user, article.unit_path)
    return max(above, key=lambda u: len(u.path), default=None)


def can_review(user, article):
    return article.status == ArticleStatus.SUBMITTED and review_unit(user, article) is not None


def can_hold(user, article):
    """审核员 or 管理员 of the unit holding an approved brief."""
    return article.status == ArticleStatus.APPROVED and any(
        m.unit_id == article.holder_id and m.role in REVIEW_ROLES
        for m in org_selectors.memberships_of(user)
    )


def articles_visible_to(user):
    q = org_selectors.visible_q(user, "unit_path")
    return Article.objects.filter(q) if q is not None else Article.objects.none()


def to_review(user):
    """Submitted briefs below the units where `user` reviews."""
    q = org_selectors.roles_q(user, REVIEW_ROLES, "unit_path")
    if q is None:
        return Article.objects.none()
    own = [m.unit_id for m in org_selectors.memberships_of(user)]
    return Article.objects.filter(q, status=ArticleStatus.SUBMITTED).exclude(unit_id__in=own)


def held_by(user):
    """Approved briefs held by a unit where `user` reviews: to publish or recommend."""
    units = [m.unit_id for m in org_selectors.memberships_of(user) if m.role in REVIEW_ROLES]
    return Article.objects.filter(holder_id__in=units, status=ArticleStatus.APPROVED)


def get_article_for_user(user, pk):
    article = (
        articles_visible_to(user)
        .select_related("unit", "holder", "activity", "author", "published_by_unit")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404("没有找到该简讯，或您无权查看。")
    return article


def marked_in(unit, since, until):
    """Approved briefs of `unit`'s subtree marked 典型经验 or 优秀案例, written from `since`
    to `until` (a summary's span up to its cutoff), with their pictures."""
    from django.db.models import Q

    from shegong.orgs import tree

    return (
        Article.objects.filter(
            tree.subtree(unit.path, "unit_path"),
            Q(is_typical=True) | Q(is_excellent=True),
            status=ArticleStatus.APPROVED,
            created_at__date__range=(since, until),
        )
        .select_related("unit")
        .prefetch_related("photos")
        .order_by("unit_path", "created_at")
    )
