from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors, error_messages
from shegong.orgs.middleware import unit_of
from shegong.sheets import workbook_response

from . import selectors, services
from .forms import EntryForm, FundForm, RangeForm, ReverseForm
from .models import EntryKind


def _range(request):
    """The dates of ?start=&end=, from New Year's Day to today by default."""
    today = timezone.localdate()
    default = (date(today.year, 1, 1), today)
    if "start" in request.GET or "end" in request.GET:
        form = RangeForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return (form, *default)
    return (RangeForm(initial={"start": default[0], "end": default[1]}), *default)


@login_required
def fund_list(request):
    unit = unit_of(request, request.GET.get("unit"))
    funds = selectors.funds_of(request.user, unit)
    totals = {
        "balance": sum(f.balance for f in funds),
        "cash_in": sum(f.cash_in for f in funds),
        "inkind_in": sum(f.inkind_in for f in funds),
        "spent": sum(f.spent for f in funds),
    }
    context = {
        "unit": unit,
        "funds": funds,
        "totals": totals,
        "can_open": selectors.can_open(request.user, request.unit) and unit == request.unit,
    }
    return render(request, "funds/list.html", context)


@login_required
def fund_new(request):
    unit = request.unit
    if not selectors.can_open(request.user, unit):
        raise PermissionDenied("只有社会工作站或社会工作室本单位的填报员或管理员可以设立社区基金。")
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.open_fund(unit=unit, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "社区基金已设立。")
            return redirect(fund)
    return render(request, "funds/fund_form.html", {"form": form, "unit": unit})


@login_required
def fund_detail(request, pk):
    fund = selectors.get_fund_for_user(request.user, pk)
    start, end = request.GET.get("start"), request.GET.get("end")
    form = RangeForm(request.GET) if start or end else None
    if form is not None and form.is_valid():
        opening, rows = selectors.ledger(fund, form.cleaned_data["start"], form.cleaned_data["end"])
    else:
        opening, rows = selectors.ledger(fund)
    context = {
        "fund": fund,
        "opening": opening,
        "rows": rows,
        "range_form": form or RangeForm(),
        "can_keep": selectors.can_keep(request.user, fund.unit),
    }
    return render(request, "funds/detail.html", context)


@login_required
def entry_new(request, pk):
    fund = selectors.get_fund_for_user(request.user, pk)
    if not selectors.can_keep(request.user, fund.unit):
        raise PermissionDenied("只有基金所在单位的填报员或管理员可以记账。")
    kind = request.GET.get("kind") if request.GET.get("kind") in EntryKind.values else "cash"
    form = EntryForm(
        request.POST or None,
        initial={"kind": kind, "date": timezone.localdate()},
        activities=selectors.activities_for_link(fund),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_entry(fund=fund, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已记账。")
            return redirect(fund)
    return render(request, "funds/entry_form.html", {"form": form, "fund": fund})


@login_required
@require_POST
def entry_reverse(request, pk, entry_id):
    fund = selectors.get_fund_for_user(request.user, pk)
    entry = fund.entries.filter(pk=entry_id).first()
    if entry is None:
        raise Http404("没有找到该记录。")
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写冲正原因。")
        return redirect(fund)
    try:
        services.reverse_entry(entry=entry, reason=form.cleaned_data["reason"], by=request.user)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, "已冲正。")
    return redirect(fund)


LEDGER_HEADER = [
    "日期",
    "类别",
    "捐赠方/用途",
    "物资名称及数量",
    "收入（元）",
    "支出（元）",
    "资金余额（元）",
    "关联活动",
    "备注",
    "记账人",
]


@login_required
def fund_export(request, pk):
    fund = selectors.get_fund_for_user(request.user, pk)
    _opening, entries = selectors.ledger(fund)
    rows = []
    for e in entries:
        income = e.amount if e.kind != EntryKind.SPENDING else None
        spent = e.amount if e.kind == EntryKind.SPENDING else None
        label = e.get_kind_display() + ("（冲正）" if e.is_reversal else "")
        rows.append(
            [
                e.date,
                label,
                e.purpose if e.kind == EntryKind.SPENDING else e.donor,
                e.items,
                income,
                spent,
                e.balance,
                e.activity.name if e.activity else "",
                e.note,
                e.by.display_name if e.by else "",
            ]
        )
    filename = f"{fund.unit.name}-{fund.name}-台账.xlsx"
    return workbook_response(filename, "基金台账", LEDGER_HEADER, rows)


@login_required
def reconcile(request):
    unit = unit_of(request, request.GET.get("unit"))
    form, start, end = _range(request)
    context = {
        "unit": unit,
        "form": form,
        "start": start,
        "end": end,
        "result": selectors.reconcile(unit, start, end),
        "only_differences": request.GET.get("all") != "1",
    }
    return render(request, "funds/reconcile.html", context)
