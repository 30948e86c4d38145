"""At most RATING_RATE_LIMIT ratings per client address in RATING_RATE_WINDOW seconds, counted
in Django's cache (shared by every app server when the cache is Redis)."""

from django.conf import settings
from django.core.cache import cache

LIMIT = 10
WINDOW = 600


def _limits():
    return (
        getattr(settings, "RATING_RATE_LIMIT", LIMIT),
        getattr(settings, "RATING_RATE_WINDOW", WINDOW),
    )


def _key(ip):
    return f"ratings:rate:{ip or 'unknown'}"


def blocked(ip):
    """Whether `ip` has used up its ratings for now."""
    limit, _ = _limits()
    return (cache.get(_key(ip)) or 0) >= limit


def count(ip):
    """Count one rating from `ip` (the window starts with the first)."""
    _, window = _limits()
    key = _key(ip)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def limit():
    return _limits()[0]


def minutes():
    return max(1, _limits()[1] // 60)
