"""What of the register and the visit log a user may see, and the reads built on it.

Activities and visits carry their unit's path, so every subtree filter is one range on
one covering index (orgs.tree). Personal information of visited households is shown
only to the members of the unit that made the visit.
"""

from django.db.models import Count, Q, Sum
from django.http import Http404

from shegong.orgs import selectors as org_selectors
from shegong.orgs.models import Role

from .models import Activity, Visit


def can_enter(user, unit):
    """填报员 and 管理员 of the unit itself enter its activities and visits."""
    return any(
        m.unit_id == unit.pk and m.role in (Role.FILLER, Role.ADMIN)
        for m in org_selectors.memberships_of(user)
    )


def can_unlock(user, unit):
    """审核员 (or 管理员) at the unit or above it."""
    return bool(org_selectors.roles_over(user, unit) & {Role.REVIEWER, Role.ADMIN})


def activities_visible_to(user, include_deleted=False):
    q = org_selectors.visible_q(user, "org_path")
    if q is None:
        return Activity.objects.none()
    rows = Activity.objects.filter(q)
    return rows if include_deleted else rows.filter(deleted_at=None)


def get_activity_for_user(user, pk, include_deleted=False):
    activity = (
        activities_visible_to(user, include_deleted)
        .select_related("unit", "notice", "activity_type", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("没有找到该活动，或您无权查看。")
    return activity


def totals(queryset):
    """Count and sums of a filtered register, for the totals line."""
    return queryset.aggregate(
        n=Count("id"),
        participants=Sum("participants"),
        beneficiaries=Sum("beneficiaries"),
        funds=Sum("funds"),
        inkind=Sum("inkind"),
    )


def visits_visible_to(user, include_deleted=False):
    q = org_selectors.visible_q(user, "org_path")
    if q is None:
        return Visit.objects.none()
    rows = Visit.objects.filter(q)
    return rows if include_deleted else rows.filter(deleted_at=None)


def get_visit_for_user(user, pk):
    visit = visits_visible_to(user).select_related("unit", "activity").filter(pk=pk).first()
    if visit is None:
        raise Http404("没有找到该走访记录，或您无权查看。")
    return visit


def sees_personal_data(user, unit):
    """Only the people of the unit that made a visit see who was visited."""
    return org_selectors.is_member(user, unit.pk)


def visit_counts(queryset):
    return queryset.aggregate(n=Count("id"), follow_up=Count("id", filter=Q(follow_up=True)))
