"""The second factor: unit administrators and the three platform roles set up an
authenticator at their first sign-in and give a code at every sign-in after; recovery codes
work once; everyone else may turn it on; only the 安全管理员 resets it."""

import pytest
import time_machine
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts import factor
from shegong.audit.models import AuditEvent
from tests.accounts.codes import code_now, enrolled, fresh_code, wrong_code
from tests.conftest import login
from tests.factories import PASSWORD, at, make_user

pytestmark = pytest.mark.django_db

ENROL, VERIFY, SETTINGS = "/accounts/factor/enrol/", "/accounts/factor/verify/", "/accounts/factor/"


def sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def unconfirmed(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_an_admin_without_an_authenticator_is_sent_to_enrolment_and_opens_nothing_else(
    client, world
):
    sign_in(client, "district_admin")
    for url in ["/", "/orgs/", "/accounts/users/", "/notices/", "/accounts/password/", SETTINGS]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(ENROL), url
    body = client.get(ENROL).content.decode()
    device = unconfirmed(world.district_admin)
    assert "绑定身份验证器" in body
    assert factor.grouped(factor.secret(device)) in body
    assert 'src="data:image/svg+xml' in body  # the QR code, drawn here, fetched from nowhere


def test_the_menu_is_hidden_until_the_second_factor_is_given(client, world):
    sign_in(client, "district_admin")
    body = client.get(ENROL).content.decode()
    assert "退出登录" in body
    assert 'href="/accounts/users/"' not in body and 'href="/notices/"' not in body


def test_the_enrolment_page_keeps_its_key_when_reloaded(client, world):
    sign_in(client, "district_admin")
    client.get(ENROL)
    first = unconfirmed(world.district_admin).key
    client.get(ENROL)
    assert unconfirmed(world.district_admin).key == first


def test_enrolment_refuses_a_wrong_code_and_audits_it(client, world):
    sign_in(client, "district_admin")
    client.get(ENROL)
    device = unconfirmed(world.district_admin)
    response = client.post(ENROL, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.district_admin, confirmed=True).exists()
    event = AuditEvent.objects.get(action="accounts.otp_failed")
    assert (event.username, event.after) == ("district_admin", {"stage": "enrol"})
    assert client.get("/").status_code == 302


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once(client, world):
    sign_in(client, "district_admin")
    client.get(f"{ENROL}?next=/orgs/")
    device = unconfirmed(world.district_admin)
    response = client.post(ENROL, {"code": code_now(device), "next": "/orgs/"})
    body = response.content.decode()
    assert response.status_code == 200 and "请保存恢复码" in body
    tokens = list(StaticToken.objects.filter(device__user=world.district_admin))
    assert len(tokens) == 10
    assert all(factor.show_recovery_code(t.token) in body for t in tokens)
    assert 'href="/orgs/"' in body  # 我已保存，继续
    assert client.get("/orgs/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp_enrolled").exists()
    settings_page = client.get(SETTINGS).content.decode()
    assert "已启用" in settings_page and "剩余恢复码：10 个" in settings_page
    assert not any(factor.show_recovery_code(t.token) in settings_page for t in tokens)


def test_the_next_sign_in_asks_for_a_code_before_any_page(client, world):
    device, _ = enrolled(world.district_admin)
    sign_in(client, "district_admin")
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Forgs%2F"
    assert "输入验证码" in client.get(VERIFY).content.decode()
    response = client.post(VERIFY, {"code": fresh_code(device), "next": "/orgs/"})
    assert response["Location"] == "/orgs/"
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(action="accounts.otp_verified")
    assert event.after == {"method": "totp"}


def test_a_wrong_code_at_sign_in_is_refused_and_audited(client, world):
    device, _ = enrolled(world.district_admin)
    sign_in(client, "district_admin")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(action="accounts.otp_failed")
    assert event.after == {"stage": "verify"}


def test_a_code_is_accepted_once(client, world):
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        device, _ = enrolled(world.district_admin)  # the enrolment used this step's code
        sign_in(client, "district_admin")
        response = client.post(VERIFY, {"code": code_now(device)})
        assert "验证码不正确" in response.content.decode()
        assert client.post(VERIFY, {"code": fresh_code(device)}).status_code == 302


def test_a_recovery_code_works_once(client, world):
    _, codes = enrolled(world.district_admin)
    typed = factor.show_recovery_code(codes[0]).upper()  # as read off paper: "ABCD-EFGH"
    sign_in(client, "district_admin")
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "还剩 9 个" in response.content.decode()
    assert AuditEvent.objects.get(action="accounts.otp_verified").after == {
        "method": "recovery",
        "left": 9,
    }
    client.post("/accounts/logout/")
    sign_in(client, "district_admin")
    response = client.post(VERIFY, {"code": typed})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones_and_are_audited(client, world):
    _, old = enrolled(world.district_admin)
    login(client, world.district_admin)
    response = client.post("/accounts/factor/codes/")
    assert "新的恢复码" in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.otp_recovery_regenerated").count() == 2
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)


