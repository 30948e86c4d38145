"""CACHE_URL: both caches in Redis, shared by every app server (a dashboard or a reference list
built by one process is served to another); without it, each process keeps its own."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from shegong.activities import validation
from shegong.reporting import dashboard
from tests.factories import make_activity, make_notice

REDIS_URL = "redis://127.0.0.1:6379/15"  # the tests' own database, flushed by them alone


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)


def redis_up():
    try:
        return redis_client().ping()
    except Exception:
        return False


needs_redis = pytest.mark.skipif(not redis_up(), reason="Redis is not reachable at " + REDIS_URL)


def shegong_python(code, **env):
    """Run `code` in a fresh Django process (another "app server") and return its stdout."""
    environ = {k: v for k, v in os.environ.items() if k != "CACHE_URL"}
    environ.update(env, DJANGO_SETTINGS_MODULE="shegong.settings")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


PRINT_CACHES = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"


def redis_caches(url):
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "shegong:default",
        },
        "dashboards": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "shegong:dashboards",
            "TIMEOUT": 600,
        },
    }


def test_without_cache_url_each_process_keeps_its_own_caches():
    caches = json.loads(shegong_python(PRINT_CACHES))
    assert {c["BACKEND"] for c in caches.values()} == {
        "django.core.cache.backends.locmem.LocMemCache"
    }
    assert caches["dashboards"]["TIMEOUT"] == 600


def test_cache_url_puts_both_caches_in_redis_with_their_own_prefixes():
    caches = json.loads(shegong_python(PRINT_CACHES, CACHE_URL=REDIS_URL))
    assert caches == redis_caches(REDIS_URL)


def test_a_cache_url_that_is_not_redis_is_refused():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "shegong.settings", "CACHE_URL": "mem://"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be redis://" in result.stderr


@pytest.fixture
def shared_cache(settings):
    if not redis_up():
        pytest.skip("Redis is not reachable at " + REDIS_URL)
    redis_client().flushdb()
    settings.CACHES = redis_caches(REDIS_URL)  # what CACHE_URL gives; caches are re-created
    yield
    redis_client().flushdb()


@needs_redis
@pytest.mark.django_db
def test_a_dashboard_built_by_one_server_is_served_by_another(world, shared_cache, monkeypatch):
    from datetime import date

    notice = make_notice(world.region, "内民政慈社〔2030〕1号", units=[world.city], issue=True)
    make_activity(world.station, participants=30, funds=Decimal("100.00"))
    make_activity(world.room, participants=12)
    today = date(2030, 3, 25)
    board = dashboard.cached(world.region, notice, today, [world.city])
    assert board.headline["n"] == 2
    assert redis_client().exists(f"shegong:dashboards:1:{board.key}")

    # Another app server (a separate process, nothing shared but Redis) finds the same board.
    out = shegong_python(
        "from django.core.cache import caches\n"
        f"b = caches['dashboards'].get({board.key!r})\n"
        "print(b.headline['n'], b.headline['participants'], b.children[0].unit.code)",
        CACHE_URL=REDIS_URL,
    )
    assert out.split() == ["2", "42", world.city.code]

    # And this server serves it from the cache without building it again.
    monkeypatch.setattr(dashboard, "build", lambda *a, **k: pytest.fail("rebuilt"))
    assert dashboard.cached(world.region, notice, today, [world.city]).headline["n"] == 2


@needs_redis
@pytest.mark.django_db
def test_reference_lists_read_by_one_server_are_shared_with_another(shared_cache):
    names = sorted(t.name for t in validation.all_types())
    out = shegong_python(
        "import json; from django.core.cache import caches\n"
        "print(json.dumps(sorted(t.name for t in caches['default'].get('lists:types'))))",
        CACHE_URL=REDIS_URL,
    )
    assert json.loads(out) == names
    # A value set by the other server is read here.
    shegong_python(
        "from django.core.cache import caches\ncaches['default'].set('from-b', 'B', 60)",
        CACHE_URL=REDIS_URL,
    )
    from django.core.cache import caches

    assert caches["default"].get("from-b") == "B"
