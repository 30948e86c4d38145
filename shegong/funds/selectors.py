"""Who sees which funds, the ledger with its running balance, the reconciliation with the
activity register, and the figures other pages show. A fund is seen by its unit and every
unit above it (read-only there; donors' names are public under charity disclosure); it is
written by the 填报员 or 管理员 of its own unit."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from shegong.activities import selectors as activity_selectors
from shegong.activities.models import Activity
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import Kind

from .models import EntryKind, Fund, FundEntry

FUND_KINDS = (Kind.STATION, Kind.ROOM)
ZERO = Decimal("0.00")

# Chinese labels of figures() and public_figures() (the dashboard, the summary and the
# portal show a value under LABELS[key]).
LABELS = {
    "income_cash": "捐赠资金收入（元）",
    "income_inkind": "捐赠物资折价（元）",
    "spending": "基金支出（元）",
    "funds": "社区基金数",
    "year_income": "本年基金收入（元，含物资折价）",
    "year_spending": "本年基金支出（元）",
}


def can_keep(user, unit):
    """填报员 and 管理员 of the fund's own unit keep its ledger."""
    return activity_selectors.can_enter(user, unit)


def can_open(user, unit):
    return unit is not None and unit.kind in FUND_KINDS and can_keep(user, unit)


def funds_visible_to(user):
    q = org_selectors.visible_q(user, "unit_path")
    return Fund.objects.filter(q) if q is not None else Fund.objects.none()


def get_fund_for_user(user, pk):
    fund = funds_visible_to(user).select_related("unit", "created_by").filter(pk=pk).first()
    if fund is None:
        raise Http404("没有找到该社区基金，或您无权查看。")
    return fund


def _sums(entries):
    """Net totals by kind of an entry queryset."""
    got = dict(entries.values_list("kind").annotate(s=Sum("amount")).order_by())
    return {k: got.get(k) or ZERO for k in EntryKind.values}


def funds_of(user, unit):
    """The visible funds of `unit`'s subtree, each with its net income and spending."""
    funds = list(
        funds_visible_to(user)
        .filter(tree.subtree(unit.path, "unit_path"))
        .select_related("unit")
        .annotate(
            cash_in=Sum("entries__amount", filter=Q(entries__kind=EntryKind.CASH)),
            inkind_in=Sum("entries__amount", filter=Q(entries__kind=EntryKind.INKIND)),
            spent=Sum("entries__amount", filter=Q(entries__kind=EntryKind.SPENDING)),
        )
    )
    for f in funds:
        f.cash_in, f.inkind_in, f.spent = (f.cash_in or ZERO, f.inkind_in or ZERO, f.spent or ZERO)
    return funds


def ledger(fund, start=None, end=None):
    """The fund's entries in date order, each with `balance` (cash after it), and the
    balance brought forward to `start`."""
    entries = fund.entries.select_related("activity", "by", "reverses").prefetch_related(
        "reversed_by"
    )
    opening = ZERO
    if start:
        before = _sums(fund.entries.filter(date__lt=start))
        opening = before[EntryKind.CASH] - before[EntryKind.SPENDING]
        entries = entries.filter(date__gte=start)
    if end:
        entries = entries.filter(date__lte=end)
    rows, balance = [], opening
    for e in entries.order_by("date", "id"):
        balance += e.cash_effect
        e.balance = balance
        try:
            e.reversal = e.reversed_by
        except FundEntry.DoesNotExist:
            e.reversal = None
        rows.append(e)
    return opening, rows


def activities_for_link(fund):
    """Activities a fund's entry may be linked to: those of the fund unit's subtree (a
    station's or a room's: a short list, not sliced, so the form can look a choice up)."""
    return (
        Activity.objects.filter(tree.subtree(fund.unit_path, "org_path"), deleted_at=None)
        .select_related("unit")
        .order_by("-date_start", "-id")
    )


