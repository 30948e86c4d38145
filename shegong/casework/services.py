"""Every write to case files: one transaction each, checked against the actor's role at the
owning station, with an audit event that carries no personal information in clear."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shegong.activities.privacy import mask_name
from shegong.audit.services import record_event
from shegong.orgs import tree
from shegong.orgs.models import OrgUnit

from . import crypto, idnumber, selectors
from .models import (
    Assessment,
    CaseFile,
    CaseKind,
    CaseStatus,
    FollowUp,
    Risk,
    ServicePlan,
    ServiceRecord,
    Transfer,
    TransferStatus,
    Way,
)

PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


def _require_caseworker(by, unit, doing="操作个案档案"):
    if not selectors.is_caseworker(by, unit):
        raise PermissionDenied(f"只有{unit.name}的个案社工可以{doing}。")


def _require_open(case):
    if not case.is_open:
        raise ValidationError("档案已结案，请先重新开案。")


def _locked(case):
    return CaseFile.objects.select_for_update().select_related("unit", "group").get(pk=case.pk)


def _summary(case):
    """What the audit log keeps of a file: number, masked name, group and status."""
    return {
        "档案编号": case.number,
        "姓名": case.name_masked,
        "类别": case.group.name,
        "状态": case.get_status_display(),
    }


def _text(value, field, label, errors, max_length=None, required=True):
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}。"
    elif max_length and len(value) > max_length:
        errors[field] = f"{label}最多 {max_length} 个字，现有 {len(value)} 个字。"
    return value


def _personal(data, errors):
    """Check and normalise the personal fields of a file."""
    out = {}
    out["name"] = _text(data.get("name"), "name", "姓名", errors, 30)
    id_number = idnumber.normalise(data.get("id_number"))
    problem = idnumber.problem(id_number)
    if problem:
        errors["id_number"] = problem
    out["id_number"] = id_number
    phone = (data.get("phone") or "").strip()
    if phone and not PHONE.match(phone):
        errors["phone"] = "联系电话只能包含数字、空格、加号和连字符，5至20位。"
    out["phone"] = phone
    out["address"] = _text(data.get("address"), "address", "住址", errors, 200, required=False)
    out["members"] = _text(data.get("members"), "members", "家庭成员", errors, 2000, False)
    return out


def _next_number(unit, year):
    """S500119001-2026-0001: per station and year, numbered under a lock on the station."""
    OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
    prefix = f"{unit.code}-{year}-"
    top = CaseFile.objects.filter(number__gte=prefix, number__lt=prefix + tree.HIGH).aggregate(
        n=Max("seq")
    )["n"]
    seq = (top or 0) + 1
    return f"{prefix}{seq:04d}", seq


def _duplicate(unit, id_hash, exclude=None):
    rows = selectors.find_by_id_hash(unit, id_hash).filter(status=CaseStatus.OPEN)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.first()


@transaction.atomic
def open_file(*, unit, by, kind, group, data, opened_on=None):
    """建档: a new file at `unit` for a person or household. An ID number with an open file
    at the same station is refused (found by its keyed hash, nothing decrypted)."""
    _require_caseworker(by, unit, "建立个案档案")
    errors = {}
    if kind not in CaseKind.values:
        errors["kind"] = "请选择建档类型（个人或家庭）。"
    if group is None or not group.is_active:
        errors["group"] = "请选择对象类别。"
    personal = _personal(data, errors)
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        errors["opened_on"] = "建档日期不能晚于今天。"
    id_hash = crypto.id_hash(personal["id_number"]) if "id_number" not in errors else ""
    if id_hash:
        same = _duplicate(unit, id_hash)
        if same:
            errors["id_number"] = f"本站已有该身份证号的在案档案（{same.number}），请勿重复建档。"
    if errors:
        raise ValidationError(errors)
    number, seq = _next_number(unit, opened_on.year)
    case = CaseFile.objects.create(
        unit=unit,
        unit_path=unit.path,
        number=number,
        year=opened_on.year,
        seq=seq,
        kind=kind,
        group=group,
        name_masked=mask_name(personal["name"]),
        id_hash=id_hash,
        opened_on=opened_on,
        created_by=by,
        **personal,
    )
    record_event(action="casework.opened", by=by, unit=unit, obj=case, after=_summary(case))
    return case


@transaction.atomic
def update_file(*, case, by, group, data):
    """Correct the personal fields or the group of an open file."""
    case = _locked(case)
    _require_caseworker(by, case.unit, "修改个案档案")
    errors = {}
    if group is None or not group.is_active:
        errors["group"] = "请选择对象类别。"
    personal = _personal(data, errors)
    if "id_number" not in errors:
        id_hash = crypto.id_hash(personal["id_number"])
        same = _duplicate(case.unit, id_hash, exclude=case)
        if same:
            errors["id_number"] = f"本站已有该身份证号的在案档案（{same.number}）。"
    if errors:
        raise ValidationError(errors)
    before = _summary(case)
    changed = [
        label
        for field, label in (
            ("name", "姓名"),
            ("id_number", "身份证号"),
            ("phone", "联系电话"),
            ("address", "住址"),
            ("members", "家庭成员"),
        )
        if getattr(case, field) != personal[field]
    ]
    for field, value in personal.items():
        setattr(case, field, value)
    case.group = group
    case.name_masked = mask_name(personal["name"])
    case.id_hash = id_hash
    case.save()
    # Which personal fields changed, never their values.
    after = {**_summary(case), "修改的个人信息": "、".join(changed) or "无"}
    record_event(
        action="casework.updated", by=by, unit=case.unit, obj=case, before=before, after=after
    )
    return case


def record_view(*, case, by):
    """Reading a file's personal fields is logged (PIPL: access to personal information)."""
    record_event(action="casework.file_viewed", by=by, unit=case.unit, obj=case)