def test_a_filler_signs_in_without_a_second_factor(client, world):
    sign_in(client, "station_worker")
    assert client.get("/").status_code == 200
    assert "未启用" in client.get(SETTINGS).content.decode()


def test_a_filler_may_turn_the_second_factor_on_and_is_then_asked_for_codes(client, world):
    sign_in(client, "station_worker")
    assert "启用后" in client.get(ENROL).content.decode()
    client.post(ENROL, {"code": code_now(unconfirmed(world.station_worker))})
    assert factor.enrolled(world.station_worker)
    client.post("/accounts/logout/")
    sign_in(client, "station_worker")
    assert client.get("/").status_code == 302


def test_a_filler_may_turn_it_off_again_with_the_password(client, world):
    enrolled(world.station_worker)
    login(client, world.station_worker)
    client.post("/accounts/factor/disable/", {"password": "wrong"})
    assert factor.enrolled(world.station_worker)
    client.post("/accounts/factor/disable/", {"password": PASSWORD})
    assert not factor.enrolled(world.station_worker)
    assert not StaticToken.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.otp_disabled").exists()
    assert client.get("/").status_code == 200


def test_an_admin_cannot_turn_the_second_factor_off(client, world):
    login(client, world.district_admin)
    response = client.post("/accounts/factor/disable/", {"password": PASSWORD}, follow=True)
    assert "不能停用" in response.content.decode()
    assert factor.enrolled(world.district_admin)


@pytest.mark.parametrize("role", ["system", "security", "audit"])
def test_the_platform_roles_must_use_a_second_factor(client, role):
    make_user("platform", platform_role=role)
    sign_in(client, "platform")
    assert client.get("/").headers["Location"].startswith(ENROL)


def test_without_otp_required_an_admin_signs_in_with_the_password_alone(client, world, settings):
    settings.OTP_REQUIRED = False
    sign_in(client, "district_admin")
    assert client.get("/").status_code == 200


def test_logging_out_stays_open_while_a_code_is_owed(client, world):
    enrolled(world.district_admin)
    sign_in(client, "district_admin")
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_the_security_admin_resets_a_factor_and_the_user_enrols_again(client, world):
    enrolled(world.district_admin)
    login(client, make_user("sec", platform_role="security"))
    page = client.get("/security/factors/", {"q": "district_admin"}).content.decode()
    assert "district_admin" in page and "已绑定" in page
    response = client.post("/security/factors/reset/", {"username": "district_admin"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.district_admin).exists()
    assert not StaticToken.objects.exists()
    event = AuditEvent.objects.get(action="accounts.otp_reset")
    assert (event.username, event.object_id) == ("sec", str(world.district_admin.pk))

    client.post("/accounts/logout/")
    sign_in(client, "district_admin")
    assert client.get("/")["Location"].startswith(ENROL)


@pytest.mark.parametrize("who", ["unit admin", "system admin"])
def test_only_the_security_admin_may_reset_a_factor(client, world, who):
    enrolled(world.station_admin)
    user = world.district_admin if who == "unit admin" else make_user("sys", platform_role="system")
    login(client, user)
    assert client.get("/security/factors/").status_code == 403
    response = client.post("/security/factors/reset/", {"username": "station_admin"})
    assert response.status_code == 403
    assert factor.enrolled(world.station_admin)
    assert not AuditEvent.objects.filter(action="accounts.otp_reset").exists()


def test_a_session_without_a_factor_asks_for_devices_once(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, "station_worker")
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries if "otp_totp" in q["sql"]]
    # An admin made so during the session owes the factor at once.
    from shegong.orgs.models import Membership

    Membership.objects.filter(user=world.station_worker).update(role="admin")
    assert client.get("/activities/").status_code == 302
