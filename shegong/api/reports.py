"""Period reports: the caller's unit's periods, one report, 报送 / 审核通过 / 退回 (each with
the version the caller read: a report changed since gives 409)."""

from datetime import date, datetime

from django.http import Http404
from ninja import Field, Router, Schema

from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns.models import PeriodKind, ReportingPeriod
from shegong.orgs.middleware import unit_of
from shegong.reporting import selectors, services
from shegong.reporting.models import PeriodReport

from .auth import note_write

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: int
    period: int
    period_name: str
    unit: str
    unit_name: str
    status: str
    on_time: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    return_reason: str
    totals: dict
    version: int


class PeriodOut(Schema):
    period: int
    notice: int
    name: str
    kind: str
    start_date: date
    end_date: date
    cutoff: datetime
    excused: bool
    report: ReportOut | None


class SubmitIn(Schema):
    filler_name: str
    filler_mobile: str
    version: int | None = Field(None, description="读取时报表的版本号（新报表不填）")


class ApproveIn(Schema):
    version: int


class ReturnIn(Schema):
    version: int
    reason: str


def report_out(r):
    return {
        "id": r.pk,
        "period": r.period_id,
        "period_name": r.period.name,
        "unit": r.unit.code,
        "unit_name": r.unit.name,
        "status": r.status,
        "on_time": r.on_time,
        "submitted_at": r.submitted_at,
        "reviewed_at": r.reviewed_at,
        "return_reason": r.return_reason,
        "totals": r.totals,
        "version": r.version,
    }


@router.get("periods", response=list[PeriodOut], summary="本单位应报的批次及报表状态")
def period_list(request):
    unit = unit_of(request)
    expected = list(selectors.periods_to_report(unit)[:50])
    reports = {
        r.period_id: r
        for r in PeriodReport.objects.filter(
            unit=unit, period__in=[e.period for e in expected]
        ).select_related("unit", "period")
    }
    return [
        {
            "period": e.period_id,
            "notice": e.notice_id,
            "name": e.period.name,
            "kind": e.period.kind,
            "start_date": e.period.start_date,
            "end_date": e.period.end_date,
            "cutoff": e.period.cutoff,
            "excused": e.excused_at is not None,
            "report": report_out(reports[e.period_id]) if e.period_id in reports else None,
        }
        for e in expected
    ]


@router.get("{int:report_id}", response=ReportOut, summary="报表详情")
def report_detail(request, report_id: int):
    return report_out(selectors.get_report_for_user(request.user, report_id))


@router.post("periods/{int:period_id}/submit", response=ReportOut, summary="报送（当前单位）")
def report_submit(request, period_id: int, payload: SubmitIn):
    unit = unit_of(request)
    period = ReportingPeriod.objects.filter(pk=period_id).exclude(kind=PeriodKind.SUMMARY).first()
    if period is None:
        raise Http404("没有找到该报送批次。")
    campaign_selectors.get_notice_for_user(request.user, period.notice_id)
    report = services.submit_report(
        period=period,
        unit=unit,
        by=request.user,
        filler_name=payload.filler_name,
        filler_mobile=payload.filler_mobile,
        version=payload.version,
    )
    note_write(request, "report_submitted", report)
    return report_out(report)


@router.post("{int:report_id}/approve", response=ReportOut, summary="审核通过")
def report_approve(request, report_id: int, payload: ApproveIn):
    report = selectors.get_report_for_user(request.user, report_id)
    report = services.approve_report(report=report, by=request.user, version=payload.version)
    note_write(request, "report_approved", report)
    return report_out(report)


@router.post("{int:report_id}/return", response=ReportOut, summary="退回")
def report_return(request, report_id: int, payload: ReturnIn):
    report = selectors.get_report_for_user(request.user, report_id)
    report = services.return_report(
        report=report, by=request.user, reason=payload.reason, version=payload.version
    )
    note_write(request, "report_returned", report)
    return report_out(report)
