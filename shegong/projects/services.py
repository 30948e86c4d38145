"""Every write to projects, evaluations and the staff register: one transaction each, with
its audit row written last."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from shegong.audit.services import record_event
from shegong.orgs import selectors as org_selectors
from shegong.orgs.models import Kind

from . import selectors
from .models import (
    BUREAU_KINDS,
    Criterion,
    Evaluation,
    Level,
    Metric,
    Project,
    ProjectAssessor,
    Result,
    Score,
    Stage,
    Training,
    Worker,
    result_for,
)

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def _decimal(value, field, label, places=CENT):
    try:
        d = Decimal(str(value)).quantize(places)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: f"{label}须为数字。"}) from None
    if d < 0:
        raise ValidationError({field: f"{label}不能为负数。"})
    return d


def _clean_project(issuer, data):
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写项目名称。"
    if data.get("domain") is None:
        errors["domain"] = "请选择项目领域。"
    contractor = data.get("contractor")
    if contractor is None:
        errors["contractor"] = "请选择承接机构。"
    elif contractor.kind != Kind.AGENCY:
        errors["contractor"] = "承接机构须为社会工作服务机构。"
    stations = list(data.get("stations") or [])
    if not stations:
        errors["stations"] = "请至少选择一个服务站点。"
    elif any(not s.path.startswith(issuer.path) or s.pk == issuer.pk for s in stations):
        errors["stations"] = "服务站点须为本单位下属的单位。"
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:
        errors["start_date"] = "请填写开始日期。"
    if end is None:
        errors["end_date"] = "请填写结束日期。"
    elif start is not None and end < start:
        errors["end_date"] = "结束日期不能早于开始日期。"
    try:
        budget = _decimal(data.get("budget"), "budget", "项目资金")
    except ValidationError as e:
        errors.update(e.message_dict)
        budget = None
    targets = {}
    for metric, label in Metric.choices:
        value = (data.get("targets") or {}).get(metric)
        if value in (None, ""):
            continue
        if not isinstance(value, int) or value < 0:
            errors[f"target_{metric}"] = f"{label}目标须为不小于 0 的整数。"
        else:
            targets[metric] = value
    if errors:
        raise ValidationError(errors)
    return name, budget, stations, targets


@transaction.atomic
def save_project(*, issuer, by, data, project=None):
    """Register a project of the bureau `issuer`, or change one. `data` has name,
    catalogue_no, domain, contractor, stations, budget, start_date, end_date, description
    and targets ({metric: value}; a metric left out has no target)."""
    if issuer.kind not in BUREAU_KINDS:
        raise PermissionDenied("只有民政部门可以登记购买服务项目。")
    if project is None and not selectors.can_register(by, issuer):
        raise PermissionDenied("只有民政部门的管理员或审核员可以登记项目。")
    if project is not None and not selectors.can_manage(by, project):
        raise PermissionDenied("只有购买单位的管理员或审核员可以修改项目。")
    name, budget, stations, targets = _clean_project(issuer, data)
    fields = {
        "name": name,
        "catalogue_no": (data.get("catalogue_no") or "").strip()[:40],
        "domain": data["domain"],
        "contractor": data["contractor"],
        "budget": budget,
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "description": (data.get("description") or "").strip(),
    }
    if project is None:
        project = Project.objects.create(
            issuer=issuer, issuer_path=issuer.path, created_by=by, **fields
        )
        action = "projects.created"
    else:
        project = Project.objects.select_for_update().get(pk=project.pk)
        for k, v in fields.items():
            setattr(project, k, v)
        project.save()
        action = "projects.updated"
    project.stations.set(stations)
    project.targets.exclude(metric__in=list(targets)).delete()
    for metric, value in targets.items():
        project.targets.update_or_create(metric=metric, defaults={"value": value})
    record_event(
        action=action,
        by=by,
        unit=issuer,
        obj=project,
        after={
            "项目名称": name,
            "承接机构": str(fields["contractor"]),
            "服务站点": [s.name for s in stations],
            "项目资金": budget,
            "周期": f"{fields['start_date']} 至 {fields['end_date']}",
            "指标": {Metric(m).label: v for m, v in targets.items()},
        },
    )
    return project


def _require_manager(by, project):
    if not selectors.can_manage(by, project):
        raise PermissionDenied("只有购买单位的管理员或审核员可以操作。")


@transaction.atomic
def link_activities(*, project, activities, by):
    """Link activities of the served stations (in the project's period) to the project."""
    _require_manager(by, project)
    allowed = set(selectors.linkable_activities(project).values_list("pk", flat=True))
    activities = list(activities)
    if not activities:
        raise ValidationError({"activities": "请选择要关联的活动。"})
    wrong = [a.name for a in activities if a.pk not in allowed]
    if wrong:
        raise ValidationError(
            {"activities": "只能关联服务站点在项目周期内登记的活动：" + "、".join(wrong)}
        )
    project.activities.add(*activities)
    record_event(
        action="projects.activities_linked",
        by=by,
        unit=project.issuer,
        obj=project,
        after={"活动": [f"{a.pk} {a.name}" for a in activities]},
    )
    return project


@transaction.atomic
def unlink_activity(*, project, activity, by):
    _require_manager(by, project)
    if not project.activities.filter(pk=activity.pk).exists():
        raise ValidationError({"activity": "该活动没有关联到本项目。"})
    project.activities.remove(activity)
    record_event(
        action="projects.activity_unlinked",
        by=by,
        unit=project.issuer,
        obj=project,
        before={"活动": f"{activity.pk} {activity.name}"},
    )
    return project


@transaction.atomic
def link_records(*, project, records, by):
    """Link case service records of the served stations (in the period) to the project."""
    _require_manager(by, project)
    allowed = set(selectors.linkable_records(project).values_list("pk", flat=True))
    records = list(records)
    if not records:
        raise ValidationError({"records": "请选择要关联的个案服务记录。"})
    if any(r.pk not in allowed for r in records):
        raise ValidationError({"records": "只能关联服务站点在项目周期内的个案服务记录。"})
    project.records.add(*records)
    record_event(
        action="projects.records_linked",
        by=by,
        unit=project.issuer,
        obj=project,
        after={"个案服务记录": [r.pk for r in records]},
    )
    return project


@transaction.atomic
def unlink_record(*, project, record, by):
    _require_manager(by, project)
    if not project.records.filter(pk=record.pk).exists():
        raise ValidationError({"record": "该记录没有关联到本项目。"})
    project.records.remove(record)
    record_event(
        action="projects.record_unlinked",
        by=by,
        unit=project.issuer,
        obj=project,
        before={"个案服务记录": record.pk},
    )
    return project


@transaction.atomic
def add_assessor(*, project, user, by):
    """Let a third-party assessor (an account in no unit) into the project."""
    _require_manager(by, project)
    if user is None or not user.is_active:
        raise ValidationError({"username": "没有找到该账号，或账号已停用。"})
    if org_selectors.memberships_of(user):
        raise ValidationError(
            {"username": "第三方评估账号不能属于任何单位，请为评估机构单独开设账号。"}
        )
    assessor, created = ProjectAssessor.objects.get_or_create(project=project, user=user)
    if created:
        record_event(
            action="projects.assessor_added",
            by=by,
            unit=project.issuer,
            obj=project,
            after={"评估人员": user.username},
        )
    return assessor


@transaction.atomic
def remove_assessor(*, project, user, by):
    _require_manager(by, project)
    deleted, _ = ProjectAssessor.objects.filter(project=project, user=user).delete()
    if deleted:
        record_event(
            action="projects.assessor_removed",
            by=by,
            unit=project.issuer,
            obj=project,
            before={"评估人员": user.username},
        )


@transaction.atomic
def save_evaluation(*, project, stage, by, date, scores, findings, result=""):
    """Score the project at a stage (中期/末期) against the active criteria. `scores` maps
    criterion id to a score from 0 to its full score; `result` left empty is computed
    from the percentage (models.THRESHOLDS). Saving a stage again replaces its scores."""
    if not selectors.can_evaluate(by, project):
        raise PermissionDenied("只有购买单位或该项目的第三方评估人员可以评估。")
    if stage not in Stage.values:
        raise ValidationError({"stage": "评估阶段须为中期评估或末期评估。"})
    errors = {}
    if date is None:
        errors["date"] = "请填写评估日期。"
    elif date < project.start_date:
        errors["date"] = "评估日期不能早于项目开始日期。"
    findings = (findings or "").strip()
    if not findings:
        errors["findings"] = "请填写评估意见。"
    if result and result not in Result.values:
        errors["result"] = "评估结果须为优秀、良好、合格或不合格。"
    cleaned = []
    criteria = list(Criterion.objects.filter(is_active=True))
    if not criteria:
        errors["__all__"] = "还没有启用的评估指标，请先设置评估指标。"
    for c in criteria:
        key = f"score_{c.pk}"
        value = scores.get(c.pk)
        if value in (None, ""):
            errors[key] = f"请为“{c.name}”打分。"
            continue
        try:
            score = _decimal(value, key, f"“{c.name}”的得分", TENTH)
        except ValidationError as e:
            errors.update(e.message_dict)
            continue
        if score > c.max_score:
            errors[key] = f"“{c.name}”的得分不能超过满分 {c.max_score} 分。"
            continue
        cleaned.append((c, score))
    if errors:
        raise ValidationError(errors)
    total = sum((s for _, s in cleaned), Decimal("0"))
    full = Decimal(sum(c.max_score for c, _ in cleaned))
    computed = result_for(total * 100 / full)
    evaluation = Evaluation.objects.select_for_update().filter(project=project, stage=stage).first()
    before = (
        {"得分": evaluation.total, "结果": evaluation.get_result_display()} if evaluation else None
    )
    if evaluation is None:
        evaluation = Evaluation(project=project, stage=stage)
    evaluation.date = date
    evaluation.total, evaluation.full = total, full
    evaluation.result = result or computed
    evaluation.result_chosen = bool(result) and result != computed
    evaluation.findings = findings
    evaluation.by = by
    evaluation.by_assessor = not selectors.can_manage(by, project)
    evaluation.save()
    evaluation.scores.all().delete()
    Score.objects.bulk_create(
        Score(evaluation=evaluation, criterion=c, max_score=c.max_score, score=s)
        for c, s in cleaned
    )
    record_event(
        action="projects.evaluated",
        by=by,
        unit=project.issuer,
        obj=project,
        before=before,
        after={
            "阶段": Stage(stage).label,
            "得分": total,
            "满分": full,
            "结果": evaluation.get_result_display(),
            "各项得分": {c.name: s for c, s in cleaned},
        },
    )
    return evaluation


@transaction.atomic
def save_criterion(*, by, name, max_score, order=0, is_active=True, criterion=None):
    """Add or change an evaluation criterion: for the 管理员 of a bureau."""
    if not selectors.can_edit_criteria(by):
        raise PermissionDenied("只有民政部门的管理员可以设置评估指标。")
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = "请填写指标名称。"
    elif Criterion.objects.filter(name=name).exclude(pk=getattr(criterion, "pk", None)).exists():
        errors["name"] = f"已有名为“{name}”的评估指标。"
    if not isinstance(max_score, int) or not 1 <= max_score <= 1000:
        errors["max_score"] = "满分须为 1 至 1000 的整数。"
    if errors:
        raise ValidationError(errors)
    before = (
        {"名称": criterion.name, "满分": criterion.max_score, "启用": criterion.is_active}
        if criterion
        else None
    )
    criterion = criterion or Criterion()
    criterion.name, criterion.max_score = name, max_score
    criterion.order, criterion.is_active = order or 0, bool(is_active)
    criterion.save()
    record_event(
        action="projects.criterion_saved",
        by=by,
        obj=criterion,
        before=before,
        after={"名称": name, "满分": max_score, "启用": criterion.is_active},
    )
    return criterion


# --- staff ------------------------------------------------------------------------------


@transaction.atomic
def save_worker(*, unit, by, data, worker=None):
    """Add a social worker to `unit`'s staff, or change one (name, phone, level,
    is_supervisor, is_active)."""
    if not selectors.can_edit_staff(by, unit):
        raise PermissionDenied("只有本单位的管理员、填报员或上级管理员可以维护社工名册。")
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写姓名。"
    phone = (data.get("phone") or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        errors["phone"] = "联系电话须为 7 至 12 位数字。"
    level = data.get("level") or Level.NONE
    if level not in Level.values:
        errors["level"] = "职业资格须为无、助理社工师、社工师或高级社工师。"
    if errors:
        raise ValidationError(errors)
    fields = {
        "name": name[:50],
        "phone": phone,
        "level": level,
        "is_supervisor": bool(data.get("is_supervisor")),
        "is_active": bool(data.get("is_active", True)),
    }
    if worker is None:
        worker = Worker.objects.create(unit=unit, unit_path=unit.path, **fields)
        before = None
    else:
        worker = Worker.objects.select_for_update().get(pk=worker.pk)
        if worker.unit_id != unit.pk:
            raise PermissionDenied("只能修改本单位的社工。")
        before = {
            "姓名": worker.name,
            "职业资格": worker.get_level_display(),
            "督导": worker.is_supervisor,
            "在岗": worker.is_active,
        }
        for k, v in fields.items():
            setattr(worker, k, v)
        worker.save()
    record_event(
        action="projects.worker_saved",
        by=by,
        unit=unit,
        obj=worker,
        before=before,
        after={
            "姓名": worker.name,
            "职业资格": worker.get_level_display(),
            "督导": worker.is_supervisor,
            "在岗": worker.is_active,
        },
    )
    return worker


@transaction.atomic
def add_training(*, worker, by, date, hours, topic):
    if not selectors.can_edit_staff(by, worker.unit):
        raise PermissionDenied("只有本单位的管理员、填报员或上级管理员可以登记培训。")
    errors = {}
    if date is None:
        errors["date"] = "请填写培训日期。"
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = "请填写培训主题。"
    try:
        hours = _decimal(hours, "hours", "学时", TENTH)
        if hours == 0 or hours > 500:
            errors["hours"] = "学时须大于 0 且不超过 500。"
    except ValidationError as e:
        errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    training = Training.objects.create(
        worker=worker, unit_path=worker.unit_path, date=date, hours=hours, topic=topic[:200]
    )
    record_event(
        action="projects.training_added",
        by=by,
        unit=worker.unit,
        obj=worker,
        after={"日期": date, "学时": hours, "主题": topic},
    )
    return training
