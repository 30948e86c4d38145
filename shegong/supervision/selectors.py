"""Who sees which supervision visits and rectification items, and who acts on them.

A visit is seen by its station and every unit above it; a neighbour station never. It is
recorded by a 审核员 or 管理员 of a unit above the station; the station's 填报员 or
管理员 report an item done; a 审核员 or 管理员 above (or whoever recorded the visit)
verifies it, which closes it."""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shegong.activities import selectors as activity_selectors
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import SERVICE_KINDS, OrgUnit, Role

from .models import Item, ItemStatus, Visit

REVIEW_ROLES = (Role.REVIEWER, Role.ADMIN)
SOON = timedelta(days=7)

LABELS = {
    "visits": "督导次数",
    "items_open": "未销号整改事项",
    "items_overdue": "逾期未销号整改事项",
    "items_closed": "验收销号整改事项",
}

FILTERS = {
    "open": "未销号",
    "overdue": "已逾期",
    "reported": "待验收",
    "closed": "已销号",
    "all": "全部",
}


def visits_visible_to(user):
    q = org_selectors.visible_q(user, "station_path")
    return Visit.objects.filter(q) if q is not None else Visit.objects.none()


def items_visible_to(user):
    q = org_selectors.visible_q(user, "station_path")
    return Item.objects.filter(q) if q is not None else Item.objects.none()


def get_visit_for_user(user, pk):
    visit = (
        visits_visible_to(user)
        .select_related("station", "visiting_unit", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404("没有找到该督导记录，或您无权查看。")
    return visit


def get_item_for_user(user, pk):
    item = items_visible_to(user).select_related("visit", "visit__station").filter(pk=pk).first()
    if item is None:
        raise Http404("没有找到该整改事项，或您无权查看。")
    return item


def recording_unit(user, station):
    """The deepest unit strictly above `station` where `user` is 审核员 or 管理员: the
    visiting unit of a visit they record; None when they may not record one."""
    above = org_selectors.reviewing_units(user, station.path)
    return max(above, key=lambda u: len(u.path), default=None)


def can_record(user, station):
    return station.kind in SERVICE_KINDS and recording_unit(user, station) is not None


def stations_to_record(user, unit):
    """Service units (stations, rooms, organisations) below `unit` that `user` may record
    visits to: none unless they review at `unit` or above it."""
    if not org_selectors.roles_over(user, unit) & set(REVIEW_ROLES):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        tree.descendants(unit.path), kind__in=SERVICE_KINDS, is_active=True
    ).order_by("path")


def can_report(user, item):
    """The station's own 填报员 or 管理员 report its items done."""
    return item.status == ItemStatus.OPEN and activity_selectors.can_enter(user, item.visit.station)


def can_verify(user, item):
    """A reviewer above the station, or the person who recorded the visit."""
    if item.status != ItemStatus.OPEN or item.rectified_at is None:
        return False
    return bool(org_selectors.reviewing_units(user, item.station_path)) or (
        item.visit.recorded_by_id is not None and item.visit.recorded_by_id == user.pk
    )


def filter_items(rows, status, today):
    if status == "open":
        return rows.filter(status=ItemStatus.OPEN)
    if status == "overdue":
        return rows.filter(status=ItemStatus.OPEN, due__lt=today)
    if status == "reported":
        return rows.filter(status=ItemStatus.OPEN, rectified_at__isnull=False)
    if status == "closed":
        return rows.filter(status=ItemStatus.CLOSED)
    return rows


def items_of(user, unit, status="open", station=None, today=None):
    """The visible items of `unit`'s subtree (or of one station in it), filtered."""
    today = today or timezone.localdate()
    rows = items_visible_to(user).filter(tree.subtree((station or unit).path, "station_path"))
    return (
        filter_items(rows, status, today)
        .select_related("visit", "visit__station")
        .order_by("status", "due", "id")
    )


def stations_with_visits(user, unit):
    """The stations of `unit`'s subtree that have visits, for the filter's choice."""
    ids = (
        visits_visible_to(user)
        .filter(tree.subtree(unit.path, "station_path"))
        .values_list("station_id", flat=True)
        .distinct()
    )
    return OrgUnit.objects.filter(pk__in=list(ids)).order_by("path")


def due_items(user, today):
    """Open items due within 7 days or overdue, for the station's members and the units
    above it alike: the to-do list of both sides."""
    q = org_selectors.visible_q(user, "station_path")
    if q is None:
        return []
    rows = (
        Item.objects.filter(q, status=ItemStatus.OPEN, due__lte=today + SOON)
        .select_related("visit__station")
        .order_by("due", "id")[:20]
    )
    out = []
    for item in rows:
        waiting = "（已报整改，待验收）" if item.rectified_at else ""
        out.append(
            {
                "kind": "督导整改",
                "title": f"{item.visit.station.display_name}：{item.what}{waiting}",
                "due": item.due,
                "url": reverse("supervision_visit", args=[item.visit_id]),
            }
        )
    return out


def figures(path, start, end):
    """Visits from `start` to `end`, items open and overdue now, items closed in the span."""
    items = Item.objects.filter(tree.subtree(path, "station_path"))
    today = timezone.localdate()
    return {
        "visits": Visit.objects.filter(
            tree.subtree(path, "station_path"), date__range=(start, end)
        ).count(),
        "items_open": items.filter(status=ItemStatus.OPEN).count(),
        "items_overdue": items.filter(Q(status=ItemStatus.OPEN), due__lt=today).count(),
        "items_closed": items.filter(
            status=ItemStatus.CLOSED, verified_on__range=(start, end)
        ).count(),
    }


def public_figures(unit):
    """Supervision findings are internal: nothing for the portal."""
    return {}
