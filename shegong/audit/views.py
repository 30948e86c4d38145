from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import AuditEvent


@login_required
def audit_list(request):
    """审计管理员 reads the whole log; nobody can change it."""
    if request.user.platform_role != "audit":
        raise PermissionDenied("此页面仅限审计管理员使用。")
    events = AuditEvent.objects.select_related("unit")
    action = request.GET.get("action", "").strip()
    username = request.GET.get("user", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if username:
        events = events.filter(username=username)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(
        request, "audit/list.html", {"page": page, "action": action, "username": username}
    )
