"""Login, logout, failures and lockout: each is an audit event; 5 failures lock for 15 minutes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from shegong.audit.models import AuditEvent
from tests.conftest import login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_is_in_chinese(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body and "密码" in body
    assert '<html lang="zh-CN">' in body


def test_successful_login_and_logout_are_audited(client):
    make_user("alice")
    assert _login(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "username"))
    assert actions == [("auth.login", "alice"), ("auth.logout", "alice")]


def test_wrong_password_shows_a_chinese_error_and_is_audited(client):
    make_user("alice")
    response = _login(client, "alice", "wrong")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.username == "alice"
    assert event.ip == "127.0.0.1"


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    make_user("alice")
    for _ in range(5):
        _login(client, "alice", "wrong")
    response = _login(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.locked", username="alice").exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_lock_lifts_after_fifteen_minutes(client):
    make_user("alice")
    for _ in range(5):
        _login(client, "alice", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _login(client, "alice", PASSWORD).status_code == 302


def test_lock_is_still_on_after_ten_minutes(client):
    make_user("alice")
    for _ in range(5):
        _login(client, "alice", "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert _login(client, "alice", PASSWORD).status_code == 429


def test_lock_of_one_account_does_not_lock_a_colleague_on_the_same_address(client):
    make_user("alice")
    make_user("bob")
    for _ in range(5):
        _login(client, "alice", "wrong")
    assert _login(client, "bob", PASSWORD).status_code == 302


def test_security_admin_can_unlock_an_account(client):
    make_user("alice")
    sec = make_user("sec", platform_role="security")
    for _ in range(5):
        _login(client, "alice", "wrong")
    login(client, sec)
    assert "alice" in client.get("/security/locks/").content.decode()
    client.post("/security/unlock/", {"username": "alice"})
    client.logout()
    assert _login(client, "alice", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.unlocked", username="sec").exists()


def test_only_the_security_admin_opens_the_lock_page(client, world):
    login(client, world.region_admin)
    assert client.get("/security/locks/").status_code == 403
