"""Who sees which case files, and the reads built on them.

A file is seen only by the members of the station that owns it: its 个案社工 see the
personal fields (every such reading is audited by the view), the other members see the
list with masked names. Units above see counts by group and status, never a file; a
neighbour sees nothing. Numbers for dashboards, the to-do list and the portal are
aggregate only.
"""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import OrgUnit, Role

from .models import (
    CaseFile,
    CaseGroup,
    CaseStatus,
    FollowUp,
    ServiceRecord,
    Transfer,
    TransferStatus,
)

DUE_WINDOW = timedelta(days=7)

# Chinese labels of figures(); the keys "group:<name>" are labelled by the group's name.
LABELS = {
    "open_at_end": "期末在案档案数",
    "opened": "期内新建档案数",
    "closed": "期内结案档案数",
    "records": "期内服务记录数",
    "record_hours": "期内服务时长（小时）",
}

PUBLIC_LABELS = {
    "people_served": "建档服务对象（人/户）",
    "records_this_year": "本年个案服务人次",
}


def is_caseworker(user, unit):
    """个案社工 of `unit` itself (not of a unit above it)."""
    return any(
        m.unit_id == unit.pk and m.role == Role.CASEWORKER
        for m in org_selectors.memberships_of(user)
    )


def caseworker_units(user):
    return [m.unit for m in org_selectors.memberships_of(user) if m.role == Role.CASEWORKER]


def files_visible_to(user):
    """Files of the units where `user` is a member (any role): never those below or beside."""
    units = {m.unit_id for m in org_selectors.memberships_of(user)}
    return CaseFile.objects.filter(unit_id__in=units)


def get_file_for_user(user, pk):
    case = files_visible_to(user).select_related("unit", "group").filter(pk=pk).first()
    if case is None:
        raise Http404("没有找到该档案，或您无权查看。")
    return case


def active_groups():
    return CaseGroup.objects.filter(is_active=True)


def attachable_visits(user, case):
    """Family visits of the file's station not yet attached to any file."""
    from shegong.activities.models import Visit

    if not is_caseworker(user, case.unit):
        return Visit.objects.none()
    return Visit.objects.filter(unit=case.unit, deleted_at=None, case_record=None).order_by(
        "-date", "-id"
    )


def incoming_transfers(user):
    units = [u.pk for u in caseworker_units(user)]
    return Transfer.objects.filter(to_unit_id__in=units, status=TransferStatus.PENDING)


def outgoing_transfers(user):
    units = [u.pk for u in caseworker_units(user)]
    return Transfer.objects.filter(from_unit_id__in=units)


def get_incoming_transfer(user, pk):
    transfer = (
        (incoming_transfers(user).select_related("case", "case__group", "from_unit", "to_unit"))
        .filter(pk=pk)
        .first()
    )
    if transfer is None:
        raise Http404("没有找到该转移申请，或您无权处理。")
    return transfer


def find_by_id_hash(unit, id_hash):
    return CaseFile.objects.filter(unit=unit, id_hash=id_hash)


def counts_by_group_status(path):
    """{(group name, status): n} for the subtree at `path`, plus the groups in order."""
    rows = (
        CaseFile.objects.filter(tree.subtree(path, "unit_path"))
        .values("group__name", "status")
        .annotate(n=Count("id"))
    )
    return {(r["group__name"], r["status"]): r["n"] for r in rows}


def summary_table(user, unit):
    """Counts by group (rows) and status (columns) below `unit`, which the user must see."""
    if not org_selectors.sees(user, unit.path):
        raise Http404("没有找到该单位，或您无权查看。")
    counts = counts_by_group_status(unit.path)
    rows = []
    for group in CaseGroup.objects.all():
        n_open = counts.get((group.name, CaseStatus.OPEN), 0)
        n_closed = counts.get((group.name, CaseStatus.CLOSED), 0)
        if group.is_active or n_open or n_closed:
            rows.append({"group": group.name, "open": n_open, "closed": n_closed})
    total = {
        "open": sum(r["open"] for r in rows),
        "closed": sum(r["closed"] for r in rows),
    }
    return rows, total


def station_rows(user, unit):
    """(station, group, status, n) below `unit` for the export: counts only."""
    if not org_selectors.sees(user, unit.path):
        raise Http404("没有找到该单位，或您无权查看。")
    rows = (
        CaseFile.objects.filter(tree.subtree(unit.path, "unit_path"))
        .values("unit_path", "unit__name", "unit__code", "group__order", "group__name", "status")
        .annotate(n=Count("id"))
        .order_by("unit_path", "group__order", "group__name", "status")
    )
    return list(rows)


# --- integration: dashboards, the summary, the to-do list and the portal -----------------


def figures(path, start, end):
    """Plain numbers for the subtree at `path` from `start` to `end` (dates, inclusive):
    no personal data. Keys are explained in LABELS."""
    files = CaseFile.objects.filter(tree.subtree(path, "unit_path"))
    out = files.aggregate(
        open_at_end=Count(
            "id", filter=Q(opened_on__lte=end) & (Q(closed_on=None) | Q(closed_on__gt=end))
        ),
        opened=Count("id", filter=Q(opened_on__range=(start, end))),
        closed=Count("id", filter=Q(closed_on__range=(start, end))),
    )
    from django.db.models import Sum

    records = ServiceRecord.objects.filter(
        tree.subtree(path, "unit__path"), date__range=(start, end)
    ).aggregate(n=Count("id"), hours=Sum("hours"))
    out["records"] = records["n"]
    out["record_hours"] = float(records["hours"] or 0)
    open_files = files.filter(opened_on__lte=end).filter(Q(closed_on=None) | Q(closed_on__gt=end))
    for row in open_files.values("group__name").annotate(n=Count("id")):
        out[f"group:{row['group__name']}"] = row["n"]
    return out


def due_items(user, today):
    """Follow-ups of open files due within 7 days or overdue, for the 个案社工 of the
    owning station."""
    units = [u.pk for u in caseworker_units(user)]
    if not units:
        return []
    rows = (
        FollowUp.objects.filter(
            case__unit_id__in=units,
            case__status=CaseStatus.OPEN,
            done_on=None,
            due__lte=today + DUE_WINDOW,
        )
        .select_related("case")
        .order_by("due", "id")[:50]
    )
    return [
        {
            "kind": "个案跟进",
            "title": f"{f.case.number} {f.case.name_masked}：{f.what}",
            "due": f.due,
            "url": reverse("case_detail", args=[f.case_id]) + "#followups",
        }
        for f in rows
    ]


def public_figures(unit):
    """What a station may disclose: how many people it serves with a file and how many
    services it recorded this year. Aggregate only."""
    year_start = date(timezone.localdate().year, 1, 1)
    return {
        "people_served": CaseFile.objects.filter(unit=unit, status=CaseStatus.OPEN).count(),
        "records_this_year": ServiceRecord.objects.filter(unit=unit, date__gte=year_start).count(),
    }


def stations_for_transfer(unit):
    """Stations a file may go to: every active station but its own."""
    from shegong.orgs.models import Kind

    return OrgUnit.objects.filter(kind=Kind.STATION, is_active=True).exclude(pk=unit.pk)


def search_cases(user, text):
    """Files the user may see whose number holds `text` (the header's search). Names and
    ID numbers are encrypted and are not searched this way; an ID number is found whole
    through its keyed hash on the file list."""
    return files_visible_to(user).filter(number__contains=text).order_by("-opened_on", "-pk")
