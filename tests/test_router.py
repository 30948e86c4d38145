"""The replica router and its middleware, without a real replica: which requests read from a
replica, and the pin that sends a user who has just written back to the primary."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils.module_loading import import_string

from shegong import db_router
from shegong.db_router import PIN_KEY, ReplicaMiddleware, ReplicaRouter, replica_reads


@pytest.fixture
def replicas(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica1", "replica2"])


@replica_reads
def marked_view(request):
    return db_router._reads_on_replica.get()


def plain_view(request):
    return db_router._reads_on_replica.get()


def run(method, path, view, session=None):
    """Pass a request through the middleware; returns (reads on replica in the view, session)."""
    request = getattr(RequestFactory(), method.lower())(path)
    request.session = session if session is not None else SessionStore()
    seen = []

    def handler(r):  # what Django does between this middleware and the view
        middleware.process_view(r, view, (), {})
        seen.append(view(r))
        return "response"

    middleware = ReplicaMiddleware(handler)
    assert middleware(request) == "response"
    return seen[-1], request.session


def test_reads_go_to_the_primary_outside_a_replica_view():
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    assert router.db_for_write(None) == "default"


def test_router_sends_reads_to_a_replica_only_while_the_context_says_so(replicas):
    router = ReplicaRouter()
    token = db_router._reads_on_replica.set(True)
    try:
        assert {router.db_for_read(None) for _ in range(50)} == {"replica1", "replica2"}
        assert router.db_for_write(None) == "default"
    finally:
        db_router._reads_on_replica.reset(token)
    assert router.db_for_read(None) is None


def test_migrations_run_only_on_the_primary():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "activities")
    assert not router.allow_migrate("replica1", "activities")
    assert router.allow_relation(object(), object())


def test_marked_get_reads_from_a_replica_and_the_flag_is_gone_afterwards(replicas):
    on_replica, _ = run("GET", "/dashboard/", marked_view)
    assert on_replica is True
    assert db_router._reads_on_replica.get() is False


def test_unmarked_get_reads_from_the_primary(replicas):
    assert run("GET", "/activities/", plain_view)[0] is False


def test_api_get_reads_from_a_replica_and_api_post_does_not(replicas):
    assert run("GET", "/api/activities", plain_view)[0] is True
    assert run("POST", "/api/activities", plain_view)[0] is False


def test_a_write_pins_the_user_to_the_primary_for_the_pin_seconds(replicas, settings):
    settings.REPLICA_PIN_SECONDS = 10
    on_replica, session = run("POST", "/portal/stations/mine/", marked_view)
    assert on_replica is False
    assert time.time() + 9 < session[PIN_KEY] <= time.time() + 10
    # The same user's next dashboard read goes to the primary: they see their own write.
    assert run("GET", "/dashboard/", marked_view, session)[0] is False
    # Once the pin has run out, the replica again.
    session[PIN_KEY] = time.time() - 1
    assert run("GET", "/dashboard/", marked_view, session)[0] is True


def test_without_replicas_nothing_is_pinned_or_routed():
    _, session = run("POST", "/portal/stations/mine/", marked_view)
    assert PIN_KEY not in session
    assert run("GET", "/dashboard/", marked_view)[0] is False


@pytest.mark.parametrize(
    "view",
    [
        "reporting.views.dashboard",
        "reporting.views.dashboard_achievements",
        "reporting.views.dashboard_export",
        "portal.views.home",
        "portal.views.article_list",
        "portal.views.article_detail",
        "portal.views.photo_file",
        "portal.views.stations",
        "portal.views.station",
        "portal.views.station_poster",
        "activities.import_views.activity_export",
        "activities.visit_views.visit_export",
    ],
)
def test_dashboards_exports_and_portal_pages_are_marked(view):
    assert getattr(import_string(f"shegong.{view}"), "replica_reads", False)


@pytest.mark.parametrize("view", ["portal.views.station_edit", "reporting.views.dashboard_portal"])
def test_write_views_are_not_marked(view):
    assert not getattr(import_string(f"shegong.{view}"), "replica_reads", False)


def test_replica_urls_become_mirrored_aliases():
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://u@db1:5432/sg",
        "DATABASE_REPLICA_URLS": "postgres://u@db2:5432/sg, postgres://u@db3:5432/sg",
        "REPLICA_PIN_SECONDS": "5",
    }
    code = (
        "import json; from django.conf import settings as s;"
        "print(json.dumps({a: [d['HOST'], d.get('TEST', {}).get('MIRROR')]"
        " for a, d in s.DATABASES.items()} | {'pin': s.REPLICA_PIN_SECONDS,"
        " 'routers': s.DATABASE_ROUTERS}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "shegong.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    parsed = json.loads(out)
    assert parsed["default"] == ["db1", None]
    assert parsed["replica1"] == ["db2", "default"]
    assert parsed["replica2"] == ["db3", "default"]
    assert parsed["pin"] == 5
    assert parsed["routers"] == ["shegong.db_router.ReplicaRouter"]
