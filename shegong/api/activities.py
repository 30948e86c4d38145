"""The activity register: the register page's filters, one activity, record, change
(with the version it was read at), delete (kept, marked), and up to 1,000 rows at once."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from shegong.activities import selectors, services
from shegong.activities import views as register
from shegong.activities.models import Activity, Linkage
from shegong.activities.validation import check_activity, domain_names
from shegong.orgs.middleware import unit_of

from .auth import note_write
from .paging import page

router = Router(tags=["activities"])
BULK_MAX = 1000


class ActivityIn(Schema):
    name: str = Field(..., description="活动名称")
    date_start: date = Field(..., description="开始日期")
    date_end: date | None = None
    place: str = ""
    mode: str = Field("offline", description="offline / online / both（线下/线上/线上+线下）")
    org_text: str = ""
    content: str = ""
    domains: list[str] = Field(default_factory=list, description="服务领域名称")
    other_domains: str = ""
    participants: int | None = None
    beneficiaries: int | None = None
    funds: Decimal | None = None
    inkind: Decimal | None = None
    activity_type: str | None = Field(None, description="活动形式代码或名称")
    linkage: list[str] = Field(default_factory=list, description="五社联动：社区、社会组织…")
    remarks: str = ""
    filler_name: str = ""
    filler_mobile: str = ""
    notice: int | None = Field(None, description="相关通知编号")


class ActivityUpdate(ActivityIn):
    version: int = Field(..., description="读取时的版本号；已被他人修改时返回 409")


class ActivityPatch(Schema):
    version: int
    name: str | None = None
    date_start: date | None = None
    date_end: date | None = None
    place: str | None = None
    mode: str | None = None
    org_text: str | None = None
    content: str | None = None
    domains: list[str] | None = None
    other_domains: str | None = None
    participants: int | None = None
    beneficiaries: int | None = None
    funds: Decimal | None = None
    inkind: Decimal | None = None
    activity_type: str | None = None
    linkage: list[str] | None = None
    remarks: str | None = None
    filler_name: str | None = None
    filler_mobile: str | None = None
    notice: int | None = None


class ActivityOut(Schema):
    id: int
    unit: str
    unit_name: str
    notice: int | None
    name: str
    date_start: date
    date_end: date | None
    place: str
    mode: str
    org_text: str
    content: str
    domains: list[str]
    other_domains: str
    participants: int | None
    beneficiaries: int | None
    funds: Decimal | None
    inkind: Decimal | None
    activity_type: str | None
    linkage: list[str]
    remarks: str
    filler_name: str
    filler_mobile: str
    version: int
    locked: bool
    deleted: bool
    created_at: datetime
    updated_at: datetime
    warnings: list[str] = []


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None
    totals: dict


class BulkIn(Schema):
    notice: int | None = None
    rows: list[ActivityIn] = Field(..., max_length=BULK_MAX)


class BulkOut(Schema):
    created: int
    ids: list[int]


def activity_out(a):
    return {
        "id": a.pk,
        "unit": a.unit.code,
        "unit_name": a.unit.name,
        "notice": a.notice_id,
        "name": a.name,
        "date_start": a.date_start,
        "date_end": a.date_end,
        "place": a.place,
        "mode": a.mode,
        "org_text": a.org_text,
        "content": a.content,
        "domains": domain_names(a.domain_mask),
        "other_domains": a.other_domains,
        "participants": a.participants,
        "beneficiaries": a.beneficiaries,
        "funds": a.funds,
        "inkind": a.inkind,
        "activity_type": a.activity_type.code if a.activity_type_id else None,
        "linkage": [label for bit, label in Linkage.choices if a.linkage & bit],
        "remarks": a.remarks,
        "filler_name": a.filler_name,
        "filler_mobile": a.filler_mobile,
        "version": a.version,
        "locked": a.locked_at is not None,
        "deleted": a.deleted_at is not None,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "warnings": [m for _, m in getattr(a, "warnings", [])],
    }


def current_values(obj):
    """What a 409 shows of the stored object."""
    from shegong.reporting.models import PeriodReport

    from .reports import report_out

    if isinstance(obj, Activity):
        out = activity_out(obj)
        return {k: str(v) if isinstance(v, Decimal | date) else v for k, v in out.items()}
    if isinstance(obj, PeriodReport):
        return {k: str(v) if isinstance(v, date) else v for k, v in report_out(obj).items()}
    return {"version": obj.version}


def _notice(request, notice_id):
    if notice_id is None:
        return None
    found = next((n for n in register._notices_for(request.user) if n.pk == notice_id), None)
    if found is None:
        raise ValidationError(
            {"notice": "没有找到该通知，或不能关联（须为已印发、本单位可见的通知）。"}
        )
    return found


def _data(payload):
    data = payload.dict(exclude={"notice", "version"})
    return data


@router.get("", response=ActivityPage, summary="活动登记簿（与页面相同的筛选条件）")
def activity_list(
    request,
    q: str | None = None,
    notice: int | None = None,
    period: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    domain: int | None = Query(None, description="服务领域编号（bit）"),
    activity_type: str | None = None,
    unit: str | None = Query(None, description="单位代码：只看该单位及下级"),
    scope: str | None = Query(None, description="subtree（本单位及下级）或 own（仅本单位）"),
    cursor: str | None = None,
    limit: int = 50,
):
    form, rows, _, _ = register._filtered(request, unit_of(request))
    if form.is_bound and form.errors:
        raise ValidationError({k: v for k, v in form.errors.items()})
    ids, nxt = page(rows, field="date_start", cursor=cursor, limit=limit, is_date=True)
    by_id = Activity.objects.select_related("unit", "activity_type").in_bulk(ids)
    totals = selectors.totals(rows)
    return {
        "items": [activity_out(by_id[i]) for i in ids],
        "next_cursor": nxt,
        "totals": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in totals.items()},
    }


@router.get("{int:activity_id}", response=ActivityOut, summary="活动详情")
def activity_detail(request, activity_id: int):
    return activity_out(selectors.get_activity_for_user(request.user, activity_id))


@router.post("", response={201: ActivityOut}, summary="登记活动（当前单位）")
def activity_create(request, payload: ActivityIn):
    unit = unit_of(request)
    if not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以登记活动。")
    activity = services.record_activity(
        unit=unit, data=_data(payload), by=request.user, notice=_notice(request, payload.notice)
    )
    note_write(request, "activity_recorded", activity)
    return Status(201, activity_out(activity))


def _update(request, activity_id, data, notice_id, version):
    activity = selectors.get_activity_for_user(request.user, activity_id)
    notice = _notice(request, notice_id) if notice_id is not None else None
    saved = services.update_activity(
        activity=activity, data=data, by=request.user, notice=notice, version=version
    )
    note_write(request, "activity_updated", saved)
    return activity_out(saved)


@router.put("{int:activity_id}", response=ActivityOut, summary="修改活动（整条）")
def activity_put(request, activity_id: int, payload: ActivityUpdate):
    return _update(request, activity_id, _data(payload), payload.notice, payload.version)


@router.patch("{int:activity_id}", response=ActivityOut, summary="修改活动（部分字段）")
def activity_patch(request, activity_id: int, payload: ActivityPatch):
    activity = selectors.get_activity_for_user(request.user, activity_id)
    data = {f: getattr(activity, f) for f in services.STORED if f not in ("domain_mask",)}
    data["domains"] = domain_names(activity.domain_mask)
    data["linkage"] = [bit for bit in Linkage.values if activity.linkage & bit]
    data.update(payload.dict(exclude_unset=True, exclude={"notice", "version"}))
    return _update(request, activity_id, data, payload.notice, payload.version)


@router.delete("{int:activity_id}", response={204: None}, summary="删除活动（标记删除，记录保留）")
def activity_delete(request, activity_id: int, reason: str = ""):
    activity = selectors.get_activity_for_user(request.user, activity_id)
    services.delete_activity(activity=activity, by=request.user, reason=reason)
    note_write(request, "activity_deleted", activity)
    return Status(204, None)


@router.post(
    "bulk", response={201: BulkOut}, summary="批量登记（最多 1000 条，全部成功或全部不存）"
)
def activity_bulk(request, payload: BulkIn):
    unit = unit_of(request)
    if not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以登记活动。")
    if not payload.rows:
        raise ValidationError({"rows": "没有要登记的活动。"})
    notice = _notice(request, payload.notice)
    rows = [_data(r) for r in payload.rows]
    errors = {}
    for i, data in enumerate(rows):
        checked = check_activity(dict(data), notice=notice)
        for name, messages in checked.errors.items():
            errors[f"rows.{i}.{name}"] = [f"第{i + 1}条：{m}" for m in messages]
    if errors:
        raise ValidationError(errors)
    made = services.record_activities(
        unit=unit, rows=rows, by=request.user, notice=notice, source="接口批量登记"
    )
    note_write(request, "activities_recorded")
    return Status(201, {"created": len(made), "ids": [a.pk for a in made]})
