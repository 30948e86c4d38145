from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Max, Value
from django.db.models.functions import Collate, Concat
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.campaigns import selectors as campaign_selectors
from shegong.campaigns.models import NoticeStatus, ReportingPeriod
from shegong.edits import EditConflict
from shegong.forms import add_service_errors, error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs import tree
from shegong.orgs.middleware import unit_of
from shegong.orgs.models import Role

from . import rollups, search, selectors, services
from .forms import ActivityForm, NewActivityForm, PhotoForm, ReasonForm, RegisterFilter
from .models import (
    Activity,
    ActivityAttachment,
    ActivityPhoto,
    ActivityType,
    AttachmentKind,
    Linkage,
)
from .validation import check_activity, domain_names

PAGE_SIZE = 30


def _notices_for(user):
    """Issued notices on the user's chain, newest first, for the 相关通知 choice."""
    return [n for n in campaign_selectors.offered_notices(user) if n.status == NoticeStatus.ISSUED]


def _filtered(request, unit):
    """The filtered register, and what the summary rows can answer for it: (path, first
    day, last day, dim, key) when every filter is one the summaries keep, else None.
    `summary["steps"]` are the filters other than the subtree, for _newest_first."""
    return _filters(request, unit)[:4]


def _filters(request, unit):
    """_filtered, plus for a keyword search over a subtree what _newest_first needs to walk
    it (path and steps, the keyword and notice included), else None."""
    notices = _notices_for(request.user)
    periods = ReportingPeriod.objects.filter(notice_id=request.GET.get("notice") or 0).order_by(
        "cutoff"
    )
    form = RegisterFilter(request.GET or None, notices=notices, periods=periods)
    rows = selectors.activities_visible_to(request.user)
    supervising = bool(request.unit_roles - {Role.FILLER}) or unit.children.exists()
    scope = request.GET.get("scope") or ("subtree" if supervising else "own")
    rows = rows.filter(unit=unit) if scope == "own" else rows.filter(unit.subtree_q("org_path"))
    summary = {"path": unit.path, "start": None, "end": None, "dim": rollups.ALL, "key": 0}
    steps, narrower = [], []  # narrower: filters the summaries cannot answer, for a walk
    exact = scope == "subtree"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            size = (lambda: _subtree_size(unit.path)) if exact else None
            rows = search.filter_keyword(rows, data["q"], scope_size=size)
            narrower.append(lambda r, q=data["q"]: search.filter_keyword(r, q, walk=True))
            exact = False
        if data["notice"]:
            rows = rows.filter(notice_id=data["notice"])
            narrower.append(lambda r, n=data["notice"]: r.filter(notice_id=n))
            exact = False
        if data["period"]:
            period = periods.filter(pk=data["period"]).first()
            if period:
                summary.update(start=period.start_date, end=period.end_date)
        if data["date_from"]:
            summary["start"] = max(filter(None, [summary["start"], data["date_from"]]))
        if data["date_to"]:
            summary["end"] = min(filter(None, [summary["end"], data["date_to"]]))
        if summary["start"]:
            steps.append(lambda r, day=summary["start"]: r.filter(date_start__gte=day))
        if summary["end"]:
            steps.append(lambda r, day=summary["end"]: r.filter(date_start__lte=day))
        if data["domain"] and data["activity_type"]:
            exact = False
        if data["domain"]:
            bit = 1 << int(data["domain"])
            steps.append(
                lambda r, bit=bit: r.annotate(has_domain=F("domain_mask").bitand(bit)).filter(
                    has_domain=bit
                )
            )
            summary.update(dim=rollups.DOMAIN, key=int(data["domain"]))
        if data["activity_type"]:
            code = data["activity_type"]
            steps.append(lambda r, code=code: r.filter(activity_type__code=code))
            kind = ActivityType.objects.filter(code=code).first()
            summary.update(dim=rollups.FORM, key=kind.pk if kind else -1)
        if data["unit"]:
            target = org_selectors.units_visible_to(request.user).filter(code=data["unit"]).first()
            rows = rows.filter(tree.subtree(target.path, "org_path")) if target else rows.none()
            summary["path"] = target.path if target else None
    elif form.is_bound:
        exact = False
    for step in steps:
        rows = step(rows)
    walk = None
    if form.is_valid() and form.cleaned_data["q"] and scope == "subtree" and summary["path"]:
        walk = {"path": summary["path"], "steps": [*narrower, *steps]}
    if not (exact and summary["path"] and rollups.has_rows(summary["path"])):
        return form, rows, scope, None, walk
    return form, rows, scope, {**summary, "steps": steps}, walk


def _subtree_size(path):
    """All the activities of the subtree at `path` from its summary rows, or None."""
    return rollups.total(path)["n"] if rollups.has_rows(path) else None