def _linked_sums(activity_ids):
    """{activity id: {kind: net amount}} over every entry linked to these activities."""
    out = defaultdict(lambda: {k: ZERO for k in EntryKind.values})
    rows = (
        FundEntry.objects.filter(activity_id__in=activity_ids)
        .values_list("activity_id", "kind")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for activity_id, kind, s in rows:
        out[activity_id][kind] = s or ZERO
    return out


def reconcile(unit, start, end):
    """Every difference between the register and the ledgers for `unit`'s subtree.

    An activity (dated in the range) is compared on two measures: 链接资金 with the net
    spending linked to it, 链接物资折价 with the net in-kind donations linked to it. Every
    activity with a figure on either side gets a row, so nothing is matched silently;
    `differs` marks the rows that do not agree. Entries dated in the range but linked to
    activities outside it (or deleted) are listed apart."""
    activities = list(
        Activity.objects.filter(
            tree.subtree(unit.path, "org_path"),
            date_start__gte=start,
            date_start__lte=end,
            deleted_at=None,
        )
        .select_related("unit")
        .order_by("date_start", "id")
    )
    linked = _linked_sums([a.pk for a in activities])
    rows = []
    totals = {m: {"registered": ZERO, "ledger": ZERO} for m in ("funds", "inkind")}
    for a in activities:
        sums = linked.get(a.pk)
        for measure, registered, kind in (
            ("funds", a.funds, EntryKind.SPENDING),
            ("inkind", a.inkind, EntryKind.INKIND),
        ):
            booked = sums[kind] if sums else ZERO
            registered = registered or ZERO
            if not registered and not booked:
                continue
            totals[measure]["registered"] += registered
            totals[measure]["ledger"] += booked
            rows.append(
                {
                    "activity": a,
                    "measure": "链接资金" if measure == "funds" else "链接物资折价",
                    "registered": registered,
                    "ledger": booked,
                    "difference": registered - booked,
                    "differs": registered != booked,
                }
            )
    for t in totals.values():
        t["difference"] = t["registered"] - t["ledger"]
    in_range = {a.pk for a in activities}
    outside = list(
        FundEntry.objects.filter(
            tree.subtree(unit.path, "unit_path"),
            date__gte=start,
            date__lte=end,
            activity__isnull=False,
        )
        .exclude(activity_id__in=in_range)
        .select_related("fund", "activity")
        .order_by("date", "id")
    )
    outside_total = sum((e.amount for e in outside), ZERO)
    return {
        "rows": rows,
        "differences": [r for r in rows if r["differs"]],
        "totals": totals,
        "outside": outside,
        "outside_total": outside_total,
    }


def figures(path, start, end):
    """Plain numbers for the subtree at `path` from `start` to `end` (see LABELS)."""
    sums = _sums(
        FundEntry.objects.filter(tree.subtree(path, "unit_path"), date__range=(start, end))
    )
    return {
        "income_cash": sums[EntryKind.CASH],
        "income_inkind": sums[EntryKind.INKIND],
        "spending": sums[EntryKind.SPENDING],
        "funds": Fund.objects.filter(tree.subtree(path, "unit_path")).count(),
    }


def public_figures(unit, today=None):
    """What a station may disclose on its portal page: this year's income (cash and in
    kind) and spending of its subtree's funds in aggregate, and how many funds; no donors,
    no lines."""
    today = today or timezone.localdate()
    sums = _sums(
        FundEntry.objects.filter(
            tree.subtree(unit.path, "unit_path"),
            date__range=(date(today.year, 1, 1), date(today.year, 12, 31)),
        )
    )
    return {
        "year_income": sums[EntryKind.CASH] + sums[EntryKind.INKIND],
        "year_spending": sums[EntryKind.SPENDING],
        "funds": Fund.objects.filter(tree.subtree(unit.path, "unit_path")).count(),
    }


def due_items(user, today):
    """Funds have no deadlines."""
    return []
