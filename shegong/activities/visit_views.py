"""The family-visit log. Households are personal information: the visiting unit sees them,
every level above sees counts and masked values only, and its exports carry no names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.audit.services import record_event
from shegong.db_router import replica_reads
from shegong.edits import EditConflict
from shegong.forms import add_service_errors
from shegong.orgs import selectors as org_selectors
from shegong.orgs.middleware import unit_of
from shegong.sheets import workbook_response

from . import privacy, selectors, services
from .forms import VisitForm
from .models import Visit, VisitGroup


def _shown(user, visit):
    """The visit as this user may see it: in clear for its own unit, masked above."""
    clear = selectors.sees_personal_data(user, visit.unit)
    visit.clear = clear
    if not clear:
        visit.household_name = privacy.mask_name(visit.household_name)
        visit.household_phone = privacy.mask_phone(visit.household_phone)
        visit.household_address = privacy.mask_address(visit.household_address)
    return visit


def _rows(request):
    rows = selectors.visits_visible_to(request.user).filter(unit_of(request).subtree_q("org_path"))
    group = request.GET.get("group", "")
    if group in VisitGroup.values:
        rows = rows.filter(group=group)
    if request.GET.get("follow_up") == "1":
        rows = rows.filter(follow_up=True)
    return rows


@login_required
def visit_list(request):
    rows = _rows(request)
    ids = rows.order_by("-date", "-id").values_list("id", flat=True)
    page = Paginator(ids, 30).get_page(request.GET.get("page"))
    by_id = Visit.objects.select_related("unit").in_bulk(list(page))
    visits = [_shown(request.user, by_id[i]) for i in page if i in by_id]
    context = {
        "page": page,
        "visits": visits,
        "counts": selectors.visit_counts(rows),
        "groups": VisitGroup.choices,
        "can_enter": selectors.can_enter(request.user, request.unit),
    }
    return render(request, "activities/visits.html", context)


def _form(request, unit, visit=None, data=None):
    activities = selectors.activities_visible_to(request.user).filter(unit=unit)
    form = VisitForm(data, instance=visit, activities=activities)
    return edits.track(form, visit) if visit is not None else form


@login_required
def visit_create(request):
    unit = request.unit
    if unit is None or not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以登记走访。")
    form = _form(request, unit, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in VisitForm.Meta.fields}
        try:
            services.record_visit(unit=unit, data=data, by=request.user)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已登记走访。")
            return redirect("visit_list")
    return render(request, "activities/visit_form.html", {"form": form, "title": "登记走访"})


@login_required
def visit_edit(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    if not selectors.can_enter(request.user, visit.unit):
        raise PermissionDenied("只有走访单位的填报员或管理员可以修改。")
    form = _form(request, visit.unit, Visit.objects.get(pk=visit.pk), request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in VisitForm.Meta.fields}
        try:
            services.update_visit(
                visit=visit, data=data, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        except EditConflict as e:
            conflict = edits.resolve_form(form, _form(request, visit.unit, e.obj), e.obj)
            form = _form(request, visit.unit, e.obj, conflict.data)
        else:
            messages.success(request, "已保存修改。")
            return redirect("visit_list")
    context = {"form": form, "title": "修改走访记录", "visit": visit, "conflict": conflict}
    return render(request, "activities/visit_form.html", context)


@login_required
@require_POST
def visit_delete(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    services.delete_visit(visit=visit, by=request.user)
    messages.success(request, "走访记录已删除。")
    return redirect("visit_list")


@replica_reads
@login_required
def visit_export(request):
    """xlsx of the visits in view. Rows of other units carry no personal fields at all."""
    rows = _rows(request).select_related("unit").order_by("unit__path", "date", "id")
    own = [m.unit_id for m in org_selectors.memberships_of(request.user)]
    personal = ["户主/服务对象姓名", "住址", "联系电话"]
    header = ["走访单位", "走访日期", "对象类别", "走访人员", "走访目的", "走访情况", "需要跟进"]
    # Personal columns only when every row is the exporting unit's own.
    with_personal = not rows.exclude(unit_id__in=own).exists()
    if with_personal:
        header = header[:2] + personal + header[2:]
    out = []
    for v in rows.iterator():
        row = [
            v.unit.name,
            v.date,
            v.get_group_display(),
            v.visitors,
            v.purpose,
            v.outcome,
            "是" if v.follow_up else "否",
        ]
        if with_personal:
            row[2:2] = [v.household_name, v.household_address, v.household_phone]
        out.append(row)
    stamp = timezone.localtime().strftime("%Y%m%d")
    filters = {k: request.GET[k] for k in ("group", "follow_up") if request.GET.get(k)}
    record_event(
        action="visits.exported",
        by=request.user,
        unit=request.unit,
        after={"rows": len(out), "personal": with_personal, "filters": filters},
    )
    return workbook_response(f"家庭走访_{request.unit.name}_{stamp}.xlsx", "家庭走访", header, out)
