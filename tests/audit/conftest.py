from contextlib import contextmanager

import pytest
from django.db import connection

from shegong.audit import triggers
from tests.factories import make_user


@pytest.fixture
def auditor(db):
    return make_user("auditor", platform_role="audit", full_name="审计员")


@pytest.fixture
def sysop(db):
    return make_user("sysop", platform_role="system", full_name="系统管理员")


@contextmanager
def bypassing_the_database():
    """A cursor that may UPDATE and DELETE audit rows, as someone with the database's own
    console could: the refusing triggers are dropped for the block and put back after (the
    test's transaction rolls back the rest)."""
    with connection.cursor() as cursor:
        triggers.remove(cursor, connection.vendor)
        try:
            yield cursor
        finally:
            triggers.install(cursor, connection.vendor)
