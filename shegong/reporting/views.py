from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.activities import quotas, rollups
from shegong.activities import selectors as activity_selectors
from shegong.activities.validation import LABELS
from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns import services as campaign_services
from shegong.campaigns import tallies
from shegong.campaigns.models import ExpectedReporter, NoticeStatus, PeriodKind, ReportingPeriod
from shegong.db_router import replica_reads
from shegong.edits import EditConflict
from shegong.forms import error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.middleware import unit_of
from shegong.sheets import workbook_response

from . import dashboard as boards
from . import selectors, services, yearround
from .models import PeriodReport, ReportStatus

ROWS_SHOWN = 500


def _period(request, pk):
    """A period of a notice the user may see (404 otherwise)."""
    period = get_object_or_404(ReportingPeriod.objects.select_related("notice"), pk=pk)
    campaign_selectors.get_notice_for_user(request.user, period.notice_id)
    return period


# --- dashboard ------------------------------------------------------------------------


def _chosen_notice(request):
    """The notices the dashboard offers, and the one asked for (else the newest)."""
    notices = campaign_selectors.offered_notices(request.user)
    wanted = request.GET.get("notice")
    return notices, next(
        (n for n in notices if str(n.pk) == wanted), notices[0] if notices else None
    )


def _board(request, unit):
    notices, notice = _chosen_notice(request)
    if not notice:
        return notices, None
    children = org_selectors.children_of(request.user, unit)
    board = boards.cached(unit, notice, timezone.localdate(), children=children)
    return notices, board


@dataclass
class BoardPart:
    """The figures part of a dashboard page, rendered: what the page shows around it."""

    notice: object
    start: date
    end: date
    html: str


def _board_part(unit, notice, children):
    """The figures part of the dashboard of `unit` for `notice`. It shows nothing of the
    viewer's own (no form, no token), so it is kept with the board (dashboard.kept_part)."""

    def render_part(board):
        charts = {
            "weeks": [[w, n, p] for w, n, p in board.weeks],
            "domains": [[name, n, p] for name, n, p in board.domains],
            "forms": [[name, n, p] for name, n, p in board.forms],
            "linkage": [[label, n] for label, n in board.linkage],
            "children": [
                [row.unit.display_name, row.totals["n"], row.unit.code]
                for row in board.children
                if row.unit is not None
            ],
        }
        context = {"unit": unit, "board": board, "charts": charts}
        return board.start, board.end, render_to_string("reporting/_board.html", context)

    today = timezone.localdate()
    start, end, html = boards.kept_part("board-html", unit, notice, today, children, render_part)
    return BoardPart(notice, start, end, mark_safe(html))


@replica_reads
@login_required
def dashboard(request, code=None):
    unit = unit_of(request, code)
    notices, notice = _chosen_notice(request)
    board = None
    if notice:
        children = org_selectors.children_of(request.user, unit)
        board = _board_part(unit, notice, children)
    context = {
        "unit": unit,
        "can_publish": board is not None
        and notice.issuer_id == unit.pk
        and campaign_selectors.can_manage_issued(request.user, notice),
        "ancestors": org_selectors.ancestors_visible_to(request.user, unit),
        "notices": notices,
        "board": board,
    }
    return render(request, "reporting/dashboard.html", context)


@login_required
@require_POST
def dashboard_portal(request, notice_id):
    """The issuer's admin shows or hides the campaign's headline figures on the portal."""
    notice = campaign_selectors.get_notice_for_user(request.user, notice_id)
    on = request.POST.get("on") == "1"
    try:
        campaign_services.set_portal_figures(notice=notice, by=request.user, on=on)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(
            request, "统计数字已在门户网站公开。" if on else "门户网站不再显示统计数字。"
        )
    return redirect(f"{reverse('dashboard')}?notice={notice.pk}")


@replica_reads
@login_required
def dashboard_achievements(request, code):
    """The 'campaign achievements' panel (seed 001) and quota progress with the lagging
    units, loaded after the page: counting the units of a large subtree and their quota
    progress takes longer than the rest of the dashboard."""
    unit = unit_of(request, code)
    _, notice = _chosen_notice(request)
    lagging, lagging_total = quotas.lagging_below(unit, limit=20)
    today = timezone.localdate()
    context = {
        "rows": boards.achievements(unit, boards.headline(unit, notice)) if notice else [],
        "year_start": today.replace(month=1, day=1),
        "year_round": yearround.figures(unit, today.replace(month=1, day=1), today),
        "unit": unit,
        "quotas": quotas.progress_of(unit),
        "lagging": lagging,
        "lagging_total": lagging_total,
    }
    return render(request, "reporting/_achievements.html", context)


