"""Locks: wrong codes count like wrong passwords; an address is locked after many more
failures than an account (a bureau shares one NAT address); each lock says when it ends."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from shegong.audit.models import AuditEvent
from tests.accounts.codes import enrolled, fresh_code, wrong_code
from tests.conftest import login
from tests.factories import PASSWORD, at, make_user

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/factor/verify/"
NINE = at(2027, 3, 1, 9, 0)


def attempt(client, username, password, ip="10.0.0.7"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_codes_lock_the_account_like_wrong_passwords(client, world):
    device, _ = enrolled(world.district_admin)
    with time_machine.travel(NINE, tick=False):
        attempt(client, "district_admin", PASSWORD)
        for _ in range(4):
            assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 429
        body = response.content.decode()
        assert "账号已锁定" in body and "请于 <strong>09:15</strong> 后再试（约 15 分钟）" in body
        assert client.get("/")["Location"].startswith("/accounts/login/")  # signed out
        assert attempt(client, "district_admin", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="auth.locked", username="district_admin").exists()
    assert AuditEvent.objects.filter(action="accounts.otp_failed").count() == 5


def test_signing_in_again_does_not_wipe_the_count_of_wrong_codes(client, world):
    device, _ = enrolled(world.district_admin)
    attempt(client, "district_admin", PASSWORD)
    for _ in range(3):
        client.post(VERIFY, {"code": wrong_code(device)})
    client.post("/accounts/logout/")
    attempt(client, "district_admin", PASSWORD)
    client.post(VERIFY, {"code": wrong_code(device)})
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 429


def test_a_right_code_forgives_earlier_wrong_ones(client, world):
    device, _ = enrolled(world.district_admin)
    attempt(client, "district_admin", PASSWORD)
    for _ in range(4):
        client.post(VERIFY, {"code": wrong_code(device)})
    assert client.post(VERIFY, {"code": fresh_code(device)}).status_code == 302
    client.post("/accounts/logout/")
    attempt(client, "district_admin", PASSWORD)
    assert client.post(VERIFY, {"code": wrong_code(device)}).status_code == 200


def test_the_account_lock_says_when_to_try_again(client):
    make_user("alice")
    with time_machine.travel(NINE, tick=False):
        for _ in range(5):
            response = attempt(client, "alice", "wrong")
    body = response.content.decode()
    assert response.status_code == 429
    assert "账号已锁定" in body and "请于 <strong>09:15</strong> 后再试（约 15 分钟）" in body
    with time_machine.travel(NINE + timedelta(minutes=10), tick=False):
        body = attempt(client, "alice", PASSWORD).content.decode()
    # A failure during the lock starts its cool-off again (axes).
    assert "请于 <strong>09:25</strong> 后再试（约 15 分钟）" in body


def test_an_address_is_locked_after_its_limit_of_failures_across_usernames(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    make_user("alice")
    bureau, elsewhere = Client(), Client()
    with time_machine.travel(NINE, tick=False):
        for n in range(8):  # one failure each: no account reaches its own limit
            attempt(bureau, f"colleague{n}", "wrong")
        response = attempt(bureau, "alice", PASSWORD)
        assert response.status_code == 429
        body = response.content.decode()
        assert "网络地址已锁定" in body and "请于 <strong>09:15</strong> 后再试" in body
        assert attempt(elsewhere, "alice", PASSWORD, ip="10.0.0.8").status_code == 302


def test_below_the_address_limit_colleagues_still_sign_in(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    make_user("alice")
    for n in range(7):
        attempt(Client(), f"colleague{n}", "wrong")
    assert attempt(Client(), "alice", PASSWORD).status_code == 302


def test_the_address_lock_ends_when_its_failures_age_out(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    make_user("alice")
    with time_machine.travel(NINE, tick=False):
        for n in range(8):
            attempt(Client(), f"colleague{n}", "wrong")
    with time_machine.travel(NINE + timedelta(minutes=16), tick=False):
        assert attempt(Client(), "alice", PASSWORD).status_code == 302


def test_the_default_address_limit_is_ten_times_the_account_limit(settings):
    assert settings.LOGIN_IP_FAILURE_LIMIT == 50 and settings.AXES_FAILURE_LIMIT == 5


def test_the_security_admin_sees_and_unlocks_a_locked_address(client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    make_user("alice")
    for n in range(8):
        attempt(Client(), f"colleague{n}", "wrong")
    login(client, make_user("sec", platform_role="security"))
    page = client.get("/security/locks/").content.decode()
    assert "10.0.0.7" in page and "被锁定的网络地址" in page
    client.post("/security/unlock/", {"ip_address": "10.0.0.7"})
    assert attempt(Client(), "alice", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="accounts.address_unlocked")
    assert (event.username, event.after) == ("sec", {"ip_address": "10.0.0.7"})


def test_the_lock_page_lists_a_locked_account_with_its_end(client):
    make_user("alice")
    with time_machine.travel(NINE, tick=False):
        for _ in range(5):
            attempt(Client(), "alice", "wrong")
        login(client, make_user("sec", platform_role="security"))
        page = client.get("/security/locks/").content.decode()
    assert "alice" in page and "2027-03-01 09:15" in page


def test_behind_nginx_the_address_comes_from_the_header_it_sets(settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    make_user("alice")
    for n in range(8):  # all through nginx on 127.0.0.1, from one office
        Client().post(
            "/accounts/login/",
            {"username": f"colleague{n}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="10.0.0.7",
        )
    office, elsewhere = ({"HTTP_X_REAL_IP": ip} for ip in ("10.0.0.7", "10.0.0.8"))
    credentials = {"username": "alice", "password": PASSWORD}
    assert Client().post("/accounts/login/", credentials, **office).status_code == 429
    assert Client().post("/accounts/login/", credentials, **elsewhere).status_code == 302
