"""Family visits: households in clear only for the unit that made the visit, masked above
(activities.privacy, as the visit pages show them), with counts."""

from datetime import date

from ninja import Router, Schema

from shegong.activities import privacy, selectors
from shegong.activities.models import Visit, VisitGroup
from shegong.orgs.middleware import unit_of

from .paging import page

router = Router(tags=["visits"])


class VisitOut(Schema):
    id: int
    unit: str
    unit_name: str
    date: date
    household_name: str
    household_address: str
    household_phone: str
    personal_masked: bool
    group: str
    visitors: str
    purpose: str
    outcome: str
    follow_up: bool
    activity: int | None
    version: int


class VisitPage(Schema):
    items: list[VisitOut]
    next_cursor: str | None
    counts: dict


def visit_out(user, v):
    clear = selectors.sees_personal_data(user, v.unit)
    return {
        "id": v.pk,
        "unit": v.unit.code,
        "unit_name": v.unit.name,
        "date": v.date,
        "household_name": v.household_name if clear else privacy.mask_name(v.household_name),
        "household_address": (
            v.household_address if clear else privacy.mask_address(v.household_address)
        ),
        "household_phone": v.household_phone if clear else privacy.mask_phone(v.household_phone),
        "personal_masked": not clear,
        "group": v.group,
        "visitors": v.visitors,
        "purpose": v.purpose,
        "outcome": v.outcome,
        "follow_up": v.follow_up,
        "activity": v.activity_id,
        "version": v.version,
    }


@router.get("", response=VisitPage, summary="家庭走访（本单位及下级；非本单位的个人信息脱敏）")
def visit_list(
    request,
    group: str | None = None,
    follow_up: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
):
    rows = selectors.visits_visible_to(request.user).filter(unit_of(request).subtree_q("org_path"))
    if group in VisitGroup.values:
        rows = rows.filter(group=group)
    if follow_up:
        rows = rows.filter(follow_up=True)
    ids, nxt = page(rows, field="date", cursor=cursor, limit=limit, is_date=True)
    by_id = Visit.objects.select_related("unit").in_bulk(ids)
    return {
        "items": [visit_out(request.user, by_id[i]) for i in ids],
        "next_cursor": nxt,
        "counts": selectors.visit_counts(rows),
    }


@router.get("{int:visit_id}", response=VisitOut, summary="走访详情")
def visit_detail(request, visit_id: int):
    return visit_out(request.user, selectors.get_visit_for_user(request.user, visit_id))
