"""Pages of the case files: thin over services and selectors. Personal fields reach a page
only for the owning station's 个案社工, and each such page view is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors, error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs.middleware import unit_of
from shegong.orgs.models import SERVICE_KINDS, Kind, OrgUnit
from shegong.sheets import workbook_response

from . import selectors, services
from .forms import (
    AssessmentForm,
    CaseFileForm,
    CloseForm,
    DecisionForm,
    DoneForm,
    FollowUpForm,
    OpenForm,
    PlanForm,
    RecordForm,
    ReopenForm,
    TransferForm,
)
from .models import CaseStatus, FollowUp


@login_required
def case_list(request):
    unit = unit_of(request)
    if unit.kind not in SERVICE_KINDS or not org_selectors.is_member(request.user, unit.pk):
        # A bureau keeps no files: it sees counts by group and status.
        return redirect("case_summary")
    rows = selectors.files_visible_to(request.user).filter(unit=unit).select_related("group")
    status = request.GET.get("status", "open")
    if status in CaseStatus.values:
        rows = rows.filter(status=status)
    group = request.GET.get("group", "")
    if group.isdigit():
        rows = rows.filter(group_id=int(group))
    caseworker = selectors.is_caseworker(request.user, unit)
    number = request.GET.get("q", "").strip()
    if number:
        rows = rows.filter(number__contains=number)
    id_number = request.GET.get("id", "").strip()
    if id_number and caseworker:
        # Found by the keyed hash: nothing is decrypted to search.
        from . import crypto, idnumber

        rows = rows.filter(id_hash=crypto.id_hash(idnumber.normalise(id_number)))
    today = timezone.localdate()
    context = {
        "unit": unit,
        "rows": rows[:300],
        "status": status,
        "statuses": CaseStatus.choices,
        "groups": selectors.active_groups(),
        "group": group,
        "caseworker": caseworker,
        "incoming": selectors.incoming_transfers(request.user).filter(to_unit=unit).count(),
        "due": selectors.due_items(request.user, today) if caseworker else [],
        "today": today,
    }
    return render(request, "casework/list.html", context)


@login_required
def case_new(request):
    unit = unit_of(request)
    if not selectors.is_caseworker(request.user, unit):
        raise PermissionDenied("只有本站的个案社工可以建立个案档案。")
    form = OpenForm(
        request.POST or None,
        groups=selectors.active_groups(),
        initial={"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_file(
                unit=unit,
                by=request.user,
                kind=data["kind"],
                group=data["group"],
                data=data,
                opened_on=data["opened_on"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已建档，档案编号 {case.number}。")
            return redirect(case)
    return render(request, "casework/form.html", {"form": form, "title": "新建个案档案"})


@login_required
def case_edit(request, pk):
    case = selectors.get_file_for_user(request.user, pk)
    if not selectors.is_caseworker(request.user, case.unit):
        raise PermissionDenied("只有本站的个案社工可以修改档案。")
    initial = {f: getattr(case, f) for f in ("kind", "name", "id_number", "phone", "address")}
    initial.update(group=case.group_id, members=case.members)
    form = CaseFileForm(request.POST or None, groups=selectors.active_groups(), initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.update_file(
                case=case, by=request.user, group=form.cleaned_data["group"], data=form.cleaned_data
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已保存修改。")
            return redirect(case)
    else:
        services.record_view(case=case, by=request.user)
    context = {"form": form, "title": f"修改档案 {case.number}", "case": case}
    return render(request, "casework/form.html", context)


def _detail(request, case, **bound):
    """The file's page; `bound` holds a form that failed, shown open with its errors."""
    user = request.user
    clear = selectors.is_caseworker(user, case.unit)
    today = timezone.localdate()
    context = {"case": case, "clear": clear, "today": today, "bound": bound}
    if clear:
        services.record_view(case=case, by=user)
        visits = selectors.attachable_visits(user, case)
        context.update(
            assessments=case.assessments.select_related("by"),
            plans=case.plans.select_related("by"),
            records=case.records.select_related("by", "visit", "unit"),
            followups=case.followups.select_related("by"),
            transfers=case.transfers.select_related("from_unit", "to_unit", "requested_by"),
            pending=case.transfers.filter(status="pending").first(),
            assess_form=bound.get("assess") or AssessmentForm(initial={"date": today}),
            plan_form=bound.get("plan") or PlanForm(initial={"start": today}),
            record_form=bound.get("record")
            or RecordForm(initial={"date": today, "way": "home"}, visits=visits),
            followup_form=bound.get("followup") or FollowUpForm(),
            done_form=DoneForm(initial={"done_on": today}),
            done_bound=bound.get("done"),
            close_form=bound.get("close") or CloseForm(initial={"closed_on": today}),
            reopen_form=bound.get("reopen") or ReopenForm(),
            transfer_form=bound.get("transfer") or TransferForm(),
        )
    else:
        context.update(
            n_records=case.records.count(),
            next_due=case.followups.filter(done_on=None).order_by("due").first(),
        )
    status = 400 if bound else 200
    return render(request, "casework/detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    return _detail(request, selectors.get_file_for_user(request.user, pk))


def _post(request, pk, key, form, call, done):
    """Run `call(cleaned_data)` for a valid `form` on the file; on refusal show the file
    again with the form open and its errors under each field."""
    case = selectors.get_file_for_user(request.user, pk)
    if not selectors.is_caseworker(request.user, case.unit):
        raise PermissionDenied("只有本站的个案社工可以操作档案。")
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, done)
            return redirect(case)
    return _detail(request, case, **{key: form})


