"""Reads of the audit log. Only the 审计管理员 reads it; the 系统管理员 and every business
user get PermissionDenied (三员分立)."""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from shegong.accounts.models import PlatformRole
from shegong.accounts.permissions import has_platform_role
from shegong.orgs import tree

from .models import AuditEvent

CHOICES_SECONDS = 300


def can_read(user):
    return has_platform_role(user, PlatformRole.AUDIT)


def require_reader(user):
    if not can_read(user):
        raise PermissionDenied("审计日志仅限审计管理员查阅和导出。")


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def known_actions():
    """Every action in the log, cached for a few minutes (a DISTINCT over the action index
    of a large log is not free)."""
    return cache.get_or_set(
        "audit:actions",
        lambda: sorted(AuditEvent.objects.order_by().values_list("action", flat=True).distinct()),
        CHOICES_SECONDS,
    )


def action_choices():
    """(value, label) for the action select: each prefix ("orgs.") then its actions."""
    choices, prefixes = [], set()
    for action in known_actions():
        prefix = action.split(".", 1)[0] + "."
        if "." in action and prefix not in prefixes:
            prefixes.add(prefix)
            choices.append((prefix, f"{prefix}*（全部）"))
        choices.append((action, action))
    return choices


def object_type_choices():
    types = cache.get_or_set(
        "audit:object_types",
        lambda: sorted(
            AuditEvent.objects.exclude(object_type="")
            .order_by()
            .values_list("object_type", flat=True)
            .distinct()
        ),
        CHOICES_SECONDS,
    )
    return [(t, f"{_model_label(t)}（{t}）") for t in types]


def _model_label(label_lower):
    try:
        return apps.get_model(label_lower)._meta.verbose_name
    except (LookupError, ValueError):
        return label_lower


def events_for(
    user,
    *,
    date_from=None,
    date_to=None,
    user_name="",
    unit=None,
    action="",
    object_type="",
    q="",
):
    """The events the filters select, newest first. `unit` takes in its whole subtree;
    `action` is one action when it names one, otherwise a prefix."""
    require_reader(user)
    events = AuditEvent.objects.all()
    if date_from:
        events = events.filter(at__gte=_midnight(date_from))
    if date_to:
        events = events.filter(at__lt=_midnight(date_to + timedelta(days=1)))
    if user_name:
        events = events.filter(username=user_name)
    if unit is not None:
        events = events.filter(tree.subtree(unit.path, "unit__path"))
    if action:
        exact = action in known_actions()
        events = events.filter(action=action) if exact else events.filter(action__startswith=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if q:
        events = events.filter(Q(object_repr__icontains=q) | Q(object_id__icontains=q))
    return events.order_by("-seq")
