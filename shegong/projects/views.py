from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.activities.privacy import mask_phone
from shegong.forms import add_service_errors, error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs.middleware import unit_of
from shegong.orgs.models import Kind, OrgUnit

from . import selectors, services
from .forms import (
    AssessorForm,
    CriterionForm,
    EvaluationForm,
    ProjectForm,
    TrainingForm,
    WorkerForm,
)
from .models import Criterion, Metric, Stage

# --- projects ---------------------------------------------------------------------------


@login_required
def project_list(request):
    rows = (
        selectors.projects_visible_to(request.user)
        .select_related("issuer", "contractor", "domain")
        .prefetch_related("evaluations")
        .order_by("-start_date", "-id")[:300]
    )
    context = {
        "rows": rows,
        "can_register": selectors.can_register(request.user, request.unit),
        "today": timezone.localdate(),
    }
    return render(request, "projects/list.html", context)


def _project_form(request, issuer, project=None):
    initial = {}
    if project is not None:
        initial = {
            "name": project.name,
            "catalogue_no": project.catalogue_no,
            "domain": project.domain_id,
            "contractor": project.contractor_id,
            "stations": list(project.stations.values_list("pk", flat=True)),
            "budget": project.budget,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "description": project.description,
            **{f"target_{t.metric}": t.value for t in project.targets.all()},
        }
    form = ProjectForm(
        request.POST or None,
        initial=initial,
        contractors=selectors.contractor_choices(issuer),
        stations=selectors.station_choices(issuer),
    )
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "targets": form.targets()}
        try:
            project = services.save_project(
                issuer=issuer, by=request.user, data=data, project=project
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "项目已保存。")
            return redirect("project_detail", project.pk)
    context = {"form": form, "project": project, "issuer": issuer}
    return render(request, "projects/form.html", context)


@login_required
def project_new(request):
    if not selectors.can_register(request.user, request.unit):
        raise PermissionDenied("只有民政部门的管理员或审核员可以登记购买服务项目。")
    return _project_form(request, request.unit)


@login_required
def project_edit(request, pk):
    project = selectors.get_project_for_user(request.user, pk)
    if not selectors.can_manage(request.user, project):
        raise PermissionDenied("只有购买单位的管理员或审核员可以修改项目。")
    return _project_form(request, project.issuer, project)


@login_required
def project_detail(request, pk):
    user = request.user
    project = selectors.get_project_for_user(user, pk)
    today = timezone.localdate()
    evaluations = selectors.evaluations_of(project)
    context = {
        "project": project,
        "stations": project.stations.order_by("path"),
        "targets": selectors.progress(project, today),
        "metrics": Metric,
        "activities": project.activities.filter(deleted_at=None).select_related("unit")[:300],
        "records": project.records.select_related("case", "unit")[:300],
        "assessors": project.assessors.select_related("user"),
        "ratings": selectors.rating_summary(project),
        "stages": [(s, evaluations.get(s)) for s in Stage],
        "can_manage": selectors.can_manage(user, project),
        "can_evaluate": selectors.can_evaluate(user, project),
        "assessor_form": AssessorForm(),
        "today": today,
    }
    return render(request, "projects/detail.html", context)


def _managed(request, pk):
    project = selectors.get_project_for_user(request.user, pk)
    if not selectors.can_manage(request.user, project):
        raise PermissionDenied("只有购买单位的管理员或审核员可以操作。")
    return project


def _ids(request, name):
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
def project_activities(request, pk):
    """The picker: activities of the served stations in the period, not yet linked."""
    project = _managed(request, pk)
    candidates = selectors.linkable_activities(project)
    if request.method == "POST":
        chosen = list(candidates.filter(pk__in=_ids(request, "activity")))
        try:
            services.link_activities(project=project, activities=chosen, by=request.user)
        except ValidationError as e:
            error_messages(request, e)
        else:
            messages.success(request, f"已关联 {len(chosen)} 项活动。")
            return redirect("project_detail", pk)
    context = {"project": project, "candidates": candidates[:300], "kind": "activities"}
    return render(request, "projects/pick.html", context)


@login_required
@require_POST
def project_unlink_activity(request, pk, activity_id):
    project = _managed(request, pk)
    activity = get_object_or_404(project.activities, pk=activity_id)
    services.unlink_activity(project=project, activity=activity, by=request.user)
    messages.success(request, f"已取消关联活动“{activity.name}”。")
    return redirect("project_detail", pk)


@login_required
def project_records(request, pk):
    project = _managed(request, pk)
    candidates = selectors.linkable_records(project)
    if request.method == "POST":
        chosen = list(candidates.filter(pk__in=_ids(request, "record")))
        try:
            services.link_records(project=project, records=chosen, by=request.user)
        except ValidationError as e:
            error_messages(request, e)
        else:
            messages.success(request, f"已关联 {len(chosen)} 条个案服务记录。")
            return redirect("project_detail", pk)
    context = {"project": project, "candidates": candidates[:300], "kind": "records"}
    return render(request, "projects/pick.html", context)


@login_required
@require_POST
def project_unlink_record(request, pk, record_id):
    project = _managed(request, pk)
    record = get_object_or_404(project.records, pk=record_id)
    services.unlink_record(project=project, record=record, by=request.user)
    messages.success(request, "已取消关联该个案服务记录。")
    return redirect("project_detail", pk)


