"""Who may see and act on purchased projects and the staff register, and the reads built on it.

A project is seen by the members of its purchasing bureau and the units above it, by the
members of its contractor and of its served stations (and of the units between them and the
bureau), read-only, and by the third-party assessors linked to it. Everyone else gets 404.
Only the bureau's 管理员/审核员 (at the bureau or above) edit it; they and its assessors
evaluate it.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Avg, Count, Exists, FloatField, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from shegong.activities.models import Activity, Visit
from shegong.activities.privacy import mask_phone
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.models import Kind, OrgUnit, Role

from .models import (
    BUREAU_KINDS,
    Criterion,
    Evaluation,
    Level,
    Metric,
    Project,
    ProjectAssessor,
    Stage,
    Training,
    Worker,
)

MANAGE_ROLES = (Role.ADMIN, Role.REVIEWER)

# What figures() returns, in the words of the dashboards and the summary.
LABELS = {
    "staff": "在岗社会工作者（人）",
    "certified": "持证社会工作者（人）",
    "supervisors": "督导（人）",
    "training_hours": "培训学时",
    "projects": "实施中的购买服务项目（个）",
    "project_budget": "购买服务项目资金（元）",
}

PUBLIC_LABELS = {"staff": "社会工作者（人）", "certified": "持证社会工作者（人）"}


# --- projects ---------------------------------------------------------------------------


def _participant_q(user):
    """Projects whose contractor or a served station lies in the subtree of a unit of the
    user's: the contractor's and stations' own people, and the units between them and the
    bureau."""
    paths = org_selectors._cover(m.unit.path for m in org_selectors.memberships_of(user))
    if not paths:
        return None
    contractor, served = Q(), Q()
    for p in paths:
        contractor |= tree.subtree(p, "contractor__path")
        served |= tree.subtree(p, "orgunit__path")
    stations = Project.stations.through.objects.filter(served).values("project_id")
    return contractor | Q(pk__in=stations)


def projects_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Project.objects.none()
    q = Q(pk__in=ProjectAssessor.objects.filter(user=user).values("project_id"))
    above = org_selectors.visible_q(user, "issuer_path")
    if above is not None:
        q |= above
    participant = _participant_q(user)
    if participant is not None:
        q |= participant
    return Project.objects.filter(q)


def get_project_for_user(user, pk):
    project = (
        projects_visible_to(user)
        .select_related("issuer", "contractor", "domain", "created_by")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("没有找到该项目，或您无权查看。")
    return project


def can_register(user, unit):
    """管理员/审核员 of a bureau (or above it) register projects in its name."""
    return (
        unit is not None
        and unit.kind in BUREAU_KINDS
        and bool(org_selectors.roles_over(user, unit) & set(MANAGE_ROLES))
    )


def can_manage(user, project):
    return bool(org_selectors.roles_over(user, project.issuer) & set(MANAGE_ROLES))


def can_edit_criteria(user):
    """管理员 of a bureau edit the evaluation criteria."""
    return any(
        m.role == Role.ADMIN and m.unit.kind in BUREAU_KINDS
        for m in org_selectors.memberships_of(user)
    )


def is_assessor(user, project):
    return ProjectAssessor.objects.filter(project=project, user=user).exists()


def can_evaluate(user, project):
    return can_manage(user, project) or is_assessor(user, project)


def served_q(project, field="org_path"):
    """The subtrees of the project's stations, over a path column."""
    paths = org_selectors._cover(s.path for s in project.stations.all())
    return org_selectors._in_subtrees(paths, field) or Q(pk__in=[])


def linkable_activities(project):
    """Activities of the served stations in the project's period not yet linked."""
    return (
        Activity.objects.filter(served_q(project), deleted_at=None)
        .filter(date_start__lte=project.end_date, date_end__gte=project.start_date)
        .exclude(pk__in=project.activities.values("pk"))
        .select_related("unit")
        .order_by("-date_start", "-id")
    )


def linkable_records(project):
    from shegong.casework.models import ServiceRecord

    return (
        ServiceRecord.objects.filter(served_q(project, "unit__path"))
        .filter(date__range=(project.start_date, project.end_date))
        .exclude(pk__in=project.records.values("pk"))
        .select_related("case", "unit")
        .order_by("-date", "-id")
    )


