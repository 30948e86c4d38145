"""The home page: one place that gathers each app's panel for the current unit."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shegong import todo
from shegong.activities import quotas
from shegong.campaigns import selectors as campaign_selectors
from shegong.orgs import selectors as org_selectors
from shegong.orgs.views import kind_counts
from shegong.projects import selectors as project_selectors


@login_required
def home(request):
    unit = request.unit
    if unit is None:  # a platform role, a third-party assessor, or not yet in a unit
        context = {
            "todo": todo.items(request.user, None),
            "assessed": project_selectors.projects_visible_to(request.user).select_related(
                "issuer"
            )[:50],
        }
        return render(request, "home_platform.html", context)
    receipts = campaign_selectors.inbox(request.user, unit)
    context = {
        "unit": unit,
        "kind_counts": kind_counts(unit),
        "children": org_selectors.children_visible_to(request.user, unit)[:100],
        "can_manage": org_selectors.can_manage(request.user, unit),
        "todo": todo.items(request.user, unit),
        "recent_notices": receipts[:5],
        "quotas": quotas.progress_of(unit),
    }
    if unit.children.exists():
        context["lagging"], context["lagging_total"] = quotas.lagging_below(unit, limit=20)
    return render(request, "home.html", context)
