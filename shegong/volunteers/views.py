"""Pages of volunteers, teams and the time bank. Thin: scoping is in selectors, every
write in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong.forms import add_service_errors, error_messages
from shegong.orgs.middleware import unit_of
from shegong.sheets import workbook_response

from . import selectors, services
from .forms import (
    AddVolunteerForm,
    HoursForm,
    ReverseForm,
    SignUpForm,
    SpendForm,
    TeamForm,
    VolunteerForm,
)
from .models import Team

PAGE_SIZE = 50


def _station(request):
    """The current unit, when the user keeps its volunteers (填报员 or 管理员 there)."""
    unit = unit_of(request)
    if not selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本站的填报员或管理员可以登记志愿者和记录时长。")
    return unit


def _with_phone(user, volunteers):
    for v in volunteers:
        v.shown_phone = selectors.shown_phone(user, v.station, v.phone)
    return volunteers


@login_required
def volunteer_list(request):
    unit = unit_of(request)
    rows = selectors.volunteers_under(request.user, unit)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        rows = rows.filter(name__contains=q)
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        rows = rows.filter(team_id=int(team_id))
    if not request.GET.get("all"):
        rows = rows.filter(is_active=True)
    page = Paginator(rows.order_by("station_path", "name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "unit": unit,
        "page": page,
        "volunteers": _with_phone(request.user, list(page)),
        "teams": selectors.teams_under(request.user, unit),
        "q": q,
        "team_id": team_id,
        "figures": selectors.public_figures(unit),
        "can_enter": selectors.can_enter(request.user, unit),
    }
    return render(request, "volunteers/list.html", context)


def _volunteer_form(request, station, volunteer=None):
    initial = {}
    if volunteer is not None:
        initial = {
            "name": volunteer.name,
            "phone": volunteer.phone,
            "team": volunteer.team_id,
            "skills": volunteer.skills,
            "registered_on": volunteer.registered_on,
            "is_active": volunteer.is_active,
        }
    teams = Team.objects.filter(station=station).order_by("name")
    return VolunteerForm(request.POST or None, initial=initial, teams=teams)


def _edit_volunteer(request, station, volunteer=None):
    form = _volunteer_form(request, station, volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.save_volunteer(
                station=station, by=request.user, data=form.cleaned_data, volunteer=volunteer
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"已保存志愿者 {volunteer.name}。")
            return redirect("volunteer_detail", volunteer.pk)
    context = {"form": form, "volunteer": volunteer, "station": station}
    return render(request, "volunteers/form.html", context)


@login_required
def volunteer_create(request):
    return _edit_volunteer(request, _station(request))


@login_required
def volunteer_edit(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    if not selectors.can_enter(request.user, volunteer.station):
        raise PermissionDenied("只有志愿者所在站的填报员或管理员可以修改。")
    return _edit_volunteer(request, volunteer.station, volunteer)


@login_required
def volunteer_detail(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    can_enter = selectors.can_enter(request.user, volunteer.station)
    signups = list(selectors.signups_of(volunteer))
    signed = {s.activity_id for s in signups}
    activities = selectors.activities_to_sign_up(volunteer.station).exclude(pk__in=signed)[:200]
    context = {
        "volunteer": volunteer,
        "phone": selectors.shown_phone(request.user, volunteer.station, volunteer.phone),
        "signups": signups,
        "can_enter": can_enter,
        "signup_form": SignUpForm(activities=activities) if can_enter else None,
        "spend_form": SpendForm() if can_enter else None,
        "hours_form": HoursForm(),
        "recent": list(volunteer.entries.select_related("activity").order_by("-id")[:5]),
    }
    return render(request, "volunteers/detail.html", context)


def _back(request, volunteer_id, activity_id=None):
    if request.POST.get("back") == "activity" and activity_id:
        return redirect("volunteer_activity", activity_id)
    return redirect("volunteer_detail", volunteer_id)


@login_required
@require_POST
def volunteer_sign_up(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    activities = selectors.activities_to_sign_up(volunteer.station)
    form = SignUpForm(request.POST, activities=activities)
    if not form.is_valid():
        messages.error(request, "请选择本站登记的活动。")
        return redirect("volunteer_detail", pk)
    try:
        services.sign_up(
            volunteer=volunteer, activity=form.cleaned_data["activity"], by=request.user
        )
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, f"{volunteer.name} 已报名“{form.cleaned_data['activity']}”。")
    return redirect("volunteer_detail", pk)


@login_required
@require_POST
def signup_hours(request, pk):
    signup = selectors.get_signup_for_user(request.user, pk)
    form = HoursForm(request.POST)
    if form.is_valid():
        try:
            services.record_hours(
                signup=signup,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
        else:
            messages.success(
                request,
                f"已为 {signup.volunteer.name} 记录 {form.cleaned_data['hours']} 小时服务时长。",
            )
    else:
        messages.error(request, "请填写服务时长（小时）。")
    return _back(request, signup.volunteer_id, signup.activity_id)


@login_required
@require_POST
def signup_cancel(request, pk):
    signup = selectors.get_signup_for_user(request.user, pk)
    try:
        services.cancel_sign_up(signup=signup, by=request.user)
    except (ValidationError, PermissionDenied) as e:
        error_messages(request, e)
    else:
        messages.success(request, f"已取消 {signup.volunteer.name} 的报名。")
    return _back(request, signup.volunteer_id, signup.activity_id)


@login_required
@require_POST
def volunteer_spend(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    form = SpendForm(request.POST)
    if form.is_valid():
        try:
            services.spend_hours(
                volunteer=volunteer,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
        else:
            messages.success(request, f"已兑换 {form.cleaned_data['hours']} 小时。")
    else:
        messages.error(request, "请填写兑换小时数和兑换的服务。")
    return redirect("volunteer_detail", pk)


@login_required
def volunteer_statement(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    context = {
        "volunteer": volunteer,
        "entries": selectors.statement(volunteer),
        "can_enter": selectors.can_enter(request.user, volunteer.station),
        "reverse_form": ReverseForm(),
    }
    return render(request, "volunteers/statement.html", context)


@login_required
def volunteer_statement_export(request, pk):
    volunteer = selectors.get_volunteer_for_user(request.user, pk)
    header = ["编号", "记账时间", "类型", "活动", "说明", "变动（小时）", "余额（小时）", "状态"]
    rows = []
    for e in selectors.statement(volunteer):
        state = ""
        if e.reverses_id:
            state = f"冲正第 {e.reverses_id} 号记录"
        elif hasattr(e, "reversed_by"):
            state = "已冲正"
        rows.append(
            [
                e.pk,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                e.get_kind_display(),
                e.activity.name if e.activity else "",
                e.note,
                e.delta,
                e.balance_after,
                state,
            ]
        )
    filename = f"时间银行对账单-{volunteer.station.display_name}-{volunteer.name}.xlsx"
    return workbook_response(filename, "时间银行对账单", header, rows)


@login_required
@require_POST
def entry_reverse(request, pk):
    entry = selectors.get_entry_for_user(request.user, pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            services.reverse_entry(entry=entry, by=request.user, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
        else:
            messages.success(request, f"已冲正第 {entry.pk} 号记录。")
    else:
        messages.error(request, "请填写冲正原因。")
    return redirect("volunteer_statement", entry.volunteer_id)


@login_required
def activity_volunteers(request, pk):
    """The volunteers signed up to one activity, with their hours to record."""
    activity = selectors.get_station_activity(request.user, pk)
    can_enter = selectors.can_enter(request.user, activity.unit)
    signups = list(selectors.signups_for_activity(activity))
    signed = {s.volunteer_id for s in signups}
    candidates = (
        selectors.volunteers_visible_to(request.user)
        .filter(station=activity.unit, is_active=True)
        .exclude(pk__in=signed)
        .order_by("name")
    )
    form = AddVolunteerForm(request.POST or None, volunteers=candidates)
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied("只有本站的填报员或管理员可以为志愿者报名。")
        if form.is_valid():
            volunteer = form.cleaned_data["volunteer"]
            try:
                services.sign_up(volunteer=volunteer, activity=activity, by=request.user)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, f"{volunteer.name} 已报名。")
                return redirect("volunteer_activity", pk)
    for s in signups:
        s.volunteer.shown_phone = selectors.shown_phone(
            request.user, activity.unit, s.volunteer.phone
        )
    context = {
        "activity": activity,
        "signups": signups,
        "form": form if can_enter else None,
        "can_enter": can_enter,
        "hours_form": HoursForm(),
    }
    return render(request, "volunteers/activity.html", context)


@login_required
def team_list(request):
    unit = unit_of(request)
    can_enter = selectors.can_enter(request.user, unit)
    form = TeamForm(request.POST or None)
    if request.method == "POST":
        station = _station(request)
        if form.is_valid():
            try:
                team = services.save_team(station=station, by=request.user, data=form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, f"已登记志愿服务队“{team.name}”。")
                return redirect("volunteer_teams")
    teams = list(selectors.teams_under(request.user, unit))
    for t in teams:
        t.shown_phone = selectors.shown_phone(request.user, t.station, t.phone)
    context = {"unit": unit, "teams": teams, "form": form if can_enter else None}
    return render(request, "volunteers/teams.html", context)


@login_required
def team_edit(request, pk):
    team = selectors.get_team_for_user(request.user, pk)
    if not selectors.can_enter(request.user, team.station):
        raise PermissionDenied("只有队伍所在站的填报员或管理员可以修改。")
    initial = {"name": team.name, "leader_name": team.leader_name, "phone": team.phone}
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_team(
                station=team.station, by=request.user, data=form.cleaned_data, team=team
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "已保存。")
            return redirect("volunteer_teams")
    return render(request, "volunteers/team_form.html", {"form": form, "team": team})