def station_choices(issuer):
    """Units a bureau may name as served stations: its stations and rooms."""
    return OrgUnit.objects.filter(
        tree.descendants(issuer.path), kind__in=[Kind.STATION, Kind.ROOM], is_active=True
    ).order_by("path")


def contractor_choices(issuer):
    return OrgUnit.objects.filter(
        tree.descendants(issuer.path), kind=Kind.AGENCY, is_active=True
    ).order_by("path")


def _fraction(project, today):
    days = (project.end_date - project.start_date).days + 1
    gone = (min(today, project.end_date) - project.start_date).days + 1
    return max(0, min(1, gone / days))


def actuals(project):
    """What the linked work adds up to, per metric."""
    linked = project.activities.filter(deleted_at=None)
    sums = linked.aggregate(
        n=Count("id"),
        served=Sum(
            Coalesce("beneficiaries", "participants", Value(0), output_field=IntegerField())
        ),
    )
    visits = Visit.objects.filter(
        served_q(project),
        deleted_at=None,
        date__range=(project.start_date, project.end_date),
    ).count()
    cases = project.records.values("case_id").distinct().count()
    return {
        Metric.SERVED: sums["served"] or 0,
        Metric.ACTIVITIES: sums["n"] or 0,
        Metric.CASES: cases,
        Metric.VISITS: visits,
    }


def progress(project, today):
    """Each target with its actual, percent done and what a linear plan expects by today."""
    done = actuals(project)
    fraction = _fraction(project, today)
    rows = []
    for target in project.targets.all():
        actual = done[target.metric]
        expected = round(target.value * fraction)
        rows.append(
            {
                "label": target.get_metric_display(),
                "target": target.value,
                "actual": actual,
                "percent": round(100 * actual / target.value) if target.value else 100,
                "expected": expected,
                "behind": actual < expected,
            }
        )
    return rows


def rating_summary(project):
    """Average stars and count of the ratings of the linked activities, or None when the
    ratings app is not there yet."""
    try:
        from shegong.ratings.models import Rating
    except ImportError:
        return None
    agg = Rating.objects.filter(activity__in=project.activities.all()).aggregate(
        n=Count("id"), avg=Avg("stars", output_field=FloatField())
    )
    return {"n": agg["n"], "avg": round(agg["avg"], 1) if agg["avg"] is not None else None}


def criteria():
    return list(Criterion.objects.filter(is_active=True))


def evaluations_of(project):
    return {
        e.stage: e
        for e in Evaluation.objects.filter(project=project)
        .select_related("by")
        .prefetch_related("scores__criterion")
    }


def contractor_record(user, contractor):
    """The contractor's projects the user may see, each with its evaluations."""
    rows = (
        projects_visible_to(user)
        .filter(contractor=contractor)
        .select_related("issuer", "domain")
        .prefetch_related("evaluations")
        .order_by("-start_date", "-id")
    )
    return list(rows)


def _due_projects(user, today):
    own = [m.unit_id for m in org_selectors.memberships_of(user) if m.role in MANAGE_ROLES]
    q = Q(issuer_id__in=own) | Q(
        pk__in=ProjectAssessor.objects.filter(user=user).values("project_id")
    )
    mids = Evaluation.objects.filter(project=OuterRef("pk"), stage=Stage.MID)
    finals = Evaluation.objects.filter(project=OuterRef("pk"), stage=Stage.FINAL)
    return (
        Project.objects.filter(q, start_date__lt=today)
        .annotate(has_mid=Exists(mids), has_final=Exists(finals))
        .filter(Q(has_mid=False) | Q(has_final=False))
        .order_by("end_date")[:50]
    )


def due_items(user, today):
    """Evaluations due: past the midpoint with no mid-term one, ended with no final one;
    for the bureau that registered the project and for its assessors."""
    if not getattr(user, "is_authenticated", False):
        return []
    out = []
    for p in _due_projects(user, today):
        if not p.has_mid and today >= p.midpoint:
            url = reverse("project_evaluate", args=[p.pk, Stage.MID])
            out.append(
                {"kind": "项目评估", "title": f"{p.name}：中期评估", "due": p.midpoint, "url": url}
            )
        if not p.has_final and today >= p.end_date:
            url = reverse("project_evaluate", args=[p.pk, Stage.FINAL])
            out.append(
                {"kind": "项目评估", "title": f"{p.name}：末期评估", "due": p.end_date, "url": url}
            )
    return out


