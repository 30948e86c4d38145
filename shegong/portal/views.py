"""The public portal: no login, published briefs only (portal.selectors)."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from . import selectors


def home(request):
    context = {
        "theme": selectors.current_theme(),
        "latest": selectors.published()[:9],
        "regions": selectors.regions(),
    }
    return render(request, "portal/home.html", context)


def article_list(request):
    q = request.GET.get("q", "").strip()[:50]
    region = selectors.region_by_code(request.GET.get("region"))
    page = Paginator(selectors.search(q, region), 20).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "region": region, "regions": selectors.regions()}
    return render(request, "portal/list.html", context)


def article_detail(request, pk):
    article = selectors.get_published(pk)
    return render(
        request, "portal/detail.html", {"article": article, "photos": article.photos.all()}
    )


@cache_control(public=True, max_age=3600)
def photo_file(request, pk, photo_id):
    article = selectors.get_published(pk)
    photo = article.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404("没有找到该图片。")
    return FileResponse(photo.image.open("rb"))
