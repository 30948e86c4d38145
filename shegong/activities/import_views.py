"""Pages for importing the Attachment 1 table and exporting the register as that table."""

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.audit.services import record_event
from shegong.db_router import replica_reads
from shegong.forms import add_service_errors
from shegong.orgs.middleware import unit_of
from shegong.sheets import XLSX

from . import export, imports, routing, selectors, table_import
from .models import ImportStatus
from .views import _filtered, _notices_for


class UploadForm(forms.Form):
    file = forms.FileField(
        label="活动统计表文件",
        help_text="附件1格式的 Excel/WPS 表格（xlsx、xls、ods）或 CSV；标题行、填报人行可以保留。",
    )
    notice = forms.TypedChoiceField(label="相关通知", required=False, coerce=str)
    route = forms.BooleanField(
        label="这是汇总表：各行按“参与活动的单位或社会组织名称”分到本单位和下级单位",
        required=False,
        help_text="区县、市民政局把各站报来的表合成一张时用。预览时会列出每个组织单位对应到哪个单位，"
        "可以改；对不上的行可以指定记入哪个单位，否则退回。",
    )
    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="表中日期没写年份时（如“3月20日”）用这一年；不填则用所选通知的年份。",
    )

    def __init__(self, *args, notices=(), supervising=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not supervising:
            del self.fields["route"]
        choices = [(str(n.pk), f"{n.doc_number} {n.title}") for n in notices]
        self.fields["notice"].choices = [("", "（不关联通知）"), *choices]
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.ods,.csv,.et"


def _get_import(request, pk):
    unit = unit_of(request)
    imp = imports.imports_visible_to(request.user, unit).filter(pk=pk).first()
    if imp is None:
        raise Http404("没有找到这次导入，或您无权查看。")
    return imp


@login_required
def import_upload(request):
    unit = unit_of(request)
    if not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以导入活动。")
    notices = _notices_for(request.user)
    supervising = unit.children.filter(is_active=True).exists()
    form = UploadForm(
        request.POST or None, request.FILES or None, notices=notices, supervising=supervising
    )
    if request.method == "POST" and form.is_valid():
        notice_id = form.cleaned_data["notice"]
        notice = next((n for n in notices if str(n.pk) == notice_id), None)
        try:
            imp = imports.start_import(
                unit=unit,
                upload=form.cleaned_data["file"],
                by=request.user,
                notice=notice,
                year=form.cleaned_data["year"],
                route=form.cleaned_data.get("route", False),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return redirect("activity_import", pk=imp.pk)
    recent = imports.imports_visible_to(request.user, unit)[:10]
    context = {"form": form, "unit": unit, "recent": recent}
    return render(request, "activities/import_upload.html", context)


@login_required
def import_detail(request, pk):
    imp = _get_import(request, pk)
    summary = imp.summary or {}
    context = {
        "imp": imp,
        "summary": summary,
        "accepted": summary.get("accepted", []),
        "more": max(0, summary.get("n_accepted", 0) - len(summary.get("accepted", []))),
        "rejected_rows": len({r["row"] for r in summary.get("rejected", [])}),
        "running": imp.status in (ImportStatus.READING, ImportStatus.IMPORTING),
        "choosing": imp.status == ImportStatus.PREVIEW
        and (summary.get("route") or summary.get("repeats")),
    }
    if request.headers.get("HX-Request"):
        if not context["running"]:
            return HttpResponse(headers={"HX-Refresh": "true"})  # finished: show it all
        return render(request, "activities/import_detail.html#progress", context)
    if summary.get("route") and imp.status == ImportStatus.PREVIEW:
        context["units"] = routing.subtree_units(imp.unit)
    return render(request, "activities/import_detail.html", context)


def _posted_choices(request, imp):
    """The preview's choices as the clerk left them, units by code, and the texts typed for
    a unit that is not in the subtree. An organiser's unit counts as chosen when it differs
    from what the preview offered, or was chosen before."""
    summary = imp.summary or {}
    before = (imp.choices or {}).get("units") or {}
    units = routing.subtree_units(imp.unit) if summary.get("route") else []
    chosen, unknown = {}, []

    def code_of(text):
        unit = routing.unit_by_choice(text, units)
        if unit is None:
            unknown.append(text)
        return unit and unit.code

    for i, found in enumerate(summary.get("mapping", [])):
        text = request.POST.get(f"unit_{i}", "").strip()
        offered = found["unit"].split(" ")[0]
        if text and (code := code_of(text)) and (code != offered or found["key"] in before):
            chosen[found["key"]] = code
    fallback = request.POST.get("fallback", "").strip()
    keep = {int(n) for n in request.POST.getlist("keep") if n.isdigit()}
    choices = {"units": chosen, "fallback": fallback and code_of(fallback), "keep": keep}
    return _normal(choices), unknown


def _normal(choices):
    """Choices in one shape, so that "none made" compares equal however it was stored."""
    return {
        "units": dict(choices.get("units") or {}),
        "fallback": choices.get("fallback") or "",
        "keep": sorted(choices.get("keep") or ()),
    }


@login_required
@require_POST
def import_confirm(request, pk):
    """Confirm the preview; when the clerk changed its choices, read the file again with
    them instead, so that what is stored is always what was last shown."""
    imp = _get_import(request, pk)
    choices, unknown = _posted_choices(request, imp)
    try:
        if request.POST.get("action") == "preview" or choices != _normal(imp.choices or {}):
            if unknown:
                messages.error(
                    request,
                    f"“{unknown[0]}”不是本单位或下级单位：请从列表中选择，或填写单位代码。",
                )
                return redirect("activity_import", pk=imp.pk)
            imports.reread(imp=imp, choices=choices, by=request.user)
            messages.info(request, "已按您的选择重新预览，请核对后再确认导入。")
            return redirect("activity_import", pk=imp.pk)
        imp = imports.confirm_import(imp=imp, by=request.user)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("activity_import", pk=imp.pk)
    if imp.status == ImportStatus.DONE:
        messages.success(request, f"已导入：新增 {imp.new_count} 条，修改 {imp.changed_count} 条。")
    return redirect("activity_import", pk=imp.pk)


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def import_rejects(request, pk):
    imp = _get_import(request, pk)
    if not imp.summary.get("rejected"):
        raise Http404("这次导入没有退回的行。")
    with imp.file.open("rb") as f:
        content = table_import.rejects_workbook(imp.summary, imp.filename, f.read())
    stem = imp.filename.rsplit(".", 1)[0]
    rows = len({item["row"] for item in imp.summary["rejected"]})
    # The file repeats the 填报人 line (name and mobile number) and the rows as uploaded.
    after = {"rows": rows, "personal": any(imp.summary.get("filler") or [])}
    record_event(
        action="activities.rejects_exported", by=request.user, unit=imp.unit, obj=imp, after=after
    )
    return _download(content, f"{stem}-退回修改.xlsx", XLSX)


@replica_reads
@login_required
def activity_export(request):
    """The filtered register as the Attachment 1 table (xlsx) or CSV."""
    unit = unit_of(request)
    _, rows, scope, _ = _filtered(request, unit)
    rows = rows.select_related("unit").order_by("org_path", "date_start", "id")
    subtree = scope == "subtree"
    today = timezone.localdate()
    stem = f"{unit.name}社会工作主题宣传活动工作进展情况统计表-{today:%Y%m%d}"
    if request.GET.get("format") == "csv":
        content = export.attachment1_csv(rows, unit_column=subtree)
        return _download(content, f"{stem}.csv", "text/csv; charset=utf-8")
    content = export.attachment1_xlsx(
        rows,
        title=f"{unit.name}社会工作主题宣传活动工作进展情况统计表",
        filler=" ".join(filter(None, [request.user.full_name, request.user.mobile])),
        filled_on=today,
        unit_column=subtree and request.GET.get("sheets") != "units",
        per_unit=subtree and request.GET.get("sheets") == "units",
    )
    return _download(content, f"{stem}.xlsx", XLSX)
