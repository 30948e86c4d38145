"""The demo administrators share one published authenticator key; `shegong totp-code`
prints its current code, only with DEBUG on and only for that key."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.demo.users import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_SECRET
from tests.accounts.codes import code_now
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def test_the_demo_administrators_and_platform_roles_use_the_published_key(demo):
    enrolled = set(
        TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True).values_list(
            "user__username", flat=True
        )
    )
    assert {"donghe_admin", "nmg_admin", "sysadmin", "secadmin", "auditadmin"} <= enrolled
    assert not {name for name in enrolled if name.endswith(("_filler", "_reviewer"))}


def test_a_demo_administrator_signs_in_with_a_code_from_the_published_key(client, demo):
    client.post("/accounts/login/", {"username": "donghe_admin", "password": DEMO_PASSWORD})
    device = TOTPDevice.objects.get(user__username="donghe_admin")
    assert len(DEMO_TOTP_SECRET) == 32
    response = client.post("/accounts/factor/verify/", {"code": code_now(device)})
    assert response.status_code == 302
    assert "东河区民政局" in client.get("/").content.decode()


def test_totp_code_prints_the_current_code_of_a_demo_account(settings, capsys):
    settings.DEBUG = True
    user = make_user("donghe_admin")
    device = TOTPDevice.objects.create(user=user, key=DEMO_TOTP_KEY, confirmed=True)
    call_command("totp_code", "donghe_admin")
    assert capsys.readouterr().out.strip() == code_now(device)


def test_totp_code_refuses_without_debug(settings):
    settings.DEBUG = False
    user = make_user("donghe_admin")
    TOTPDevice.objects.create(user=user, key=DEMO_TOTP_KEY, confirmed=True)
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", "donghe_admin")


def test_totp_code_refuses_an_account_with_its_own_key(settings):
    settings.DEBUG = True
    TOTPDevice.objects.create(user=make_user("real_admin"), confirmed=True)
    with pytest.raises(CommandError, match="不是使用演示密钥的演示账号"):
        call_command("totp_code", "real_admin")
