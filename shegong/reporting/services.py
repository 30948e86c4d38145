"""Every write of the reporting flow: submit, return, approve, lock a period, grant an
exception. One transaction each, with its history row and its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.activities import rollups
from shegong.activities import selectors as activity_selectors
from shegong.activities import services as activity_services
from shegong.activities.validation import MOBILE
from shegong.audit.services import record_event
from shegong.campaigns import notifications
from shegong.campaigns import services as campaign_services
from shegong.campaigns.models import ExpectedReporter, ReportingPeriod
from shegong.orgs.models import Role

from . import selectors
from .models import PeriodReport, ReportEvent, ReportStatus


def _figures(unit, period):
    """What the report confirms, JSON-able: count and sums of its rows."""
    money = rollups.figures(unit.path, period.start_date, period.end_date).money()
    return {
        "n": money["n"],
        "participants": money["participants"],
        "beneficiaries": money["beneficiaries"],
        "funds": str(money["funds"]),
        "inkind": str(money["inkind"]),
    }


def _event(report, action, by, reason="", totals=None):
    ReportEvent.objects.create(
        report=report, action=action, by=by, reason=reason, totals=totals or {}
    )


def _audit(action, report, by, **after):
    record_event(
        action=f"reporting.{action}",
        by=by,
        unit=report.unit,
        obj=report,
        after={"period": str(report.period), **after},
    )


def _report(period, unit):
    report, _ = PeriodReport.objects.select_for_update().get_or_create(
        period=period, unit=unit, defaults={"unit_path": unit.path}
    )
    return report


def _check_filler(name, mobile):
    errors = {}
    if not (name or "").strip():
        errors["filler_name"] = "请填写填报人姓名。"
    if not MOBILE.fullmatch((mobile or "").strip()):
        errors["filler_mobile"] = "请填写11位手机号码，如 13800001111。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_report(*, period, unit, by, filler_name, filler_mobile):
    """报送: confirm the register's rows for the period. On time up to the cutoff, late
    after it (accepted and marked), refused once the issuer locked the period unless the
    issuer granted this unit an exception."""
    if by is not None and not activity_selectors.can_enter(by, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以报送。")
    period = ReportingPeriod.objects.select_related("notice").get(pk=period.pk)
    expected = ExpectedReporter.objects.filter(period=period, unit=unit, quota=None).first()
    if expected is None:
        raise ValidationError("本单位不在该批次的应报单位名单中，无需报送。")
    if expected.excused_at:
        raise ValidationError(f"本单位已免报该批次（{expected.excused_reason}）。")
    _check_filler(filler_name, filler_mobile)
    report = _report(period, unit)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError("该报表已报送，正在等待上级审核。")
    if report.status == ReportStatus.APPROVED:
        raise ValidationError("该报表已审核通过，不能再次报送。")
    if period.locked_at and not report.reopened_at:
        raise ValidationError(
            f"“{period.name}”已于{timezone.localtime(period.locked_at):%Y年%m月%d日 %H:%M}"
            "锁定，不再接收报送。如需补报，请联系发文单位。"
        )
    now = timezone.now()
    again = report.first_submitted_at is not None
    if not again:
        report.first_submitted_at = now
        report.on_time = now <= period.cutoff
    report.status, report.submitted_at = ReportStatus.SUBMITTED, now
    report.filler_name, report.filler_mobile = filler_name.strip(), filler_mobile.strip()
    report.totals = _figures(unit, period)
    report.return_reason = ""
    report.save()
    campaign_services.mark_delivered(period=period, unit=unit, at=now)
    action = "resubmitted" if again else "submitted"
    _event(report, action, by, totals=report.totals)
    _audit(action, report, by, on_time=report.on_time, totals=report.totals)
    if unit.parent_id:
        late = "" if report.on_time else "（逾期）"
        notifications.notify_units(
            [unit.parent],
            roles=[Role.REVIEWER, Role.ADMIN],
            text=f"{unit.name}报送了“{period.name}”{late}，请审核。",
            url=f"/reports/{report.pk}/",
        )
    return report


def _require_reviewer(by, report):
    if by is not None and not selectors.can_review(by, report.unit):
        raise PermissionDenied("只有上级单位的审核员或管理员可以审核。")


def _locked_report(report):
    return (
        PeriodReport.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    )


@transaction.atomic
def return_report(*, report, by, reason):
    """退回 with a reason: the unit corrects its register and submits again."""
    report = _locked_report(report)
    _require_reviewer(by, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因，告诉报送单位需要修改什么。"})
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只有待审核的报表可以退回。")
    report.status, report.return_reason = ReportStatus.RETURNED, reason[:500]
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.save()
    _event(report, "returned", by, reason=reason)
    _audit("returned", report, by, reason=reason)
    notifications.notify_units(
        [report.unit],
        roles=[Role.FILLER, Role.ADMIN],
        text=f"“{report.period.name}”报表被退回：{reason}",
        url=f"/reports/{report.pk}/",
    )
    return report


@transaction.atomic
def approve_report(*, report, by):
    """审核通过: the report's register rows are locked; changing one needs an unlock."""
    report = _locked_report(report)
    _require_reviewer(by, report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只有待审核的报表可以审核通过。")
    report.status, report.return_reason = ReportStatus.APPROVED, ""
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.save()
    locked = activity_services.lock_activities(
        queryset=selectors.report_rows(report.unit, report.period),
        by=by,
        reason=f"“{report.period.name}”报表已审核通过",
    )
    _event(report, "approved", by, totals=report.totals)
    _audit("approved", report, by, locked=locked)
    notifications.notify_units(
        [report.unit],
        roles=[Role.FILLER, Role.ADMIN],
        text=f"“{report.period.name}”报表已审核通过。",
        url=f"/reports/{report.pk}/",
    )
    return report


@transaction.atomic
def lock_period(*, period, by):
    """The issuer closes a period to further submissions."""
    period = ReportingPeriod.objects.select_for_update().select_related("notice").get(pk=period.pk)
    if by is not None and not selectors.can_lock(by, period):
        raise PermissionDenied("只有发文单位的管理员可以锁定报送批次。")
    if period.locked_at:
        raise ValidationError("该批次已经锁定。")
    period.locked_at = timezone.now()
    period.save(update_fields=["locked_at"])
    record_event(
        action="reporting.period_locked",
        by=by,
        unit=period.notice.issuer,
        obj=period.notice,
        after={"period": period.name},
    )
    return period


@transaction.atomic
def reopen_for(*, period, unit, by, reason):
    """The issuer's exception: `unit` may submit this locked period once more."""
    period = ReportingPeriod.objects.select_related("notice").get(pk=period.pk)
    if by is not None and not selectors.can_lock(by, period):
        raise PermissionDenied("只有发文单位的管理员可以允许补报。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写允许补报的原因。"})
    if not ExpectedReporter.objects.filter(period=period, unit=unit, quota=None).exists():
        raise ValidationError({"unit": f"“{unit.name}”不在该批次的应报单位名单中。"})
    report = _report(period, unit)
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ValidationError(f"“{unit.name}”已经报送，无需补报。")
    report.reopened_at, report.reopened_reason = timezone.now(), reason[:200]
    report.save()
    _event(report, "reopened", by, reason=reason)
    _audit("reopened", report, by, reason=reason)
    return report


def remind(*, period, units, by):
    """A supervisor's 催报: tell the people of the lagging units in the app and by mail."""
    sent = notifications.notify_units(
        units,
        roles=[Role.FILLER, Role.ADMIN],
        text=f"请尽快报送“{period.name}”，截止时间"
        f"{timezone.localtime(period.cutoff):%m月%d日 %H:%M}。",
        url=f"/reports/period/{period.pk}/",
    )
    record_event(
        action="reporting.reminded",
        by=by,
        obj=period.notice,
        after={"period": period.name, "units": [u.code for u in units]},
    )
    return sent
