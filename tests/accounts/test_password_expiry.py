"""A banner warns PASSWORD_EXPIRY_WARNING_DAYS (7) days before the password expires, and
can be closed for the session."""

from datetime import timedelta

import pytest
import time_machine

from tests.conftest import login
from tests.factories import at, make_user

pytestmark = pytest.mark.django_db

CHANGED = at(2027, 1, 1, 9, 0)  # expires after 90 days: 2027-04-01 09:00


def home_after(client, days):
    with time_machine.travel(CHANGED + timedelta(days=days), tick=False):
        login(client, make_user("alice", password_changed_at=CHANGED))
        return client.get("/").content.decode()


def test_the_warning_appears_seven_days_ahead(client):
    body = home_after(client, 83)
    assert "您的密码将于 7 天后（2027-04-01）过期，请及时修改" in body
    assert 'href="/accounts/password/"' in body


def test_there_is_no_warning_eight_days_ahead(client):
    assert "您的密码将于" not in home_after(client, 82)


def test_the_warning_counts_down_to_the_last_day(client):
    assert "您的密码将于 1 天后（2027-04-01）过期" in home_after(client, 89)


def test_the_warning_can_be_closed_for_the_session(client):
    with time_machine.travel(CHANGED + timedelta(days=85), tick=False):
        login(client, make_user("alice", password_changed_at=CHANGED))
        assert "您的密码将于" in client.get("/").content.decode()
        response = client.post("/accounts/password/dismiss/", {"next": "/orgs/"})
        assert response["Location"] == "/orgs/"
        assert "您的密码将于" not in client.get("/").content.decode()


def test_the_warning_days_are_a_setting(client, settings):
    settings.PASSWORD_EXPIRY_WARNING_DAYS = 14
    assert "您的密码将于 14 天后" in home_after(client, 76)
