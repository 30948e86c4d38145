"""What the public portal may show: published briefs only, and of them nothing but the
brief itself (title, unit, date, body, pictures and captions). Drafts, submitted, returned
and unpublished briefs, reviewers' notes and the register never reach these pages."""

from django.db.models import Q
from django.http import Http404

from shegong.articles.models import Article, ArticleStatus
from shegong.campaigns.models import Notice, NoticeStatus
from shegong.casework import selectors as cases
from shegong.funds import selectors as funds
from shegong.orgs import tree
from shegong.orgs.models import OrgUnit
from shegong.ratings import selectors as ratings
from shegong.reporting import yearround
from shegong.volunteers import selectors as volunteers


def published():
    return (
        Article.objects.filter(status=ArticleStatus.APPROVED)
        .exclude(published_at=None)
        .select_related("unit", "published_by_unit")
        .order_by("-published_at", "-id")
    )


def search(text="", region=None):
    rows = published()
    if region is not None:
        rows = rows.filter(tree.subtree(region.path, "unit_path"))
    for word in text.split()[:5]:
        rows = rows.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return rows


def get_published(pk):
    article = published().filter(pk=pk).first()
    if article is None:
        raise Http404("没有找到该简讯。")
    return article


def regions():
    """The top-level units below the root that have published briefs: 各地动态's tabs."""
    width = 2 * tree.SEGMENT
    paths = {p[:width] for p in published().values_list("unit_path", flat=True)[:5000]}
    return list(OrgUnit.objects.filter(path__in=paths).order_by("path"))


def region_by_code(code):
    unit = OrgUnit.objects.filter(code=code, is_active=True).first() if code else None
    return unit if unit is not None and tree.depth_of(unit.path) == 1 else None


def current_theme():
    """The theme of the newest issued notice that has one (the campaign of the year)."""
    return (
        Notice.objects.exclude(theme="")
        .exclude(status=NoticeStatus.DRAFT)
        .order_by("-window_start", "-id")
        .values_list("theme", "title")
        .first()
    )


def station_pages(text=""):
    from .models import StationPage

    rows = StationPage.objects.filter(is_public=True, unit__is_active=True).select_related("unit")
    for word in text.split()[:5]:
        rows = rows.filter(
            Q(place_name__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(address__icontains=word)
        )
    return rows.order_by("unit__path")


def get_station_page(code):
    page = station_pages().filter(unit__code=code).first()
    if page is None:
        raise Http404("没有找到该服务场所。")
    return page


def campaign_figures():
    """(notice, headline totals) of the newest issued notice whose issuer chose to show its
    figures on the portal, or None. Totals cover the issuer's whole subtree."""
    from shegong.reporting.dashboard import headline

    notice = (
        Notice.objects.filter(portal_figures=True)
        .exclude(status=NoticeStatus.DRAFT)
        .select_related("issuer")
        .prefetch_related("periods", "quotas")
        .order_by("-window_start", "-id")
        .first()
    )
    return (notice, headline(notice.issuer, notice)) if notice else None


def disclosed(page):
    """What the station chose to disclose beside its page (StationPage.show_*): each app's
    public_figures(unit), aggregate numbers only, as (label, value) rows."""
    chosen = [
        (page.show_cases, cases),
        (page.show_volunteers, volunteers),
        (page.show_funds, funds),
        (page.show_ratings, ratings),
    ]
    out = []
    for shown, selectors in chosen:
        if shown:
            labels = {**selectors.LABELS, **getattr(selectors, "PUBLIC_LABELS", {})}
            out += yearround.rows(selectors.public_figures(page.unit), labels)
    return out
