"""Every write to supervision: recording a visit with its items, adding an item, the
station's report that an item is done, and the verification that closes it (or sends it
back). One transaction and one audit row each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.audit.services import record_event

from . import selectors
from .models import Item, ItemStatus, SupervisorKind, Visit


def _clean_item(data, prefix=""):
    errors = {}
    what = (data.get("what") or "").strip()
    responsible = (data.get("responsible") or "").strip()
    due = data.get("due")
    if not what:
        errors[f"{prefix}what"] = "请填写整改事项。"
    elif len(what) > 300:
        errors[f"{prefix}what"] = f"整改事项最多 300 个字，现有 {len(what)} 个字。"
    if not responsible:
        errors[f"{prefix}responsible"] = "请填写责任人。"
    elif len(responsible) > 50:
        errors[f"{prefix}responsible"] = "责任人最多 50 个字。"
    if due is None:
        errors[f"{prefix}due"] = "请填写整改期限。"
    return {"what": what, "responsible": responsible, "due": due}, errors


@transaction.atomic
def record_visit(
    *, station, date, supervisor_name, findings, items, by, supervisor_kind=SupervisorKind.BUREAU
):
    """记录督导: a visit to `station` by the unit above where `by` reviews, with its
    rectification items [{what, due, responsible}]."""
    if not selectors.can_record(by, station):
        raise PermissionDenied("只有上级单位的审核员或管理员可以记录对该单位的督导。")
    errors = {}
    supervisor_name = (supervisor_name or "").strip()
    findings = (findings or "").strip()
    if date is None:
        errors["date"] = "请填写督导日期。"
    elif date > timezone.localdate():
        errors["date"] = "督导日期不能晚于今天。"
    if not supervisor_name:
        errors["supervisor_name"] = "请填写督导人员。"
    elif len(supervisor_name) > 100:
        errors["supervisor_name"] = "督导人员最多 100 个字。"
    if supervisor_kind not in SupervisorKind.values:
        errors["supervisor_kind"] = "请选择督导类型。"
    if not findings:
        errors["findings"] = "请填写督导发现。"
    cleaned = []
    for n, data in enumerate(items):
        item, item_errors = _clean_item(data)
        if date and item["due"] and item["due"] < date:
            item_errors["due"] = "整改期限不能早于督导日期。"
        for message in item_errors.values():
            errors.setdefault("items", []).append(f"第 {n + 1} 项：{message}")
        cleaned.append(item)
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        station=station,
        station_path=station.path,
        date=date,
        supervisor_name=supervisor_name,
        supervisor_kind=supervisor_kind,
        visiting_unit=selectors.recording_unit(by, station),
        findings=findings,
        recorded_by=by,
    )
    Item.objects.bulk_create(
        Item(visit=visit, station_path=station.path, **item) for item in cleaned
    )
    record_event(
        action="supervision.visited",
        by=by,
        unit=visit.visiting_unit,
        obj=visit,
        after={
            "受督导单位": station.name,
            "督导日期": date,
            "督导人员": supervisor_name,
            "整改事项": [
                f"{i['what']}（{i['due']:%Y-%m-%d}前，{i['responsible']}）" for i in cleaned
            ],
        },
    )
    return visit


@transaction.atomic
def add_item(*, visit, what, due, responsible, by):
    if not selectors.can_record(by, visit.station):
        raise PermissionDenied("只有上级单位的审核员或管理员可以增加整改事项。")
    item, errors = _clean_item({"what": what, "due": due, "responsible": responsible})
    if item["due"] and item["due"] < visit.date:
        errors["due"] = "整改期限不能早于督导日期。"
    if errors:
        raise ValidationError(errors)
    item = Item.objects.create(visit=visit, station_path=visit.station_path, **item)
    record_event(
        action="supervision.item_added",
        by=by,
        unit=selectors.recording_unit(by, visit.station),
        obj=item,
        after={"整改事项": item.what, "整改期限": item.due, "责任人": item.responsible},
    )
    return item


def _locked(item):
    return (
        Item.objects.select_for_update().select_related("visit", "visit__station").get(pk=item.pk)
    )


@transaction.atomic
def report_done(*, item, note, by):
    """The station reports the item rectified, with what it did."""
    item = _locked(item)
    if not selectors.can_report(by, item):
        if item.status != ItemStatus.OPEN:
            raise ValidationError("该整改事项已销号。")
        raise PermissionDenied("只有受督导单位的填报员或管理员可以报告整改情况。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写整改情况。"})
    item.rectified_note, item.rectified_by, item.rectified_at = note, by, timezone.now()
    item.save(update_fields=["rectified_note", "rectified_by", "rectified_at"])
    record_event(
        action="supervision.rectified",
        by=by,
        unit=item.visit.station,
        obj=item,
        after={"整改事项": item.what, "整改情况": note},
    )
    return item


@transaction.atomic
def verify(*, item, note, by, accepted=True, on=None):
    """验收: accepted closes the item (销号); not accepted sends it back to the station
    with the reason, and it stays open."""
    item = _locked(item)
    if item.status != ItemStatus.OPEN:
        raise ValidationError("该整改事项已销号。")
    if item.rectified_at is None:
        raise ValidationError("受督导单位还没有报告整改情况，不能验收。")
    if not selectors.can_verify(by, item):
        raise PermissionDenied("只有上级单位的审核员或管理员、或督导记录人可以验收。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请填写验收意见。" if accepted else "请填写退回原因。"})
    on = on or timezone.localdate()
    unit = selectors.recording_unit(by, item.visit.station) or item.visit.visiting_unit
    if accepted:
        item.status, item.verified_note, item.verified_by, item.verified_on = (
            ItemStatus.CLOSED,
            note,
            by,
            on,
        )
        item.save(update_fields=["status", "verified_note", "verified_by", "verified_on"])
        action, after = "supervision.verified", {"整改事项": item.what, "验收意见": note}
    else:
        before = {"整改情况": item.rectified_note}
        item.rectified_note, item.rectified_by, item.rectified_at = "", None, None
        item.verified_note = note
        item.save(update_fields=["rectified_note", "rectified_by", "rectified_at", "verified_note"])
        record_event(
            action="supervision.returned",
            by=by,
            unit=unit,
            obj=item,
            before=before,
            after={"整改事项": item.what, "退回原因": note},
        )
        return item
    record_event(action=action, by=by, unit=unit, obj=item, after=after)
    return item
