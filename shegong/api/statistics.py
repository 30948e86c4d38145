"""The dashboard's figures for one unit's subtree and one notice (reporting.dashboard)."""

from datetime import date
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from shegong.campaigns import selectors as campaign_selectors
from shegong.orgs import selectors as org_selectors
from shegong.reporting import dashboard

router = Router(tags=["statistics"])


class StatisticsOut(Schema):
    unit: str
    unit_name: str
    notice: int
    start: date
    end: date
    totals: dict
    change_from_previous_period: dict | None
    rates: list[dict]
    by_week: list[dict]
    by_domain: list[dict]
    by_form: list[dict]
    linkage: list[dict]
    children: list[dict]


def _plain(d):
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in (d or {}).items()}


def _rate(rate):
    if rate is None or rate.period is None:
        return None
    return {
        "period": rate.period.pk,
        "period_name": rate.period.name,
        "expected": rate.expected,
        "delivered": rate.delivered,
        "on_time": rate.on_time,
        "reported_rate": rate.reported_rate,
        "on_time_rate": rate.on_time_rate,
    }


@router.get("{code}", response=StatisticsOut, summary="统计（与工作台相同的数字）")
def statistics(request, code: str, notice: int | None = None):
    unit = org_selectors.get_visible_unit(request.user, code)
    notices = campaign_selectors.offered_notices(request.user)
    chosen = next((n for n in notices if n.pk == notice), None) if notice else None
    if chosen is None and notice is None and notices:
        chosen = notices[0]
    if chosen is None:
        raise Http404("没有找到该通知，或您无权查看。")
    children = org_selectors.children_of(request.user, unit)
    today = timezone.localdate()
    body = dashboard.kept_part("api-statistics", unit, chosen, today, children, _json)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _json(board):
    """The document checked against StatisticsOut and serialised once, kept with the board:
    a call whose figures have not moved neither validates nor encodes it again."""
    return StatisticsOut.model_validate(_document(board)).model_dump_json()


def _document(board):
    """The board as the API's document: plain values, kept with the board."""
    return {
        "unit": board.unit.code,
        "unit_name": board.unit.name,
        "notice": board.notice.pk,
        "start": board.start,
        "end": board.end,
        "totals": _plain(board.headline),
        "change_from_previous_period": _plain(board.previous) if board.previous else None,
        "rates": [_rate(r) for r in board.rates],
        "by_week": [{"week": w, "n": n, "participants": p} for w, n, p in board.weeks],
        "by_domain": [{"name": w, "n": n, "participants": p} for w, n, p in board.domains],
        "by_form": [{"name": w, "n": n, "participants": p} for w, n, p in board.forms],
        "linkage": [{"name": name, "value": str(v)} for name, v in board.linkage],
        "children": [
            {
                "unit": row.unit.code if row.unit else None,
                "unit_name": row.unit.name if row.unit else "本级",
                "totals": _plain(row.totals),
                "rate": _rate(row.rate),
            }
            for row in board.children
        ],
    }
