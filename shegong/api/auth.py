"""Who is calling: a bearer token (another system) or the site's own session (with CSRF).
Either way the request gets `user`, `unit` and `unit_roles` as the pages have them."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from shegong.accounts import tokens
from shegong.audit.services import record_event
from shegong.orgs import selectors as org_selectors

SAFE = ("GET", "HEAD", "OPTIONS")


class NotAuthenticated(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ReadOnlyToken(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__("rate limited")
        self.retry_after = retry_after


class WrongUnit(Exception):
    pass


def choose_unit(request, user, fallback=None):
    """The unit the call acts as: `as_unit` (a code of one of the user's own units) if given,
    else `fallback` (the session's choice), else the user's first unit, as the header does."""
    wanted = request.GET.get("as_unit")
    if wanted:
        memberships = org_selectors.memberships_of(user)
        unit_id = next((m.unit_id for m in memberships if m.unit.code == wanted), None)
        if unit_id is None:
            raise WrongUnit()
    else:
        unit_id = fallback.pk if fallback is not None else None
    request.unit, request.unit_roles = org_selectors.acting_as(user, unit_id)


def limit_rate(token):
    """A fixed one-minute window per token, counted in the shared cache."""
    limit = getattr(settings, "API_RATE_LIMIT", 600)
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, 70)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 70)
        n = 1
    if n > limit:
        raise RateLimited(max(1, int(60 - now % 60)))


class TokenAuth(HttpBearer):
    def authenticate(self, request, key):
        token = tokens.find_token(key)
        if token is None or not token.user.is_active:
            raise NotAuthenticated("接口令牌无效。")
        if token.revoked_at is not None:
            raise NotAuthenticated("接口令牌已作废，请在“接口令牌”页面重新创建。")
        if token.expires_at is not None and timezone.now() >= token.expires_at:
            raise NotAuthenticated("接口令牌已过期，请在“接口令牌”页面重新创建。")
        if token.read_only and request.method not in SAFE:
            raise ReadOnlyToken()
        limit_rate(token)
        tokens.touch(token)
        user = token.user
        request.user = user
        request.api_token = token
        choose_unit(request, user)
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            request.api_token = None
            choose_unit(request, user, fallback=getattr(request, "unit", None))
        return user


def note_write(request, action, obj=None):
    """An audit row saying a write came through the API, and with which token: the
    service has written its own row for the change itself."""
    token = getattr(request, "api_token", None)
    record_event(
        action=f"api.{action}",
        by=request.user,
        unit=getattr(request, "unit", None),
        obj=obj,
        after={
            "接口": f"{request.method} {request.path}",
            "令牌": f"{token.name}（{token.prefix}…）" if token else "会话",
        },
    )