# --- staff ------------------------------------------------------------------------------


def workers_visible_to(user):
    q = org_selectors.visible_q(user, "unit_path")
    return Worker.objects.filter(q) if q is not None else Worker.objects.none()


def get_worker_for_user(user, pk):
    worker = workers_visible_to(user).select_related("unit").filter(pk=pk).first()
    if worker is None:
        raise Http404("没有找到该社会工作者，或您无权查看。")
    return worker


def can_edit_staff(user, unit):
    """The unit's own 管理员/填报员, or a 管理员 above it."""
    own = any(
        m.unit_id == unit.pk and m.role in (Role.ADMIN, Role.FILLER)
        for m in org_selectors.memberships_of(user)
    )
    return own or Role.ADMIN in org_selectors.roles_over(user, unit)


def sees_phone(user, worker):
    """A worker's phone is shown to the members of the worker's own unit only."""
    return org_selectors.is_member(user, worker.unit_id)


def staff_counts(path, start=None, end=None):
    """Counts of the active staff in the subtree at `path`, and training hours in a span."""
    workers = Worker.objects.filter(tree.subtree(path, "unit_path"), is_active=True)
    counts = workers.aggregate(
        staff=Count("id"),
        certified=Count("id", filter=~Q(level=Level.NONE)),
        supervisors=Count("id", filter=Q(is_supervisor=True)),
        **{f"level_{value}": Count("id", filter=Q(level=value)) for value, _ in Level.choices},
    )
    trainings = Training.objects.filter(tree.subtree(path, "unit_path"))
    if start is not None:
        trainings = trainings.filter(date__range=(start, end))
    counts["training_hours"] = trainings.aggregate(h=Sum("hours"))["h"] or Decimal("0")
    return counts


def staff_page(user, unit, year):
    """The staff page of `unit`'s subtree: the workers, and counts by certificate level."""
    counts = staff_counts(unit.path, date(year, 1, 1), date(year, 12, 31))
    levels = [(label, counts[f"level_{value}"]) for value, label in Level.choices]
    hours = dict(
        Training.objects.filter(tree.subtree(unit.path, "unit_path"), date__year=year)
        .values_list("worker_id")
        .annotate(h=Sum("hours"))
    )
    workers = list(
        workers_visible_to(user)
        .filter(tree.subtree(unit.path, "unit_path"))
        .select_related("unit")
        .order_by("-is_active", "unit_path", "name")[:500]
    )
    for w in workers:
        w.hours_this_year = hours.get(w.pk, Decimal("0"))
        w.shown_phone = w.phone if sees_phone(user, w) else mask_phone(w.phone) if w.phone else ""
    return {"counts": counts, "levels": levels, "workers": workers}


# --- integration ------------------------------------------------------------------------


def _active_projects(path, start, end):
    stations = Project.stations.through.objects.filter(tree.subtree(path, "orgunit__path")).values(
        "project_id"
    )
    return Project.objects.filter(
        Q(pk__in=stations) | tree.subtree(path, "issuer_path"),
        start_date__lte=end,
        end_date__gte=start,
    )


def figures(path, start, end):
    """Plain numbers of the subtree at `path` for the span start..end (labels in LABELS):
    active staff, certified staff, supervisors, training hours in the span, and the projects
    issued in the subtree or serving a unit of it that run in the span, with their budget."""
    counts = staff_counts(path, start, end)
    projects = _active_projects(path, start, end).aggregate(n=Count("id"), budget=Sum("budget"))
    return {
        "staff": counts["staff"],
        "certified": counts["certified"],
        "supervisors": counts["supervisors"],
        "training_hours": counts["training_hours"],
        "projects": projects["n"] or 0,
        "project_budget": projects["budget"] or Decimal("0.00"),
    }


def public_figures(unit):
    """What a station may show on its public page: how many social workers, how many certified."""
    counts = staff_counts(unit.path)
    return {"staff": counts["staff"], "certified": counts["certified"]}
