"""Read replicas (DATABASE_REPLICA_URLS): the reads of views marked @replica_reads, and of
GET requests to /api/, go to a streaming replica; every write, every other read and the next
REPLICA_PIN_SECONDS of a user who has just written go to the primary ("default")."""

import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_KEY = "pin_primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
API_PREFIX = "/api/"

_reads_on_replica = ContextVar("reads_on_replica", default=False)


def read_cursor(model):
    """A cursor on the database the router picks for reading `model`: for the few hot reads
    written as plain SQL, which would otherwise always go to the primary."""
    from django.db import router

    return connections[router.db_for_read(model)].cursor()


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def replica_reads(view):
    """Mark a view whose GET requests may read from a replica: what it shows may be a
    second or so behind the primary (dashboards, exports, public pages)."""

    view.replica_reads = True
    return view


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reads_on_replica.get():
            return None
        # A read inside a write transaction (select_for_update, read-then-write) must see it.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        aliases = replica_aliases()
        return random.choice(aliases) if aliases else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def pinned(request):
    session = getattr(request, "session", None)
    return session is not None and session.get(PIN_KEY, 0) > time.time()


class ReplicaMiddleware:
    """Turns replica reads on for an eligible GET of a user not pinned to the primary, and
    pins a user to the primary for REPLICA_PIN_SECONDS after any other request (a write), so
    they read their own writes even while the replicas catch up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            if request._replica_token is not None:
                _reads_on_replica.reset(request._replica_token)
                request._replica_token = None
        if request.method not in SAFE_METHODS and replica_aliases():
            session = getattr(request, "session", None)
            if session is not None:
                session[PIN_KEY] = time.time() + settings.REPLICA_PIN_SECONDS
                # SessionMiddleware (outside this one) saves it on the way out.
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in SAFE_METHODS or not replica_aliases():
            return None
        eligible = getattr(view_func, "replica_reads", False) or request.path.startswith(API_PREFIX)
        if eligible and not pinned(request):
            request._replica_token = _reads_on_replica.set(True)
        return None