@replica_reads
@login_required
def dashboard_export(request, code):
    unit = unit_of(request, code)
    _, board = _board(request, unit)
    if board is None:
        raise Http404("没有可导出的通知。")
    header = [
        "单位代码",
        "单位",
        "活动（场）",
        "参与人次",
        "受益人次",
        "链接资金（元）",
        "链接物资折价（元）",
        "应报",
        "已报",
        "按时",
        "上报率",
        "及时率",
    ]
    rows = []
    for row in board.children:
        t, rate = row.totals, row.rate
        rates = (
            [
                rate.expected,
                rate.delivered,
                rate.on_time,
                _percent(rate.reported_rate),
                _percent(rate.on_time_rate),
            ]
            if rate
            else [""] * 5
        )
        code, name = (
            (row.unit.code, row.unit.name) if row.unit else (unit.code, f"{unit.name}（本级）")
        )
        figures = [t["n"], t["participants"], t["beneficiaries"], t["funds"], t["inkind"]]
        rows.append([code, name, *figures, *rates])
    h = board.headline
    rows.append(
        ["", "合计", h["n"], h["participants"], h["beneficiaries"], h["funds"], h["inkind"]]
    )
    filename = f"{unit.name}_下级单位统计_{timezone.localdate():%Y%m%d}.xlsx"
    return workbook_response(filename, "下级单位统计", header, rows)


def _percent(value):
    return "" if value is None else f"{value:.1%}"


# --- reports --------------------------------------------------------------------------


@login_required
def report_index(request):
    unit = unit_of(request)
    expected = list(selectors.periods_to_report(unit)[:50])
    reports = {
        r.period_id: r
        for r in PeriodReport.objects.filter(unit=unit, period__in=[e.period for e in expected])
    }
    rows = [(e, reports.get(e.period_id)) for e in expected]
    context = {
        "unit": unit,
        "rows": rows,
        "to_review": selectors.to_review(request.user),
        "issued_periods": ReportingPeriod.objects.filter(
            notice__issuer=unit, notice__status=NoticeStatus.ISSUED
        ).select_related("notice")[:50],
        "now": timezone.now(),
    }
    return render(request, "reporting/index.html", context)


def _report_context(request, unit, period, report):
    rows = selectors.report_rows(unit, period).select_related("unit", "activity_type")
    children = org_selectors.children_of(request.user, unit)
    split = rollups.by_child(
        unit.path, [c.path for c in children], period.start_date, period.end_date
    )
    child_reports = {
        r.unit_id: r for r in PeriodReport.objects.filter(period=period, unit__in=children)
    }
    breakdown = [(c, split[c.path], child_reports.get(c.pk)) for c in children]
    totals = rollups.figures(unit.path, period.start_date, period.end_date).money()
    return {
        "unit": unit,
        "period": period,
        "report": report,
        "activities": rows.order_by("date_start", "id")[:ROWS_SHOWN],
        "shown_limit": ROWS_SHOWN,
        "totals": totals,
        "breakdown": [b for b in breakdown if b[1]["n"] or b[2]],
        "own_totals": split[unit.path],
        "events": report.events.select_related("by") if report else [],
    }


@login_required
def period_report(request, period_id):
    """The current unit's report of one period: its register rows, and the submit form."""
    unit = unit_of(request)
    period = _period(request, period_id)
    if period.kind == PeriodKind.SUMMARY:  # its deliverable is written: the summary page
        return redirect("summary_edit", period.pk)
    expected = ExpectedReporter.objects.filter(period=period, unit=unit, quota=None).first()
    report = PeriodReport.objects.filter(period=period, unit=unit).first()
    conflict = None
    if request.method == "POST":
        try:
            services.submit_report(
                period=period,
                unit=unit,
                by=request.user,
                filler_name=request.POST.get("filler_name", ""),
                filler_mobile=request.POST.get("filler_mobile", ""),
                version=edits.posted_version(request.POST),
            )
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
        except EditConflict as e:
            conflict = report_conflict(request.POST, e.obj)
            report = e.obj
        else:
            messages.success(request, f"已报送“{period.name}”，等待上级审核。")
            return redirect("period_report", period_id=period.pk)
    context = _report_context(request, unit, period, report)
    context.update(
        expected=expected,
        can_submit=expected is not None
        and not expected.excused_at
        and activity_selectors.can_enter(request.user, unit)
        and (report is None or report.status in (ReportStatus.OPEN, ReportStatus.RETURNED)),
        late_now=timezone.now() > period.cutoff,
        filler_name=request.POST.get("filler_name") or (report and report.filler_name) or "",
        filler_mobile=request.POST.get("filler_mobile") or (report and report.filler_mobile) or "",
        conflict=conflict,
        **review_state(request, report),
    )
    return render(request, "reporting/period_report.html", context)


@login_required
def report_detail(request, pk):
    report = selectors.get_report_for_user(request.user, pk)
    if report.period.kind == PeriodKind.SUMMARY:
        return redirect("summary_detail", report.period_id, report.unit.code)
    context = _report_context(request, report.unit, report.period, report)
    context["can_review"] = report.status == ReportStatus.SUBMITTED and selectors.can_review(
        request.user, report.unit
    )
    context.update(review_state(request, report))
    return render(request, "reporting/report_detail.html", context)


