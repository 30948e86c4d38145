"""A session ends after 30 idle minutes; activity keeps it alive."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client):
    make_user("alice")
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    return client


def test_session_expires_after_thirty_idle_minutes(logged_in):
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = logged_in.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_survives_twenty_nine_idle_minutes(logged_in):
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert logged_in.get("/").status_code == 200


def test_each_request_restarts_the_idle_clock(logged_in):
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=20)):
        assert logged_in.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=45)):
        assert logged_in.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=80)):
        assert logged_in.get("/").status_code == 302


def test_the_idle_clock_is_written_at_most_once_a_minute(logged_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=2)):
        logged_in.get("/")
    with (
        time_machine.travel(start + timedelta(minutes=2, seconds=30)),
        CaptureQueriesContext(connection) as seen,
    ):
        assert logged_in.get("/").status_code == 200
    assert not [q for q in seen if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
    with (
        time_machine.travel(start + timedelta(minutes=3, seconds=5)),
        CaptureQueriesContext(connection) as seen,
    ):
        assert logged_in.get("/").status_code == 200
    assert [q for q in seen if "UPDATE" in q["sql"] and "django_session" in q["sql"]]
