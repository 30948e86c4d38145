"""The public rating form (no login, reached by the station's QR poster), and the staff
pages: the ratings of the current unit's subtree and the poster to print."""

from datetime import date

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from shegong.audit.context import address_of
from shegong.forms import add_service_errors
from shegong.orgs.middleware import unit_of
from shegong.orgs.models import SERVICE_KINDS

from . import selectors, services, throttle
from .forms import RatingForm

# The public form


@never_cache
def rate_station(request, code):
    station = selectors.ratable_station(code)
    activities = selectors.recent_activities(station, timezone.localdate())[:50]
    return render(
        request, "ratings/rate_station.html", {"station": station, "activities": activities}
    )


@never_cache
def rate_activity(request, code, activity_id):
    station = selectors.ratable_station(code)
    activity = selectors.get_ratable_activity(station, activity_id, timezone.localdate())
    form = RatingForm(request.POST or None)
    limited = False
    if request.method == "POST":
        ip = address_of(request)
        if throttle.blocked(ip):
            limited = True
            form.add_error(
                None,
                f"提交太频繁了：同一网络 {throttle.minutes()} 分钟内最多提交 "
                f"{throttle.limit()} 次评价，请稍后再试。",
            )
        else:
            throttle.count(ip)
            if form.is_valid():
                try:
                    services.submit_rating(activity=activity, **form.cleaned_data)
                except ValidationError as e:
                    add_service_errors(form, e)
                else:
                    return redirect("rate_thanks", code)
    context = {"station": station, "activity": activity, "form": form, "limited": limited}
    return render(request, "ratings/rate_form.html", context, status=429 if limited else 200)


def rate_thanks(request, code):
    station = selectors.ratable_station(code)
    return render(request, "ratings/rate_thanks.html", {"station": station})


# Staff pages


def _date(text):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@login_required
def rating_index(request):
    unit = unit_of(request)
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    rows = selectors.ratings_under(request.user, unit, start, end)
    context = {
        "unit": unit,
        "start": start,
        "end": end,
        "rollup": selectors.rollup(rows),
        "activities": selectors.by_activity(rows),
        "comments": selectors.comments(rows),
        "has_poster": unit.kind in SERVICE_KINDS,
    }
    return render(request, "ratings/index.html", context)


def _qr(url):
    return mark_safe(segno.make(url, error="m").svg_inline(scale=8, dark="#1f3b5c"))


@login_required
def rating_poster(request):
    """A printable poster with the QR code of the current station's rating form; with
    ?activity=<id>, of one activity's form."""
    unit = unit_of(request)
    if unit.kind not in SERVICE_KINDS:
        raise Http404("只有社会工作站、工作室和服务机构有服务评价二维码。")
    today = timezone.localdate()
    recent = list(selectors.recent_activities(unit, today)[:30])
    activity = None
    wanted = request.GET.get("activity", "")
    if wanted.isdigit():
        activity = next((a for a in recent if a.pk == int(wanted)), None)
        if activity is None:
            raise Http404("没有找到该活动，或该活动已不在评价期内。")
        path = reverse("rate_activity", args=[unit.code, activity.pk])
    else:
        path = reverse("rate_station", args=[unit.code])
    url = request.build_absolute_uri(path)
    for a in recent:
        a.rate_url = request.build_absolute_uri(reverse("rate_activity", args=[unit.code, a.pk]))
    context = {
        "unit": unit,
        "activity": activity,
        "qr": _qr(url),
        "url": url,
        "recent": recent,
        "back_url": reverse("rating_index"),
    }
    return render(request, "ratings/poster.html", context)
