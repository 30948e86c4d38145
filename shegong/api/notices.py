"""Notices: those the caller may see, one notice, and 签收 for the caller's unit."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns import services as campaign_services

from .auth import note_write
from .paging import page

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    doc_number: str
    title: str
    issuer: str
    issuer_name: str
    status: str
    window_start: date
    window_end: date
    issued_at: datetime | None
    version: int


class NoticeDetail(NoticeOut):
    theme: str
    goals: str
    periods: list[dict]
    signed_at: datetime | None


class NoticePage(Schema):
    items: list[NoticeOut]
    next_cursor: str | None


class Signed(Schema):
    notice: int
    unit: str
    signed_at: datetime


def notice_out(n):
    return {
        "id": n.pk,
        "doc_number": n.doc_number or "",
        "title": n.title,
        "issuer": n.issuer.code,
        "issuer_name": n.issuer.name,
        "status": n.status,
        "window_start": n.window_start,
        "window_end": n.window_end,
        "issued_at": n.issued_at,
        "version": n.version,
    }


@router.get("", response=NoticePage, summary="我能看到的通知")
def notice_list(request, cursor: str | None = None, limit: int = 50):
    rows = campaign_selectors.notices_visible_to(request.user)
    ids, nxt = page(rows, field="window_start", cursor=cursor, limit=limit, is_date=True)
    by_id = rows.model.objects.select_related("issuer").in_bulk(ids)
    return {"items": [notice_out(by_id[i]) for i in ids], "next_cursor": nxt}


@router.get("{int:notice_id}", response=NoticeDetail, summary="通知详情")
def notice_detail(request, notice_id: int):
    n = campaign_selectors.get_notice_for_user(request.user, notice_id)
    mine = [
        r for r in campaign_selectors.recipient_units_for(request.user, n) if r.unit == request.unit
    ]
    return {
        **notice_out(n),
        "theme": n.theme,
        "goals": n.goals,
        "periods": [
            {
                "id": p.pk,
                "kind": p.kind,
                "name": p.name,
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date.isoformat(),
                "cutoff": p.cutoff.isoformat(),
            }
            for p in n.periods.all()
        ],
        "signed_at": mine[0].signed_at if mine else None,
    }


@router.post("{int:notice_id}/sign", response=Signed, summary="签收（以当前单位）")
def notice_sign(request, notice_id: int):
    n = campaign_selectors.get_notice_for_user(request.user, notice_id)
    mine = [
        r for r in campaign_selectors.recipient_units_for(request.user, n) if r.unit == request.unit
    ]
    if not mine:
        raise PermissionDenied("当前单位不是该通知的主送单位，不能签收。")
    recipient = campaign_services.sign_notice(recipient=mine[0], by=request.user)
    note_write(request, "notice_signed", n)
    return {"notice": n.pk, "unit": recipient.unit.code, "signed_at": recipient.signed_at}
