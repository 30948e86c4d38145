from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors, error_messages
from shegong.orgs.middleware import unit_of

from . import selectors, services
from .forms import ITEM_ROWS, ItemFilter, ItemForm, NoteForm, VisitForm


@login_required
def index(request):
    """督导整改: the items of the current unit's subtree, open ones by default."""
    unit = unit_of(request)
    today = timezone.localdate()
    stations = selectors.stations_with_visits(request.user, unit)
    form = ItemFilter(request.GET or None, stations=stations)
    status, station = "open", None
    if form.is_valid():
        status = form.cleaned_data["status"] or "open"
        code = form.cleaned_data["station"]
        station = next((s for s in stations if s.code == code), None) if code else None
    items = list(selectors.items_of(request.user, unit, status, station, today)[:300])
    for item in items:
        item.state = item.state_label(today)
        item.overdue = item.is_overdue(today)
    visits = (
        selectors.visits_visible_to(request.user)
        .filter(unit.subtree_q("station_path"))
        .select_related("station", "visiting_unit")[:30]
    )
    context = {
        "unit": unit,
        "form": form,
        "status": status,
        "status_label": selectors.FILTERS.get(status, ""),
        "items": items,
        "visits": visits,
        "can_record": selectors.stations_to_record(request.user, unit).exists(),
    }
    return render(request, "supervision/index.html", context)


@login_required
def visit_new(request):
    unit = unit_of(request)
    stations = selectors.stations_to_record(request.user, unit)
    if not stations.exists():
        raise PermissionDenied("只有上级单位的审核员或管理员可以记录督导。")
    data = request.POST or None
    initial = {"date": timezone.localdate()}
    if request.GET.get("station"):
        initial["station"] = stations.filter(code=request.GET["station"]).first()
    form = VisitForm(data, initial=initial, stations=stations)
    item_forms = [ItemForm(data, prefix=f"item{n}") for n in range(ITEM_ROWS)]
    valid = form.is_valid() if data else False
    valid = all([f.is_valid() for f in item_forms]) and valid if data else False
    if valid:
        items = [f.cleaned_data for f in item_forms if f.filled()]
        try:
            visit = services.record_visit(by=request.user, items=items, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "督导记录已保存。")
            return redirect(visit)
    context = {"form": form, "item_forms": item_forms, "unit": unit}
    return render(request, "supervision/visit_form.html", context)


@login_required
def visit_detail(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    today = timezone.localdate()
    items = list(visit.items.select_related("rectified_by", "verified_by"))
    for item in items:
        item.visit = visit
        item.state = item.state_label(today)
        item.overdue = item.is_overdue(today)
        item.can_report = selectors.can_report(request.user, item)
        item.can_verify = selectors.can_verify(request.user, item)
    context = {
        "visit": visit,
        "items": items,
        "can_add": selectors.can_record(request.user, visit.station),
        "item_form": ItemForm(),
    }
    return render(request, "supervision/visit.html", context)


@login_required
@require_POST
def item_add(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(visit=visit, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
        else:
            messages.success(request, "已增加整改事项。")
    else:
        messages.error(request, "整改期限的日期格式不对。")
    return redirect(visit)


@login_required
@require_POST
def item_report(request, pk):
    item = selectors.get_item_for_user(request.user, pk)
    form = NoteForm(request.POST)
    try:
        services.report_done(item=item, note=form.data.get("note", ""), by=request.user)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, "已报告整改情况，等待上级验收。")
    return redirect(item.visit)


@login_required
@require_POST
def item_verify(request, pk):
    item = selectors.get_item_for_user(request.user, pk)
    accepted = "return" not in request.POST
    try:
        services.verify(
            item=item, note=request.POST.get("note", ""), by=request.user, accepted=accepted
        )
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, "已验收销号。" if accepted else "已退回受督导单位继续整改。")
    return redirect(item.visit)
