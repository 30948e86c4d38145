"""What of volunteers, teams and the time bank a user may see. A station's volunteers are
seen by the station and every unit above it; the phone number in full only by the station's
own members (above it, masked 138****5678). Entries are written by the station's 填报员 or
管理员 only (activities.selectors.can_enter)."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse

from shegong.activities import selectors as activity_selectors
from shegong.activities.models import Activity
from shegong.activities.privacy import mask_phone
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree

from .models import Entry, EntryKind, SignUp, Team, Volunteer

ZERO = Decimal("0.0")

# figures(): what each number means, for the dashboards and the summary.
LABELS = {
    "volunteers": "注册志愿者（人）",
    "volunteers_new": "期间新注册志愿者（人）",
    "teams": "志愿服务队（支）",
    "hours_earned": "期间志愿服务时长（小时）",
    "hours_spent": "期间兑换服务时长（小时）",
}


def can_enter(user, station):
    """填报员 and 管理员 of the station itself register volunteers and keep the ledger."""
    return activity_selectors.can_enter(user, station)


def sees_phone(user, station):
    """The station's own members see phone numbers in full; everyone above, masked."""
    return org_selectors.is_member(user, station.pk)


def shown_phone(user, station, phone):
    return phone if sees_phone(user, station) else mask_phone(phone)


def volunteers_visible_to(user):
    q = org_selectors.visible_q(user, "station_path")
    return Volunteer.objects.filter(q) if q is not None else Volunteer.objects.none()


def teams_visible_to(user):
    q = org_selectors.visible_q(user, "station_path")
    return Team.objects.filter(q) if q is not None else Team.objects.none()


def volunteers_under(user, unit):
    """The volunteers of `unit`'s subtree (a unit the user works as), newest first."""
    return (
        volunteers_visible_to(user)
        .filter(tree.subtree(unit.path, "station_path"))
        .select_related("station", "team")
    )


def teams_under(user, unit):
    return (
        teams_visible_to(user)
        .filter(tree.subtree(unit.path, "station_path"))
        .select_related("station")
        .annotate(n=Count("members", filter=Q(members__is_active=True)))
    )


def get_volunteer_for_user(user, pk):
    volunteer = volunteers_visible_to(user).select_related("station", "team").filter(pk=pk).first()
    if volunteer is None:
        raise Http404("没有找到该志愿者，或您无权查看。")
    return volunteer


def get_team_for_user(user, pk):
    team = teams_visible_to(user).select_related("station").filter(pk=pk).first()
    if team is None:
        raise Http404("没有找到该志愿服务队，或您无权查看。")
    return team


def get_entry_for_user(user, pk):
    q = org_selectors.visible_q(user, "station_path")
    entry = (
        Entry.objects.filter(q).select_related("volunteer__station").filter(pk=pk).first()
        if q is not None
        else None
    )
    if entry is None:
        raise Http404("没有找到该记录，或您无权查看。")
    return entry


def get_signup_for_user(user, pk):
    q = org_selectors.visible_q(user, "volunteer__station_path")
    signup = (
        SignUp.objects.filter(q)
        .select_related("volunteer__station", "activity", "entry")
        .filter(pk=pk)
        .first()
        if q is not None
        else None
    )
    if signup is None:
        raise Http404("没有找到该报名记录，或您无权查看。")
    return signup


def statement(volunteer):
    """The volunteer's entries in order, each with the balance it left and whether it has
    been reversed (a reversed line is shown struck through, never removed)."""
    return list(
        volunteer.entries.select_related("activity", "by", "reverses").prefetch_related(
            "reversed_by"
        )
    )


def is_reversed(entry):
    return Entry.objects.filter(reverses=entry).exists()


def signups_of(volunteer):
    return volunteer.signups.select_related("activity").order_by("-activity__date_start", "-id")


def signups_for_activity(activity):
    return SignUp.objects.filter(activity=activity).select_related("volunteer", "entry")


def activities_to_sign_up(station):
    """The station's own activities a volunteer may be signed up to (newest first)."""
    return Activity.objects.filter(unit=station, deleted_at=None).order_by("-date_start", "-id")


def get_station_activity(user, pk):
    """An activity the user may see, for its volunteers page (404 otherwise)."""
    return activity_selectors.get_activity_for_user(user, pk)


# Integration: dashboards, the summary, the portal and the home to-do list.


def _earned(rows):
    """Hours earned on `rows` of entries, less the reversals of earned entries."""
    got = rows.aggregate(
        earned=Sum("hours", filter=Q(kind=EntryKind.EARNED)),
        undone=Sum("hours", filter=Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.EARNED)),
        spent=Sum("hours", filter=Q(kind=EntryKind.SPENT)),
        unspent=Sum("hours", filter=Q(kind=EntryKind.REVERSAL, reverses__kind=EntryKind.SPENT)),
    )
    earned = (got["earned"] or ZERO) - (got["undone"] or ZERO)
    spent = (got["spent"] or ZERO) - (got["unspent"] or ZERO)
    return earned, spent


def figures(path, start, end):
    """Plain numbers for the subtree at `path` from `start` to `end` (dates, inclusive);
    no personal data. Keys are explained in LABELS."""
    in_tree = tree.subtree(path, "station_path")
    volunteers = Volunteer.objects.filter(in_tree, is_active=True)
    entries = Entry.objects.filter(in_tree, at__date__gte=start, at__date__lte=end)
    earned, spent = _earned(entries)
    return {
        "volunteers": volunteers.count(),
        "volunteers_new": volunteers.filter(registered_on__range=(start, end)).count(),
        "teams": Team.objects.filter(in_tree).count(),
        "hours_earned": earned,
        "hours_spent": spent,
    }


def due_items(user, today):
    """Activities of tomorrow (and today) at the user's stations with volunteers signed up:
    a reminder to record their hours afterwards. Only for those who keep the ledger."""
    stations = [
        m.unit
        for m in org_selectors.memberships_of(user)
        if activity_selectors.can_enter(user, m.unit)
    ]
    if not stations:
        return []
    rows = list(
        Activity.objects.filter(
            unit__in=stations,
            deleted_at=None,
            date_start__gte=today,
            date_start__lte=today + timedelta(days=1),
        )
        .filter(pk__in=SignUp.objects.values("activity_id"))
        .order_by("date_start", "id")[:50]
    )
    counts = dict(
        SignUp.objects.filter(activity__in=rows)
        .values_list("activity_id")
        .annotate(n=Count("id"))
        .values_list("activity_id", "n")
    )
    return [
        {
            "kind": "志愿服务",
            "title": f"{a.name}：{counts.get(a.pk, 0)} 名志愿者报名，活动后记录服务时长",
            "due": a.date_start,
            "url": reverse("volunteer_activity", args=[a.pk]),
        }
        for a in rows
    ]


def public_figures(unit):
    """What a station may disclose on its public page: how many volunteers, how many hours."""
    in_tree = tree.subtree(unit.path, "station_path")
    earned, _ = _earned(Entry.objects.filter(in_tree))
    return {
        "volunteers": Volunteer.objects.filter(in_tree, is_active=True).count(),
        "hours_served": earned,
    }


PUBLIC_LABELS = {"volunteers": "注册志愿者（人）", "hours_served": "累计志愿服务时长（小时）"}