@login_required
def activity_list(request):
    unit = unit_of(request)
    form, rows, scope, summary, walk = _filters(request, unit)
    # Ids first, then the rows of one page: the sort runs on the index, not on wide rows.
    ids = rows.order_by("-date_start", "-id").values_list("id", flat=True)
    if summary is not None:
        # A large subtree: count and totals from the summary rows, not from every row.
        steps = summary.pop("steps")
        totals = rollups.total(**summary)
        if rollups.is_large(totals["n"]):
            ids = _newest_first(summary["path"], steps)
        ids = _Counted(ids, totals["n"])
        paginator = Paginator(ids, PAGE_SIZE)
    else:
        # The totals line's count is the paginator's: the matching rows are read once.
        totals = selectors.totals(rows)
        if walk is not None:
            ids = _Walked(ids, totals["n"], lambda: _newest_first(walk["path"], walk["steps"]))
        paginator = Paginator(ids, PAGE_SIZE)
        paginator.count = totals["n"]  # Paginator.count is a cached_property
    page = paginator.get_page(request.GET.get("page"))
    by_id = Activity.objects.select_related("unit", "activity_type").in_bulk(list(page))
    context = {
        "form": form,
        "page": page,
        "activities": [by_id[i] for i in page if i in by_id],
        "totals": totals,
        "scope": scope,
        "unit": unit,
        "can_enter": selectors.can_enter(request.user, unit),
    }
    return render(request, "activities/list.html", context)


def _newest_first(path, steps):
    """The ids of a subtree holding more than 1 % of the register, newest first, read by
    walking the date index backwards and keeping this subtree's rows: sorting 100,000 rows
    to show 30 took 0.5 s (research/perf.md). `org_path || ''` keeps the planner off the
    path index, which would find every row of the subtree first and then sort them. The
    subtree is the user's unit or one inside it, so it is already within what they see."""
    walked = Concat("org_path", Value(""), output_field=tree.PathField())
    if connection.vendor == "postgresql":
        walked = Collate(walked, "C")  # byte order, as the path column compares
    rows = (
        Activity.objects.filter(deleted_at=None)
        .annotate(walked=walked)
        .filter(walked__gte=path, walked__lt=path + tree.HIGH)
    )
    for step in steps:
        rows = step(rows)
    return rows.order_by("-date_start", "-id").values_list("id", flat=True)


class _Counted:
    """A queryset whose count is already known (from the summary rows), for Paginator."""

    def __init__(self, rows, n):
        self.rows, self.n = rows, n

    def count(self):
        return self.n

    def __getitem__(self, index):
        return self.rows[index]


# A keyword search's page is read walking the date index when that reaches the page's end
# within about this many rows (newest first, matches spread evenly), else from the sorted
# matches. SQLite tests the keyword on the date index's entry and reads only the rows that
# pass (docs/register.md, 关键词搜索).
WALK_ROWS = 20_000


class _Walked:
    """The ids of a keyword search over a subtree, `n` of them: a page near the top of
    dense matches from _newest_first (`walked()`), any other from `by_sort`, the sorted
    matches (not named `ordered`: Paginator takes that for QuerySet.ordered)."""

    def __init__(self, by_sort, n, walked):
        self.by_sort, self.n, self.walked = by_sort, n, walked

    def count(self):
        return self.n

    def __iter__(self):
        return iter(self.by_sort)

    def __getitem__(self, index):
        stop = index.stop if isinstance(index, slice) else None
        if stop and self.n:
            size = Activity.objects.aggregate(top=Max("id"))["top"] or 0
            if stop * size <= WALK_ROWS * self.n:
                return self.walked()[index]
        return self.by_sort[index]


def _save(request, form, unit, activity=None):
    notice_id = form.cleaned_data.get("notice")
    notice = next((n for n in form.notices if str(n.pk) == notice_id), None)
    try:
        if activity is None:
            return services.record_activity(
                unit=unit,
                data=form.service_data(),
                by=request.user,
                notice=notice,
                photos=form.cleaned_data.get("photos") or [],
            )
        return services.update_activity(
            activity=activity,
            data=form.service_data(),
            by=request.user,
            notice=notice,
            version=form.cleaned_data.get("version"),
        )
    except ValidationError as e:
        add_service_errors(form, e)
        return None


def _warn(request, activity):
    for _, message in getattr(activity, "warnings", []):
        messages.warning(request, message)


@login_required
def activity_create(request):
    unit = unit_of(request)
    if not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以登记活动。")
    initial = {
        "mode": "offline",
        "filler_name": request.user.full_name,
        "filler_mobile": request.user.mobile,
    }
    form = NewActivityForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        notices=_notices_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        activity = _save(request, form, unit)
        if activity is not None:
            messages.success(request, f"已登记活动：{activity.name}")
            _warn(request, activity)
            return redirect("activity_detail", pk=activity.pk)
    return render(
        request, "activities/form.html", {"form": form, "unit": unit, "title": "登记活动"}
    )


