"""The page behind the header's search box (shegong.search)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shegong import search


@login_required
def search_page(request):
    text = request.GET.get("q", "").strip()[: search.MAX_TEXT]
    groups = search.search(request.user, text) if text else []
    return render(request, "search.html", {"q": text, "groups": groups})
