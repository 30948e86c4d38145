"""The header's search box: units, notices (by 文号 or title), activities, briefs and case
files that the user may see, grouped by kind, each scoped exactly as its own list is."""

import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from shegong.activities import search as activity_search
from shegong.activities import selectors as activity_selectors
from shegong.articles import selectors as article_selectors
from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns.models import normalise_doc_number
from shegong.casework import selectors as case_selectors
from shegong.orgs import selectors as org_selectors

MAX_TEXT = 50  # longer text is cut: nobody types more into a search box
# A 文号, whole or in part: 机关代字, 〔年份〕, 序号号 (campaigns.models.DOC_NUMBER).
_DOC = re.compile(r"^(?P<prefix>[^〔〕]*)(?:〔(?P<year>\d{4})〕(?:(?P<serial>\d+)号?)?)?$")


@dataclass
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str  # units, notices, activities, briefs, cases
    label: str
    hits: list = field(default_factory=list)
    more: bool = False  # more than the limit were found


def search(user, text, limit_per_kind=10):
    """The groups that found something for `text`, in a fixed order."""
    text = (text or "").strip()[:MAX_TEXT]
    if not text:
        return []
    groups = [
        _group("units", "单位", _units(user, text, limit_per_kind + 1), limit_per_kind),
        _group("notices", "通知", _notices(user, text, limit_per_kind + 1), limit_per_kind),
        _group("activities", "活动", _activities(user, text, limit_per_kind + 1), limit_per_kind),
        _group("briefs", "简讯", _briefs(user, text, limit_per_kind + 1), limit_per_kind),
        _group("cases", "个案档案", _cases(user, text, limit_per_kind + 1), limit_per_kind),
    ]
    return [g for g in groups if g.hits]


def _group(kind, label, hits, limit):
    return Group(kind, label, hits[:limit], more=len(hits) > limit)


def _units(user, text, limit):
    return [
        Hit(u.name, reverse("unit_detail", args=[u.code]), u.code)
        for u in org_selectors.search_units(user, text, limit=limit)
    ]


def notice_q(text):
    """Notices whose title contains `text`, or whose 文号 is `text` or a part of it that
    keeps its shape: 粤民办函〔2022〕19号, 民办函〔2022〕, 〔2022〕19号, 民办函."""
    q = Q(title__contains=text)
    match = _DOC.match(normalise_doc_number(text))
    if match:
        part = Q(doc_serial__isnull=False)
        if match["prefix"]:
            if match["year"]:  # the 代字 ends where the year begins
                part &= Q(doc_prefix__endswith=match["prefix"])
            else:
                part &= Q(doc_prefix__contains=match["prefix"])
        if match["year"]:
            part &= Q(doc_year=int(match["year"]))
        if match["serial"]:
            part &= Q(doc_serial=int(match["serial"]))
        q |= part
    return q


def _notices(user, text, limit):
    rows = (
        campaign_selectors.notices_visible_to(user)
        .filter(notice_q(text))
        .select_related("issuer")
        .order_by("-window_start", "-id")[:limit]
    )
    return [
        Hit(n.title, reverse("notice_detail", args=[n.pk]), " ".join([n.doc_number, n.issuer.name]))
        for n in rows
    ]


def _activities(user, text, limit):
    rows = activity_search.filter_keyword(activity_selectors.activities_visible_to(user), text)
    rows = rows.select_related("unit").order_by("-date_start", "-id")[:limit]
    return [
        Hit(
            a.name,
            reverse("activity_detail", args=[a.pk]),
            f"{a.date_start:%Y-%m-%d} {a.unit.name}",
        )
        for a in rows
    ]


def _briefs(user, text, limit):
    rows = (
        article_selectors.articles_visible_to(user)
        .filter(title__contains=text)
        .select_related("unit")
        .order_by("-id")[:limit]
    )
    return [
        Hit(
            b.title,
            reverse("article_detail", args=[b.pk]),
            f"{b.unit.name} {b.get_status_display()}",
        )
        for b in rows
    ]


def _cases(user, text, limit):
    """Case files by number: those of the user's own stations only (casework.selectors)."""
    return [
        Hit(str(case), reverse("case_detail", args=[case.pk]))
        for case in case_selectors.search_cases(user, text)[:limit]
    ]