@login_required
@require_POST
def case_assess(request, pk):
    def call(case, d):
        services.add_assessment(
            case=case,
            by=request.user,
            date=d["date"],
            situation=d["situation"],
            needs=d["needs"],
            risk=d["risk"],
        )

    return _post(request, pk, "assess", AssessmentForm(request.POST), call, "已保存需求评估。")


@login_required
@require_POST
def case_plan(request, pk):
    def call(case, d):
        services.set_plan(
            case=case,
            by=request.user,
            goals=d["goals"],
            measures=d["measures"],
            start=d["start"],
            end=d["end"],
        )

    return _post(request, pk, "plan", PlanForm(request.POST), call, "已保存服务计划。")


@login_required
@require_POST
def case_record(request, pk):
    case = selectors.get_file_for_user(request.user, pk)
    form = RecordForm(request.POST, visits=selectors.attachable_visits(request.user, case))

    def call(case, d):
        services.add_record(
            case=case,
            by=request.user,
            date=d["date"],
            way=d["way"],
            content=d["content"],
            hours=d["hours"],
            visit=d["visit"],
        )

    return _post(request, pk, "record", form, call, "已添加服务记录。")


@login_required
@require_POST
def case_followup(request, pk):
    def call(case, d):
        services.add_followup(case=case, by=request.user, due=d["due"], what=d["what"])

    return _post(request, pk, "followup", FollowUpForm(request.POST), call, "已添加跟进事项。")


@login_required
@require_POST
def followup_done(request, pk, followup_id):
    def call(case, d):
        followup = FollowUp.objects.filter(case=case, pk=followup_id).first()
        if followup is None:
            raise Http404("没有找到该跟进事项。")
        services.complete_followup(
            followup=followup, by=request.user, done_on=d["done_on"], result=d["result"]
        )

    form = DoneForm(request.POST)
    form.followup_id = followup_id
    return _post(request, pk, "done", form, call, "跟进事项已完成。")


@login_required
@require_POST
def case_close(request, pk):
    def call(case, d):
        services.close_file(
            case=case, by=request.user, reason=d["reason"], closed_on=d["closed_on"]
        )

    return _post(request, pk, "close", CloseForm(request.POST), call, "已结案。")


@login_required
@require_POST
def case_reopen(request, pk):
    def call(case, d):
        services.reopen_file(case=case, by=request.user, reason=d["reason"])

    return _post(request, pk, "reopen", ReopenForm(request.POST), call, "已重新开案。")


@login_required
@require_POST
def case_transfer(request, pk):
    def call(case, d):
        code = d["to_code"].strip()
        to_unit = OrgUnit.objects.filter(code=code, kind=Kind.STATION).first()
        if to_unit is None:
            raise ValidationError({"to_code": f"没有代码为“{code}”的社会工作站，请核对。"})
        services.request_transfer(case=case, by=request.user, to_unit=to_unit, reason=d["reason"])

    form = TransferForm(request.POST)
    return _post(request, pk, "transfer", form, call, "已发出转移申请，待对方站点接收。")


@login_required
@require_POST
def transfer_cancel(request, pk):
    transfer = (
        selectors.outgoing_transfers(request.user).filter(pk=pk).select_related("case").first()
    )
    if transfer is None:
        raise Http404("没有找到该转移申请。")
    try:
        services.cancel_transfer(transfer=transfer, by=request.user)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, "已撤回转移申请。")
    return redirect(transfer.case)


@login_required
def transfer_list(request):
    user = request.user
    context = {
        "incoming": selectors.incoming_transfers(user).select_related(
            "case", "case__group", "from_unit", "requested_by"
        ),
        "outgoing": selectors.outgoing_transfers(user).select_related(
            "case", "to_unit", "decided_by"
        )[:50],
        "form": DecisionForm(),
    }
    return render(request, "casework/transfers.html", context)


@login_required
@require_POST
def transfer_decide(request, pk):
    transfer = selectors.get_incoming_transfer(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("decision") == "accept":
            services.accept_transfer(transfer=transfer, by=request.user, note=note)
            messages.success(request, f"已接收档案 {transfer.case.number}。")
            return redirect("case_detail", transfer.case_id)
        services.decline_transfer(transfer=transfer, by=request.user, note=note)
        messages.success(request, "已拒绝该转移申请。")
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    return redirect("case_transfers")


@login_required
def case_summary(request):
    unit = unit_of(request)
    rows, total = selectors.summary_table(request.user, unit)
    context = {"unit": unit, "rows": rows, "total": total}
    return render(request, "casework/summary.html", context)


@login_required
def summary_export(request):
    """Counts by station × group × status below the current unit: no personal field."""
    unit = unit_of(request)
    rows = selectors.station_rows(request.user, unit)
    labels = dict(CaseStatus.choices)
    header = ["单位代码", "单位名称", "对象类别", "状态", "档案数"]
    out = [
        [r["unit__code"], r["unit__name"], r["group__name"], labels[r["status"]], r["n"]]
        for r in rows
    ]
    services.record_export(unit=unit, by=request.user, rows=len(out))
    stamp = timezone.localtime().strftime("%Y%m%d")
    return workbook_response(f"个案档案统计_{unit.name}_{stamp}.xlsx", "个案档案统计", header, out)