def _date(value, field, label, errors, not_after_today=True):
    if value is None:
        errors[field] = f"请填写{label}。"
    elif not_after_today and value > timezone.localdate():
        errors[field] = f"{label}不能晚于今天。"
    return value


@transaction.atomic
def add_assessment(*, case, by, date, situation, needs, risk):
    case = _locked(case)
    _require_caseworker(by, case.unit)
    _require_open(case)
    errors = {}
    _date(date, "date", "评估日期", errors)
    situation = _text(situation, "situation", "基本情况", errors, 5000)
    needs = _text(needs, "needs", "主要需求", errors, 5000)
    if risk not in Risk.values:
        errors["risk"] = "请选择风险等级（低、中、高）。"
    if errors:
        raise ValidationError(errors)
    row = Assessment.objects.create(
        case=case, date=date, situation=situation, needs=needs, risk=risk, by=by
    )
    record_event(
        action="casework.assessed",
        by=by,
        unit=case.unit,
        obj=case,
        after={"档案编号": case.number, "评估日期": date, "风险等级": row.get_risk_display()},
    )
    return row


@transaction.atomic
def set_plan(*, case, by, goals, measures, start, end):
    case = _locked(case)
    _require_caseworker(by, case.unit)
    _require_open(case)
    errors = {}
    goals = _text(goals, "goals", "服务目标", errors, 5000)
    measures = _text(measures, "measures", "服务措施", errors, 5000)
    _date(start, "start", "开始日期", errors, not_after_today=False)
    _date(end, "end", "结束日期", errors, not_after_today=False)
    if start and end and end < start:
        errors["end"] = "结束日期不能早于开始日期。"
    if errors:
        raise ValidationError(errors)
    plan = ServicePlan.objects.create(
        case=case, goals=goals, measures=measures, start=start, end=end, by=by
    )
    record_event(
        action="casework.planned",
        by=by,
        unit=case.unit,
        obj=case,
        after={"档案编号": case.number, "计划期": f"{start}至{end}"},
    )
    return plan


def _hours(value, errors):
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        errors["hours"] = "时长（小时）须为数字，如 1.5。"
        return None
    if hours < 0:
        errors["hours"] = "时长（小时）不能为负数。"
    elif hours > 24:
        errors["hours"] = "一次服务的时长（小时）不能超过 24 小时。"
    return hours


