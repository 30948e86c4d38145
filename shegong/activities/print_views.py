"""The filtered register printed as seed 002's 附件1 table, A4 landscape from the browser.
Columns, values and 合计 are the xlsx export's (export.py); only the number formats are
spelled out here, as the export's cell formats spell them for Excel."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from shegong.orgs.middleware import unit_of

from . import export, rollups, selectors
from .views import _filtered

# A district's weeks fit; a city's whole campaign is the xlsx export's job, not paper's.
PRINT_LIMIT = 2000


def _text(kind, value):
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return export.day_text(value)
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "count":
        return f"{value:,}"
    return str(value)


def _total_cells(columns, totals):
    """A 合计 row: the cells after 序号, blank where the export leaves them blank."""
    return [(kind, _text(kind, totals.get(key))) for key, _, _, kind in columns[1:]]


def _all_totals(rows, summary):
    """Count and sums of every matching row, from the summary rows when they can answer
    (as the register page does), else from the rows."""
    if summary is not None:
        summary.pop("steps")
        return rollups.total(**summary)
    return selectors.totals(rows)


@login_required
def activity_print(request):
    unit = unit_of(request)
    _, rows, scope, summary = _filtered(request, unit)
    ordered = rows.select_related("unit").order_by("org_path", "date_start", "id")
    activities, domains = export.prepare(ordered[: PRINT_LIMIT + 1])
    columns = export.columns_for(scope == "subtree")
    more = None
    if len(activities) > PRINT_LIMIT:
        activities = activities[:PRINT_LIMIT]
        everything = _all_totals(rows, summary)
        more = {"n": everything["n"], "cells": _total_cells(columns, everything)}
    table = [
        [(kind, _text(kind, values[key])) for key, _, _, kind in columns]
        for values in (export.row_values(a, n, domains) for n, a in enumerate(activities, 1))
    ]
    query = request.GET.urlencode()
    context = {
        "title": f"{unit.name}社会工作主题宣传活动工作进展情况统计表",
        "filler": " ".join(filter(None, [request.user.full_name, request.user.mobile])),
        "filled_on": export.day_text(timezone.localdate()),
        "columns": [
            {"key": key, "header": header, "kind": kind} for key, header, _, kind in columns
        ],
        "linked": export.LINKED,
        "rows": table,
        "totals": _total_cells(columns, export.sum_row(activities)),
        "limit": PRINT_LIMIT,
        "more": more,
        "back_url": reverse("activity_list") + (f"?{query}" if query else ""),
    }
    return render(request, "activities/print.html", context)
