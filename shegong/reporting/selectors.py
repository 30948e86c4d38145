"""Who may see and act on period reports, and the reads built on them. A report is seen
by its own unit and by every unit above it; it is reviewed by the 审核员 or 管理员 of a
unit above it."""

from django.http import Http404

from shegong.activities.models import Activity
from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns.models import ExpectedReporter, PeriodKind, ReportingPeriod
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import Role

from .models import PeriodReport


def can_review(user, unit):
    """审核员 or 管理员 at a unit strictly above `unit`."""
    return bool(org_selectors.reviewing_units(user, unit.path))


def can_lock(user, period):
    """The issuer's 管理员 locks a period and grants exceptions after the lock."""
    return campaign_selectors.can_manage_issued(user, period.notice)


def reports_visible_to(user):
    q = org_selectors.visible_q(user, "unit_path")
    return PeriodReport.objects.filter(q) if q is not None else PeriodReport.objects.none()


def get_report_for_user(user, pk):
    report = (
        reports_visible_to(user)
        .select_related("unit", "period", "period__notice", "period__notice__issuer")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("没有找到该报表，或您无权查看。")
    return report


def periods_to_report(unit):
    """The expected-reporter rows of `unit` for periods of issued notices, soonest first."""
    return (
        ExpectedReporter.objects.filter(unit=unit, quota=None)
        .exclude(notice__status="draft")
        .select_related("period", "notice")
        .order_by("-period__cutoff")
    )


def report_rows(unit, period):
    """The register rows a report of `unit` for `period` consists of: its subtree's live
    activities that started in the period."""
    return Activity.objects.filter(
        tree.subtree(unit.path, "org_path"),
        deleted_at=None,
        date_start__range=(period.start_date, period.end_date),
    )


def to_review(user, limit=100):
    """Submitted reports below the units where the user reviews, oldest first."""
    roles = (Role.REVIEWER, Role.ADMIN)
    q = org_selectors.roles_q(user, roles, "unit_path")
    if q is None:
        return PeriodReport.objects.none()
    own = [m.unit_id for m in org_selectors.memberships_of(user) if m.role in roles]
    return (
        PeriodReport.objects.filter(q, status="submitted")
        .exclude(unit_id__in=own)
        .select_related("unit", "period", "period__notice")
        .order_by("submitted_at")[:limit]
    )


def get_summary_period(user, pk):
    """A 活动总结 period of a notice the user may see (404 otherwise)."""
    period = (
        ReportingPeriod.objects.select_related("notice", "notice__issuer")
        .filter(pk=pk, kind=PeriodKind.SUMMARY)
        .first()
    )
    if period is None:
        raise Http404("没有找到这个活动总结批次。")
    campaign_selectors.get_notice_for_user(user, period.notice_id)
    return period