@login_required
@require_POST
def project_assessor_add(request, pk):
    project = _managed(request, pk)
    form = AssessorForm(request.POST)
    if form.is_valid():
        user = (
            get_user_model().objects.filter(username=form.cleaned_data["username"].strip()).first()
        )
        try:
            services.add_assessor(project=project, user=user, by=request.user)
        except ValidationError as e:
            error_messages(request, e)
        else:
            messages.success(request, f"已授权 {user.username} 评估本项目。")
    else:
        messages.error(request, "请填写第三方评估账号。")
    return redirect("project_detail", pk)


@login_required
@require_POST
def project_assessor_remove(request, pk, user_id):
    project = _managed(request, pk)
    assessor = get_object_or_404(project.assessors.select_related("user"), user_id=user_id)
    services.remove_assessor(project=project, user=assessor.user, by=request.user)
    messages.success(request, f"已取消 {assessor.user.username} 的评估授权。")
    return redirect("project_detail", pk)


@login_required
def project_evaluate(request, pk, stage):
    project = selectors.get_project_for_user(request.user, pk)
    if stage not in Stage.values:
        raise Http404("没有该评估阶段。")
    if not selectors.can_evaluate(request.user, project):
        raise PermissionDenied("只有购买单位或该项目的第三方评估人员可以评估。")
    current = selectors.evaluations_of(project).get(stage)
    initial = {"date": timezone.localdate()}
    if current is not None:
        initial = {
            "date": current.date,
            "findings": current.findings,
            "result": current.result if current.result_chosen else "",
            **{f"score_{s.criterion_id}": s.score for s in current.scores.all()},
        }
    criteria = selectors.criteria()
    form = EvaluationForm(request.POST or None, initial=initial, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_evaluation(
                project=project,
                stage=stage,
                by=request.user,
                date=data["date"],
                scores=form.scores(),
                findings=data["findings"],
                result=data["result"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"{Stage(stage).label}已保存。")
            return redirect("project_detail", pk)
    context = {
        "project": project,
        "form": form,
        "stage_label": Stage(stage).label,
        "targets": selectors.progress(project, timezone.localdate()),
    }
    return render(request, "projects/evaluate.html", context)


@login_required
def contractor_record(request, code):
    """A contractor's record: its projects (those the user may see) and their results."""
    contractor = get_object_or_404(OrgUnit, code=code, kind=Kind.AGENCY)
    rows = selectors.contractor_record(request.user, contractor)
    if not rows and not org_selectors.sees(request.user, contractor.path):
        raise Http404("没有找到该机构，或您无权查看。")
    return render(request, "projects/contractor.html", {"contractor": contractor, "rows": rows})


def _criteria_admin(request):
    if not selectors.can_edit_criteria(request.user):
        raise PermissionDenied("只有民政部门的管理员可以设置评估指标。")


@login_required
def criteria(request, pk=None):
    _criteria_admin(request)
    criterion = get_object_or_404(Criterion, pk=pk) if pk else None
    initial = (
        {
            "name": criterion.name,
            "max_score": criterion.max_score,
            "order": criterion.order,
            "is_active": criterion.is_active,
        }
        if criterion
        else {"is_active": True}
    )
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_criterion(by=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "评估指标已保存。")
            return redirect("project_criteria")
    context = {"form": form, "criterion": criterion, "rows": Criterion.objects.all()}
    return render(request, "projects/criteria.html", context)


# --- staff ------------------------------------------------------------------------------


@login_required
def staff_index(request):
    unit = unit_of(request, request.GET.get("unit"))
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    context = {
        "unit": unit,
        "year": year,
        "children": org_selectors.children_visible_to(request.user, unit)[:100],
        "can_edit": selectors.can_edit_staff(request.user, unit),
        **selectors.staff_page(request.user, unit, year),
    }
    return render(request, "projects/staff.html", context)


def _worker_form(request, unit, worker=None):
    initial = {"is_active": True, "level": "none"}
    if worker is not None:
        initial = {
            "name": worker.name,
            "phone": worker.phone,
            "level": worker.level,
            "is_supervisor": worker.is_supervisor,
            "is_active": worker.is_active,
        }
    form = WorkerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.save_worker(
                unit=unit, by=request.user, data=form.cleaned_data, worker=worker
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已保存。")
            return redirect("worker_detail", worker.pk)
    return render(
        request, "projects/worker_form.html", {"form": form, "unit": unit, "worker": worker}
    )


@login_required
def worker_new(request):
    unit = unit_of(request, request.GET.get("unit"))
    if not selectors.can_edit_staff(request.user, unit):
        raise PermissionDenied("只有本单位的管理员、填报员或上级管理员可以维护社工名册。")
    return _worker_form(request, unit)


@login_required
def worker_edit(request, pk):
    worker = selectors.get_worker_for_user(request.user, pk)
    if not selectors.can_edit_staff(request.user, worker.unit):
        raise PermissionDenied("只有本单位的管理员、填报员或上级管理员可以维护社工名册。")
    return _worker_form(request, worker.unit, worker)


@login_required
def worker_detail(request, pk):
    worker = selectors.get_worker_for_user(request.user, pk)
    can_edit = selectors.can_edit_staff(request.user, worker.unit)
    form = TrainingForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有本单位的管理员、填报员或上级管理员可以登记培训。")
        if form.is_valid():
            try:
                services.add_training(worker=worker, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, "培训记录已登记。")
                return redirect("worker_detail", pk)
    phone = worker.phone
    if phone and not selectors.sees_phone(request.user, worker):
        phone = mask_phone(phone)
    context = {
        "worker": worker,
        "phone": phone,
        "trainings": worker.trainings.all()[:200],
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "projects/worker.html", context)
