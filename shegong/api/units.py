"""Units: the caller's subtree, one level of children, one unit."""

from ninja import Router, Schema

from shegong.orgs import selectors as org_selectors

from .paging import page

router = Router(tags=["units"])


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    kind_name: str
    division_code: str
    parent: str | None
    depth: int


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None


def unit_out(u):
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "kind": u.kind,
        "kind_name": u.get_kind_display(),
        "division_code": u.division_code,
        "parent": u.parent.code if u.parent_id else None,
        "depth": u.depth,
    }


@router.get("", response=UnitPage, summary="我能看到的单位（本单位及下级）")
def unit_list(request, parent: str | None = None, cursor: str | None = None, limit: int = 100):
    if parent:
        rows = org_selectors.children_visible_to(
            request.user, org_selectors.get_visible_unit(request.user, parent)
        )
    else:
        rows = org_selectors.units_visible_to(request.user)
    ids, nxt = page(rows, field="path", cursor=cursor, limit=limit, descending=False)
    by_id = rows.model.objects.select_related("parent").in_bulk(ids)
    return {"items": [unit_out(by_id[i]) for i in ids], "next_cursor": nxt}


@router.get("{code}", response=UnitOut, summary="单位详情")
def unit_detail(request, code: str):
    return unit_out(org_selectors.get_visible_unit(request.user, code))
