"""Every write of the reporting flow: submit, return, approve, lock a period, grant an
exception. One transaction each, with its history row and its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.activities import rollups
from shegong.activities import selectors as activity_selectors
from shegong.activities import services as activity_services
from shegong.activities.validation import MOBILE
from shegong.articles import proofing
from shegong.audit.services import record_event
from shegong.campaigns import notifications
from shegong.campaigns import services as campaign_services
from shegong.campaigns.models import ExpectedReporter, PeriodKind, ReportingPeriod
from shegong.edits import check_version
from shegong.orgs.models import Role

from . import selectors, summaries
from .models import (
    SUMMARY_SECTIONS,
    PeriodReport,
    ReportEvent,
    ReportStatus,
    Summary,
    SummaryVersion,
)


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
def submit_report(*, period, unit, by, filler_name, filler_mobile, version=None):
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
    check_version(report, version)
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
    report.version += 1
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
def return_report(*, report, by, reason, version=None):
    """退回 with a reason: the unit corrects its register and submits again. `version` is
    the one the reviewer's page showed: a report submitted again since is refused."""
    report = _locked_report(report)
    _require_reviewer(by, report)
    check_version(report, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因，告诉报送单位需要修改什么。"})
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只有待审核的报表可以退回。")
    report.status, report.return_reason = ReportStatus.RETURNED, reason[:500]
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.version += 1
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
def approve_report(*, report, by, version=None):
    """审核通过: the report's register rows are locked; changing one needs an unlock.
    `version` is the one the reviewer's page showed, as for return_report."""
    report = _locked_report(report)
    _require_reviewer(by, report)
    check_version(report, version)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只有待审核的报表可以审核通过。")
    report.status, report.return_reason = ReportStatus.APPROVED, ""
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.version += 1
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
    report.version += 1
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


# --- 总结材料 ---------------------------------------------------------------------------

MAX_SECTION = 20_000  # characters in one part of a summary: several times any real one


def _summary_errors(title, sections):
    errors = {}
    if not title:
        errors["title"] = "请填写标题。"
    elif len(title) > 200:
        errors["title"] = f"标题有 {len(title)} 个字，请不超过 200 个字。"
    for key, label in SUMMARY_SECTIONS:
        if len(sections[key]) > MAX_SECTION:
            errors[key] = f"“{label}”有 {len(sections[key])} 个字，请不超过 {MAX_SECTION} 个字。"
    return errors


def _editable(period, unit):
    report = PeriodReport.objects.filter(period=period, unit=unit).first()
    if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ValidationError("总结已报送，审核退回后才能修改。")


@transaction.atomic
def save_summary(*, period, unit, by, title, sections, annexes=(), version=None):
    """Write or change `unit`'s 总结材料 for a summary period: a new version row when its
    text or annexes changed. Annexes are approved summaries of units below it."""
    if by is not None and not activity_selectors.can_enter(by, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以撰写总结。")
    if period.kind != PeriodKind.SUMMARY:
        raise ValidationError("只有“活动总结”批次要写总结材料。")
    _editable(period, unit)
    title = (title or "").strip()
    sections = {key: (sections.get(key) or "").strip() for key, _ in SUMMARY_SECTIONS}
    errors = _summary_errors(title, sections)
    allowed = {s.pk for s in summaries.annex_choices(unit, period)}
    annexes = sorted(set(annexes))
    if set(annexes) - allowed:
        errors["annexes"] = "附件只能是下级单位已审核通过的总结。"
    if errors:
        raise ValidationError(errors)
    summary = Summary.objects.select_for_update().filter(period=period, unit=unit).first()
    if summary is not None:  # a page opened before it was first written posts version 0
        check_version(summary, version)
    if summary is None:
        summary = Summary(period=period, unit=unit, unit_path=unit.path, created_by=by)
    elif (summary.title, summary.sections, summary.annexes) == (title, sections, annexes):
        return summary
    else:
        summary.version += 1
    summary.title, summary.sections, summary.annexes = title, sections, annexes
    summary.save()
    SummaryVersion.objects.create(
        summary=summary,
        version=summary.version,
        title=title,
        sections=sections,
        annexes=annexes,
        by=by,
    )
    record_event(
        action="reporting.summary_saved",
        by=by,
        unit=unit,
        obj=summary,
        after={"标题": title, "版本": summary.version, "批次": str(period)},
    )
    return summary


@transaction.atomic
def submit_summary(*, summary, by, filler_name, filler_mobile):
    """报送 the summary: refused while the proofreader finds errors or the first two parts
    are empty; then the period's report is submitted (on time or late, counted in the
    rates, reviewed like any period report)."""
    findings = proofing.error_messages(summaries.proof(summary.title, summary.sections))
    missing = [label for key, label in SUMMARY_SECTIONS[:2] if not summary.text_of(key)]
    if missing:
        findings.insert(0, f"请填写“{'”“'.join(missing)}”。")
    if findings:
        raise ValidationError(findings)
    return submit_report(
        period=summary.period,
        unit=summary.unit,
        by=by,
        filler_name=filler_name,
        filler_mobile=filler_mobile,
    )