@login_required
def activity_edit(request, pk):
    activity = selectors.get_activity_for_user(request.user, pk)
    if not selectors.can_enter(request.user, activity.unit):
        raise PermissionDenied("只有该单位的填报员或管理员可以修改。")
    if activity.locked_at:
        messages.error(request, services.LOCKED)
        return redirect("activity_detail", pk=activity.pk)
    form = _edit_form(request, activity, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, activity.unit, activity)
        except EditConflict as e:
            conflict = edits.resolve_form(form, _edit_form(request, e.obj), e.obj)
            form = _edit_form(request, e.obj, conflict.data)
        else:
            if saved is not None:
                messages.success(request, "已保存修改。")
                _warn(request, saved)
                return redirect("activity_detail", pk=activity.pk)
    context = {
        "form": form,
        "unit": activity.unit,
        "activity": activity,
        "title": "修改活动",
        "conflict": conflict,
    }
    return render(request, "activities/form.html", context)


def _edit_form(request, activity, data=None):
    """The edit form of `activity`, opened on its stored values or bound to `data`."""
    initial = {
        **{f: getattr(activity, f) for f in services.STORED if f not in ("domain_mask", "linkage")},
        "notice": str(activity.notice_id or ""),
        "domains": domain_names(activity.domain_mask),
        "linkage": [str(v) for v in Linkage.values if activity.linkage & v],
    }
    form = ActivityForm(data, initial=initial, notices=_notices_for(request.user))
    return edits.track(form, activity)


@login_required
@require_POST
def activity_check(request):
    """htmx: the form's errors and warnings as the person types, without saving."""
    form = ActivityForm(request.POST, notices=_notices_for(request.user))
    errors, warnings = [], []
    if form.is_valid():
        notice_id = form.cleaned_data.get("notice")
        notice = next((n for n in form.notices if str(n.pk) == notice_id), None)
        checked = check_activity(form.service_data(), notice=notice)
        errors = [m for msgs in checked.errors.values() for m in msgs]
        warnings = [m for _, m in checked.warnings]
    else:
        touched = {k for k, v in request.POST.items() if v}
        for name, msgs in form.errors.items():
            if name in touched or name == "__all__":
                label = form.fields[name].label if name in form.fields else ""
                errors += [f"{label}：{m}" if label else m for m in msgs]
    return render(request, "activities/_check.html", {"errors": errors, "warnings": warnings})


@login_required
def activity_detail(request, pk):
    activity = selectors.get_activity_for_user(request.user, pk, include_deleted=True)
    context = {
        "activity": activity,
        "domains": domain_names(activity.domain_mask),
        "versions": activity.versions.select_related("by").order_by("-version"),
        "photos": activity.photos.all(),
        "attachments": activity.attachments.all(),
        "missing_plans": services.missing_safety_plans(activity),
        "can_edit": selectors.can_enter(request.user, activity.unit) and not activity.deleted_at,
        "can_unlock": bool(activity.locked_at)
        and selectors.can_unlock(request.user, activity.unit),
        "photo_form": PhotoForm(),
        "attachment_kinds": AttachmentKind.choices,
        "reason_form": ReasonForm(),
    }
    return render(request, "activities/detail.html", context)


def _act(request, pk, action, success):
    activity = selectors.get_activity_for_user(request.user, pk)
    try:
        action(activity)
    except ValidationError as e:
        error_messages(request, e)
    else:
        messages.success(request, success)
    return redirect("activity_detail", pk=activity.pk)


@login_required
@require_POST
def activity_delete(request, pk):
    def delete(activity):
        services.delete_activity(
            activity=activity, by=request.user, reason=request.POST.get("reason", "")
        )

    return _act(request, pk, delete, "活动已删除（记录保留，可在历史中查看）。")


@login_required
@require_POST
def activity_unlock(request, pk):
    def unlock(activity):
        services.unlock_activity(
            activity=activity, by=request.user, reason=request.POST.get("reason", "")
        )

    return _act(request, pk, unlock, "已解锁，填报单位可以修改。")


@login_required
@require_POST
def activity_photos(request, pk):
    form = PhotoForm(request.POST, request.FILES)

    def add(activity):
        if not form.is_valid():
            raise ValidationError("请选择照片。")
        services.add_photos(
            activity=activity,
            uploads=form.cleaned_data["photos"],
            caption=form.cleaned_data["caption"],
            by=request.user,
        )

    return _act(request, pk, add, "照片已上传。")


@login_required
@require_POST
def activity_attachment(request, pk):
    def add(activity):
        upload = request.FILES.get("file")
        kind = request.POST.get("kind")
        if upload is None or kind not in AttachmentKind.values:
            raise ValidationError("请选择文件和类型。")
        services.add_attachment(activity=activity, kind=kind, upload=upload, by=request.user)

    return _act(request, pk, add, "附件已上传。")


@login_required
def photo_file(request, pk, photo_id):
    """Photos are served through the scope check, never from a public folder."""
    activity = selectors.get_activity_for_user(request.user, pk, include_deleted=True)
    photo = ActivityPhoto.objects.filter(activity=activity, pk=photo_id).first()
    if photo is None:
        raise Http404("没有找到该照片。")
    return FileResponse(photo.image.open("rb"))


@login_required
def attachment_file(request, pk, attachment_id):
    activity = selectors.get_activity_for_user(request.user, pk, include_deleted=True)
    item = ActivityAttachment.objects.filter(activity=activity, pk=attachment_id).first()
    if item is None:
        raise Http404("没有找到该附件。")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