def _report_values(report):
    """What a reviewer or submitter saw of a report, to tell them what changed since."""
    if report is None:
        return {}
    totals = report.totals or {}
    at = report.submitted_at and timezone.localtime(report.submitted_at)
    return {
        "状态": report.get_status_display(),
        "报送时间": f"{at:%Y-%m-%d %H:%M}" if at else "",
        "退回原因": report.return_reason,
        **{label: str(totals.get(key, "")) for key, label in FIGURES},
    }


FIGURES = [("n", "活动场次")]
FIGURES += [(key, LABELS[key]) for key in ("participants", "beneficiaries", "funds", "inkind")]


def review_state(request, report):
    """The version and values a report's forms are opened at, and a reason typed before a
    refused review (kept for one page view)."""
    reason = request.session.pop(f"review_reason_{report.pk}", "") if report else ""
    return {
        "report_version": report.version if report else 0,
        "report_base": edits.sign(_report_values(report)),
        "review_reason": reason,
    }


def report_conflict(data, report):
    """What changed on `report` since the page that posted `data` was opened."""
    base, theirs = edits.unsign(data.get("base")), _report_values(report)
    return edits.resolve(
        data,
        base=base,
        theirs=theirs,
        yours=base or {},
        labels={key: (key, None) for key in theirs},
        obj=report,
    )


@login_required
@require_POST
def report_review(request, pk):
    report = selectors.get_report_for_user(request.user, pk)
    version = edits.posted_version(request.POST)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_report(report=report, by=request.user, version=version)
            messages.success(request, f"已审核通过{report.unit.name}的报表，相关活动已锁定。")
        else:
            services.return_report(
                report=report,
                by=request.user,
                reason=request.POST.get("reason", ""),
                version=version,
            )
            messages.success(request, f"已退回{report.unit.name}的报表。")
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
        request.session[f"review_reason_{report.pk}"] = request.POST.get("reason", "")
    except EditConflict as e:
        conflict = report_conflict(request.POST, e.obj)
        changes = "；".join(f"{r.label}：{r.base} → {r.theirs}" for r in conflict.rows)
        messages.error(
            request,
            f"{conflict.message}（{changes or '内容有更新'}）。您的审核没有保存，"
            "请查看最新内容后再审核。",
        )
        request.session[f"review_reason_{report.pk}"] = request.POST.get("reason", "")
    return redirect("report_detail", pk=report.pk)


# --- completeness ---------------------------------------------------------------------


@login_required
def completeness(request, period_id):
    """上报率 and 及时率 of one period for my subtree, per child, and who is missing."""
    period = _period(request, period_id)
    unit = unit_of(request, request.GET.get("unit"))
    children = org_selectors.children_of(request.user, unit)
    rate = boards.Rate(period, *tallies.read(period, unit.path))
    counts = tallies.read_many(period, [c.path for c in children])
    child_rates = [(c, boards.Rate(period, *counts[c.path])) for c in children]
    missing = (
        ExpectedReporter.objects.filter(
            tree.subtree(unit.path, "unit_path"),
            period=period,
            quota=None,
            excused_at=None,
            delivered_at=None,
        )
        .select_related("unit")
        .order_by("unit_path")[:200]
    )
    statuses = PeriodReport.objects.filter(
        tree.subtree(unit.path, "unit_path"), period=period
    ).select_related("unit")[:500]
    context = {
        "period": period,
        "unit": unit,
        "rate": rate,
        "child_rates": [(c, r) for c, r in child_rates if r.expected],
        "missing": missing,
        "statuses": statuses,
        "can_lock": selectors.can_lock(request.user, period),
        "now": timezone.now(),
    }
    return render(request, "reporting/completeness.html", context)


@login_required
@require_POST
def completeness_remind(request, period_id):
    period = _period(request, period_id)
    unit = unit_of(request, request.POST.get("unit"))
    codes = request.POST.getlist("code")
    rows = ExpectedReporter.objects.filter(
        tree.subtree(unit.path, "unit_path"),
        period=period,
        quota=None,
        excused_at=None,
        delivered_at=None,
    ).select_related("unit")
    if codes:
        rows = rows.filter(unit__code__in=codes)
    units = [r.unit for r in rows[:500]]
    if not units:
        messages.info(request, "没有需要催报的单位。")
    else:
        sent = services.remind(period=period, units=units, by=request.user)
        messages.success(request, f"已向 {len(units)} 个单位的 {sent} 名人员发送催报提醒。")
    return redirect(f"{reverse('completeness', args=[period.pk])}?unit={unit.code}")


@login_required
@require_POST
def period_lock(request, period_id):
    period = _period(request, period_id)
    try:
        services.lock_period(period=period, by=request.user)
        messages.success(request, f"已锁定“{period.name}”，不再接收报送。")
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    return redirect("completeness", period_id=period.pk)


@login_required
@require_POST
def period_reopen(request, period_id):
    period = _period(request, period_id)
    unit = org_selectors.get_visible_unit(request.user, request.POST.get("code", ""))
    try:
        services.reopen_for(
            period=period, unit=unit, by=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, f"已允许{unit.name}补报“{period.name}”。")
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    return redirect("completeness", period_id=period.pk)
