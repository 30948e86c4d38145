"""Login lockout on top of django-axes: failures lock a username (AXES_FAILURE_LIMIT) and,
at a higher count, an address (LOGIN_IP_FAILURE_LIMIT, across usernames: a bureau shares
one NAT address). Wrong second-factor codes count like wrong passwords. The lock page and
the login form say which lock it is and when it ends."""

import math
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_ip_address,
    get_client_username,
    get_cool_off,
    get_credentials,
    get_failure_limit,
)
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from shegong.audit.context import address_of

ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    until: datetime

    @property
    def minutes(self):
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))

    @property
    def at(self):
        local = timezone.localtime(self.until)
        same_day = local.date() == timezone.localdate()
        return local.strftime("%H:%M") if same_day else f"{local:%Y-%m-%d %H:%M}"

    @property
    def message(self):
        who = "该账号" if self.kind == ACCOUNT else "您所在的网络地址"
        return f"{who}登录失败次数过多，已被锁定。请于 {self.at} 后再试（约 {self.minutes} 分钟）。"


def _lifted_at(attempts, limit):
    """When the lock over `attempts` ends, or None if they are under the limit. Axes sums
    the failures of the attempts made within the cool-off, so the lock lifts when enough
    of the most recent ones have aged out of it."""
    cool_off = get_cool_off()
    recent = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    total = 0
    for failures, at in recent.order_by("-attempt_time").values_list(
        "failures_since_start", "attempt_time"
    ):
        total += failures
        if total >= limit:
            return at + cool_off
    return None


def _lock(kind, limit, **who):
    until = _lifted_at(AccessAttempt.objects.filter(**who), limit)
    return Lock(kind, until) if until else None


def account_lock(username):
    return _lock(ACCOUNT, settings.AXES_FAILURE_LIMIT, username=username) if username else None


def address_lock(ip_address):
    if not ip_address:
        return None
    return _lock(ADDRESS, settings.LOGIN_IP_FAILURE_LIMIT, ip_address=ip_address)


def client_ip(request):
    """AXES_CLIENT_IP_CALLABLE: the same address the audit rows record."""
    return address_of(request)


def _ip(request):
    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request)


def status(request, username):
    """The lock that keeps `username` from signing in from this request's address."""
    return account_lock(username) or address_lock(_ip(request))


class LoginHandler(AxesDatabaseHandler):
    """Axes' database handler (AXES_HANDLER), which counts per username, plus the
    per-address limit: an address over it counts as a locked username."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if address_lock(request.axes_ip_address) is not None:
            return max(failures, get_failure_limit(request, credentials))
        return failures


def response(request, original_response=None, credentials=None):
    """The lock page (AXES_LOCKOUT_CALLABLE), saying which lock and until when."""
    username = get_client_username(request, credentials) or ""
    context = {"lock": status(request, username), "username": username}
    return render(request, "accounts/locked.html", context, status=429)


def count_failure(request, username):
    """Count a wrong second-factor code like a wrong password; True if it locked."""
    AxesProxyHandler.user_login_failed(
        sender=__name__, credentials=get_credentials(username), request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def forgive(username):
    """The whole sign-in succeeded: forget the username's failures (not the address's
    failures under other names)."""
    return reset(username=username)


def _over_limit(field, limit, lock_of):
    window = timezone.now() - get_cool_off()
    over = (
        AccessAttempt.objects.filter(attempt_time__gte=window)
        .exclude(**{field: None})
        .values(field)
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=limit)
        .order_by(field)
    )
    locks = [(row[field], lock_of(row[field])) for row in over]
    return [(key, lock) for key, lock in locks if lock is not None]


def locked_accounts():
    """Usernames locked now, with when each lock ends (for the 安全管理员's page)."""
    return _over_limit("username", settings.AXES_FAILURE_LIMIT, account_lock)


def locked_addresses():
    """Addresses over LOGIN_IP_FAILURE_LIMIT now, with when each lock ends."""
    return _over_limit("ip_address", settings.LOGIN_IP_FAILURE_LIMIT, address_lock)
