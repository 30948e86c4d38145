from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.edits import EditConflict
from shegong.forms import add_service_errors

from . import selectors, services, tree
from .forms import MoveForm, NewUnitForm, UnitForm
from .middleware import SESSION_KEY
from .models import Kind, OrgUnit


def kind_counts(unit):
    rows = (
        OrgUnit.objects.filter(tree.descendants(unit.path))
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["kind"]: row["n"] for row in rows}
    return [(label, counts[value]) for value, label in Kind.choices if counts.get(value)]


@login_required
@require_POST
def switch_unit(request):
    code = request.POST.get("unit", "")
    for m in selectors.memberships_of(request.user):
        if m.unit.code == code:
            request.session[SESSION_KEY] = m.unit_id
            messages.info(request, f"已切换到：{m.unit.name}")
            break
    else:
        raise Http404("您不是该单位的成员。")
    return redirect("home")


@login_required
def org_tree(request):
    return render(request, "orgs/tree.html", {"roots": selectors.top_units_of(request.user)})


@login_required
def unit_children(request, code):
    unit = selectors.get_visible_unit(request.user, code)
    children = list(selectors.children_visible_to(request.user, unit)[:500])
    with_children = set(
        OrgUnit.objects.filter(parent__in=children).values_list("parent_id", flat=True).distinct()
    )
    return render(
        request,
        "orgs/tree.html#children",
        {"unit": unit, "children": children, "with_children": with_children},
    )


@login_required
def org_search(request):
    text = request.GET.get("q", "")
    results = selectors.search_units(request.user, text)
    return render(request, "orgs/tree.html#results", {"results": results, "q": text})


@login_required
def unit_detail(request, code):
    unit = selectors.get_visible_unit(request.user, code)
    chain = selectors.ancestors_visible_to(request.user, unit)  # from the highest they see
    context = {
        "unit": unit,
        "chain": chain,
        "children": selectors.children_visible_to(request.user, unit)[:200],
        "kind_counts": kind_counts(unit),
        "can_manage": selectors.can_manage(request.user, unit),
        "members": selectors.members_visible_to(request.user, unit),
        "moves": unit.moves.select_related("old_parent", "new_parent", "moved_by")[:20],
    }
    return render(request, "orgs/unit_detail.html", context)


def _managed_unit(request, code):
    unit = selectors.get_visible_unit(request.user, code)
    if not selectors.can_manage(request.user, unit):
        raise PermissionDenied("您不是该单位或其上级单位的管理员。")
    return unit


@login_required
def unit_edit(request, code):
    unit = _managed_unit(request, code)
    form = _unit_form(unit, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            services.update_unit(
                unit=unit, data=data, by=request.user, version=form.cleaned_data["version"]
            )
        except ValidationError as e:
            add_service_errors(form, e)
        except EditConflict as e:
            conflict = edits.resolve_form(form, _unit_form(e.obj), e.obj)
            form = _unit_form(e.obj, conflict.data)
        else:
            messages.success(request, "单位信息已保存。")
            return redirect("unit_detail", code=unit.code)
    context = {"unit": unit, "form": form, "title": "编辑单位", "conflict": conflict}
    return render(request, "orgs/unit_form.html", context)


def _unit_form(unit, data=None):
    return edits.track(UnitForm(data, instance=OrgUnit.objects.get(pk=unit.pk)), unit)


@login_required
def unit_create(request, code):
    parent = _managed_unit(request, code)
    form = NewUnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        try:
            unit = services.create_unit(parent=parent, by=request.user, **data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已新建下级单位：{unit.name}")
            return redirect("unit_detail", code=unit.code)
    return render(
        request, "orgs/unit_form.html", {"unit": parent, "form": form, "title": "新建下级单位"}
    )


@login_required
def unit_move(request, code):
    unit = _managed_unit(request, code)
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = selectors.units_managed_by(request.user).filter(
            code=form.cleaned_data["new_parent"].strip()
        )
        if not target:
            form.add_error("new_parent", "找不到该单位，或您不是它的管理员。")
        else:
            try:
                services.move_unit(
                    unit=unit,
                    new_parent=target.get(),
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, "隶属关系已调整，下级单位随之调整。")
                return redirect("unit_detail", code=unit.code)
    return render(request, "orgs/unit_move.html", {"unit": unit, "form": form})
