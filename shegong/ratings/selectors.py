"""Reads of ratings. The public form sees one active service unit (station, room, agency) and
its recent activities, nothing else. Staff see the ratings of their units' subtrees: the
averages rolled up by station, service domain and activity form, and the comments, which
only the owning station and the units above it read (never a neighbour)."""

from datetime import timedelta

from django.db.models import Avg, Count, F, Q
from django.http import Http404

from shegong.activities.models import Activity, ServiceDomain
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import SERVICE_KINDS, OrgUnit

from .models import Rating
from .services import WINDOW_DAYS

# figures(): what each number means, for the dashboards and the summary.
LABELS = {
    "ratings": "服务评价（条）",
    "average": "平均评分（星，满分5星）",
    "satisfied": "四星及以上评价（条）",
}
PUBLIC_LABELS = {"ratings": "服务评价（条）", "average": "平均评分（星）"}


# The public form


def ratable_station(code):
    unit = OrgUnit.objects.filter(code=code, is_active=True, kind__in=SERVICE_KINDS).first()
    if unit is None:
        raise Http404("没有找到该服务站点。")
    return unit


def recent_activities(station, today):
    """The station's activities that may be rated today, newest first."""
    return Activity.objects.filter(
        unit=station,
        deleted_at=None,
        date_start__lte=today,
        date_end__gte=today - timedelta(days=WINDOW_DAYS),
    ).order_by("-date_start", "-id")


def get_ratable_activity(station, pk, today):
    activity = recent_activities(station, today).filter(pk=pk).first()
    if activity is None:
        raise Http404("没有找到该活动，或该活动已不在评价期内。")
    return activity


# Staff pages


def ratings_visible_to(user):
    q = org_selectors.visible_q(user, "station_path")
    return Rating.objects.filter(q) if q is not None else Rating.objects.none()


def ratings_under(user, unit, start=None, end=None):
    rows = ratings_visible_to(user).filter(tree.subtree(unit.path, "station_path"))
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    return rows


def _summary(rows):
    got = rows.aggregate(
        n=Count("id"), average=Avg("stars"), satisfied=Count("id", Q(stars__gte=4))
    )
    average = round(got["average"], 2) if got["average"] is not None else None
    return {"n": got["n"], "average": average, "satisfied": got["satisfied"]}


def _rows(grouped, label):
    return [
        {"label": r[label] or "未填写", "n": r["n"], "average": round(r["average"], 2)}
        for r in grouped
    ]


def rollup(rows):
    """Count and average stars overall, by station, by service domain and by activity form."""
    by_station = _rows(
        rows.values("station__name", "station__path")
        .annotate(n=Count("id"), average=Avg("stars"))
        .order_by("station__path"),
        "station__name",
    )
    by_type = _rows(
        rows.values("activity__activity_type__name", "activity__activity_type__order")
        .annotate(n=Count("id"), average=Avg("stars"))
        .order_by("activity__activity_type__order", "activity__activity_type__name"),
        "activity__activity_type__name",
    )
    by_domain = []
    for domain in ServiceDomain.objects.filter(is_active=True):
        # An activity serves several domains: it counts under each of them.
        summary = _summary(
            rows.alias(bit=F("activity__domain_mask").bitand(domain.mask)).filter(bit__gt=0)
        )
        if summary["n"]:
            by_domain.append({"label": domain.name, **summary})
    return {
        "total": _summary(rows),
        "by_station": by_station,
        "by_domain": by_domain,
        "by_type": by_type,
    }


def comments(rows, limit=100):
    return rows.exclude(comment="").select_related("activity", "station")[:limit]


def by_activity(rows, limit=50):
    return (
        rows.values("activity_id", "activity__name", "activity__date_start", "station__name")
        .annotate(n=Count("id"), average=Avg("stars"))
        .order_by("-activity__date_start", "-activity_id")[:limit]
    )


# Integration: dashboards, the summary, the portal and the home to-do list.


def figures(path, start, end):
    """Plain numbers for the subtree at `path`, ratings given from `start` to `end`
    (inclusive); no personal data. Keys are explained in LABELS."""
    rows = Rating.objects.filter(
        tree.subtree(path, "station_path"), created_at__date__gte=start, created_at__date__lte=end
    )
    s = _summary(rows)
    return {"ratings": s["n"], "average": s["average"], "satisfied": s["satisfied"]}


def due_items(user, today):
    """Ratings ask nothing of staff by a date."""
    return []


def public_figures(unit):
    """What a station may disclose on its public page: its average rating and how many."""
    s = _summary(Rating.objects.filter(tree.subtree(unit.path, "station_path")))
    return {"ratings": s["n"], "average": s["average"]}
