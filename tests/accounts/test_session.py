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