@transaction.atomic
def add_record(*, case, by, date, way, content, hours, visit=None):
    """A service record; `visit` (a family visit of the same station, attached to no other
    file) links it to the visit log."""
    case = _locked(case)
    _require_caseworker(by, case.unit)
    _require_open(case)
    errors = {}
    _date(date, "date", "服务日期", errors)
    if date and date < case.opened_on:
        errors["date"] = "服务日期不能早于建档日期。"
    if way not in Way.values:
        errors["way"] = "请选择服务方式。"
    content = _text(content, "content", "服务内容", errors, 5000)
    hours = _hours(hours, errors)
    if visit is not None:
        if visit.unit_id != case.unit_id or visit.deleted_at is not None:
            errors["visit"] = "只能关联本站登记的家庭走访。"
        elif ServiceRecord.objects.filter(visit=visit).exists():
            errors["visit"] = "这次走访已关联到其他服务记录，一次走访只能关联一份档案。"
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord.objects.create(
        case=case,
        unit=case.unit,
        date=date,
        way=way,
        content=content,
        hours=hours,
        visit=visit,
        by=by,
    )
    record_event(
        action="casework.record_added",
        by=by,
        unit=case.unit,
        obj=case,
        after={
            "档案编号": case.number,
            "服务日期": date,
            "服务方式": record.get_way_display(),
            "时长": hours,
            **({"关联走访": visit.pk} if visit else {}),
        },
    )
    return record


@transaction.atomic
def add_followup(*, case, by, due, what):
    case = _locked(case)
    _require_caseworker(by, case.unit)
    _require_open(case)
    errors = {}
    if due is None:
        errors["due"] = "请填写到期日期。"
    what = _text(what, "what", "跟进事项", errors, 200)
    if errors:
        raise ValidationError(errors)
    row = FollowUp.objects.create(case=case, due=due, what=what, by=by)
    record_event(
        action="casework.followup_added",
        by=by,
        unit=case.unit,
        obj=case,
        after={"档案编号": case.number, "到期日期": due, "跟进事项": what},
    )
    return row


@transaction.atomic
def complete_followup(*, followup, by, done_on, result):
    followup = FollowUp.objects.select_for_update().select_related("case__unit").get(pk=followup.pk)
    case = followup.case
    _require_caseworker(by, case.unit)
    if followup.done_on:
        raise ValidationError("该跟进事项已完成。")
    errors = {}
    _date(done_on, "done_on", "完成日期", errors)
    result = _text(result, "result", "跟进结果", errors, 500)
    if errors:
        raise ValidationError(errors)
    followup.done_on, followup.result = done_on, result
    followup.save(update_fields=["done_on", "result"])
    record_event(
        action="casework.followup_done",
        by=by,
        unit=case.unit,
        obj=case,
        after={"档案编号": case.number, "跟进事项": followup.what, "完成日期": done_on},
    )
    return followup


@transaction.atomic
def close_file(*, case, by, reason, closed_on=None):
    """结案: a reason is required; pending follow-ups stay listed on the file but leave the
    to-do list with it."""
    case = _locked(case)
    _require_caseworker(by, case.unit, "结案")
    _require_open(case)
    errors = {}
    reason = _text(reason, "reason", "结案原因", errors, 300)
    closed_on = closed_on or timezone.localdate()
    if closed_on > timezone.localdate():
        errors["closed_on"] = "结案日期不能晚于今天。"
    elif closed_on < case.opened_on:
        errors["closed_on"] = "结案日期不能早于建档日期。"
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        errors["reason"] = "该档案有待接收的转移申请，请先撤回申请再结案。"
    if errors:
        raise ValidationError(errors)
    before = _summary(case)
    case.status, case.closed_on, case.close_reason = CaseStatus.CLOSED, closed_on, reason
    case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    record_event(
        action="casework.closed",
        by=by,
        unit=case.unit,
        obj=case,
        before=before,
        after={**_summary(case), "结案日期": closed_on, "结案原因": reason},
    )
    return case


@transaction.atomic
def reopen_file(*, case, by, reason):
    case = _locked(case)
    _require_caseworker(by, case.unit, "重新开案")
    if case.is_open:
        raise ValidationError("档案在案，无需重新开案。")
    errors = {}
    reason = _text(reason, "reason", "重新开案原因", errors, 300)
    same = _duplicate(case.unit, case.id_hash, exclude=case)
    if same:
        errors["reason"] = f"本站已有该身份证号的在案档案（{same.number}），不能重新开案。"
    if errors:
        raise ValidationError(errors)
    before = {**_summary(case), "结案原因": case.close_reason}
    case.status, case.closed_on, case.close_reason = CaseStatus.OPEN, None, ""
    case.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
    record_event(
        action="casework.reopened",
        by=by,
        unit=case.unit,
        obj=case,
        before=before,
        after={**_summary(case), "重新开案原因": reason},
    )
    return case


