"""The public portal: no login, published briefs and public station pages only
(portal.selectors); and the page where a station keeps its public page."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from shegong import edits
from shegong.activities import selectors as activity_selectors
from shegong.db_router import replica_reads
from shegong.edits import EditConflict

from . import selectors, services
from .forms import StationPageForm
from .models import StationPage


@replica_reads
def home(request):
    context = {
        "theme": selectors.current_theme(),
        "figures": selectors.campaign_figures(),
        "latest": selectors.published()[:9],
        "regions": selectors.regions(),
    }
    return render(request, "portal/home.html", context)


@replica_reads
def article_list(request):
    q = request.GET.get("q", "").strip()[:50]
    region = selectors.region_by_code(request.GET.get("region"))
    page = Paginator(selectors.search(q, region), 20).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "region": region, "regions": selectors.regions()}
    return render(request, "portal/list.html", context)


@replica_reads
def article_detail(request, pk):
    article = selectors.get_published(pk)
    return render(
        request, "portal/detail.html", {"article": article, "photos": article.photos.all()}
    )


@replica_reads
@cache_control(public=True, max_age=3600)
def photo_file(request, pk, photo_id):
    article = selectors.get_published(pk)
    photo = article.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404("没有找到该图片。")
    return FileResponse(photo.image.open("rb"))


@replica_reads
def stations(request):
    q = request.GET.get("q", "").strip()[:50]
    page = Paginator(selectors.station_pages(q), 30).get_page(request.GET.get("page"))
    return render(request, "portal/stations.html", {"page": page, "q": q})


@replica_reads
def station(request, code):
    page = selectors.get_station_page(code)
    context = {"page": page, "disclosed": selectors.disclosed(page)}
    return render(request, "portal/station.html", context)


@replica_reads
def station_poster(request, code):
    """A printable A4 poster with a QR code that opens the station's public page."""
    page = selectors.get_station_page(code)
    url = request.build_absolute_uri(reverse("portal_station", args=[code]))
    qr = segno.make(url, error="m").svg_inline(scale=6, dark="#1f3b5c")
    return render(request, "portal/poster.html", {"page": page, "qr": mark_safe(qr), "url": url})


@login_required
def station_edit(request):
    """The current unit's public page, edited by its 填报员 or 管理员."""
    unit = request.unit
    if unit is None or not activity_selectors.can_enter(request.user, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以维护公开信息。")
    form = _station_form(unit, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in edits.TRACKING}
        try:
            page = services.save_station_page(
                unit=unit, by=request.user, data=data, version=form.cleaned_data["version"]
            )
        except EditConflict as e:
            conflict = edits.resolve_form(form, _station_form(unit), e.obj)
            form = _station_form(unit, conflict.data)
        else:
            messages.success(request, "已保存。" + ("已在门户网站公开。" if page.is_public else ""))
            return redirect("portal_station_edit")
    context = {"form": form, "unit": unit, "conflict": conflict}
    return render(request, "portal/station_edit.html", context)


def _station_form(unit, data=None):
    page = StationPage.objects.filter(unit=unit).first()
    return edits.track(StationPageForm(data, instance=page), page)