# --- transfers between stations -------------------------------------------------------


def _transfer_event(action, transfer, by, unit):
    record_event(
        action=f"casework.transfer_{action}",
        by=by,
        unit=unit,
        obj=transfer.case,
        after={
            "档案编号": transfer.case.number,
            "转出单位": transfer.from_unit.name,
            "接收单位": transfer.to_unit.name,
            "原因": transfer.reason,
            **({"处理意见": transfer.note} if transfer.note else {}),
        },
    )


@transaction.atomic
def request_transfer(*, case, by, to_unit, reason):
    """The owning station asks `to_unit` to take the file; nothing moves yet."""
    case = _locked(case)
    _require_caseworker(by, case.unit, "申请转移档案")
    _require_open(case)
    errors = {}
    reason = _text(reason, "reason", "转移原因", errors, 300)
    if to_unit is None:
        errors["to_unit"] = "请选择接收的社会工作站。"
    elif to_unit.pk == case.unit_id:
        errors["to_unit"] = "接收单位不能是本站。"
    elif not to_unit.is_active:
        errors["to_unit"] = "接收单位已停用。"
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        errors["to_unit"] = "该档案已有待接收的转移申请。"
    if errors:
        raise ValidationError(errors)
    transfer = Transfer.objects.create(
        case=case, from_unit=case.unit, to_unit=to_unit, reason=reason, requested_by=by
    )
    _transfer_event("requested", transfer, by, case.unit)
    return transfer


def _pending(transfer):
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("case", "case__group", "from_unit", "to_unit")
        .get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError(f"该转移申请{transfer.get_status_display()}，不能再处理。")
    return transfer


@transaction.atomic
def accept_transfer(*, transfer, by, note=""):
    """The receiving station takes the file: it moves with its whole history."""
    transfer = _pending(transfer)
    _require_caseworker(by, transfer.to_unit, "接收转移的档案")
    case = _locked(transfer.case)
    same = _duplicate(transfer.to_unit, case.id_hash)
    if same:
        raise ValidationError(
            {"note": f"本站已有该身份证号的在案档案（{same.number}），不能接收。"}
        )
    transfer.status, transfer.decided_by = TransferStatus.ACCEPTED, by
    transfer.decided_at, transfer.note = timezone.now(), (note or "").strip()[:300]
    transfer.save()
    case.unit, case.unit_path = transfer.to_unit, transfer.to_unit.path
    case.save(update_fields=["unit", "unit_path", "updated_at"])
    _transfer_event("accepted", transfer, by, transfer.to_unit)
    return transfer


@transaction.atomic
def decline_transfer(*, transfer, by, note):
    transfer = _pending(transfer)
    _require_caseworker(by, transfer.to_unit, "处理转移申请")
    errors = {}
    note = _text(note, "note", "拒绝理由", errors, 300)
    if errors:
        raise ValidationError(errors)
    transfer.status, transfer.decided_by = TransferStatus.DECLINED, by
    transfer.decided_at, transfer.note = timezone.now(), note
    transfer.save()
    _transfer_event("declined", transfer, by, transfer.to_unit)
    return transfer


@transaction.atomic
def cancel_transfer(*, transfer, by):
    transfer = _pending(transfer)
    _require_caseworker(by, transfer.from_unit, "撤回转移申请")
    transfer.status, transfer.decided_by, transfer.decided_at = (
        TransferStatus.CANCELLED,
        by,
        timezone.now(),
    )
    transfer.save()
    _transfer_event("cancelled", transfer, by, transfer.from_unit)
    return transfer


def ensure_groups():
    """Load the default groups when the table is empty (a flushed test database)."""
    from . import reference
    from .models import CaseGroup

    if not CaseGroup.objects.exists():
        reference.load(CaseGroup)


def record_export(*, unit, by, rows):
    """The counts export is logged like every other export."""
    record_event(action="casework.exported", by=by, unit=unit, after={"rows": rows})
