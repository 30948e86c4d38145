"""Password policy (>= 8 characters, 3 of 4 classes) and the forced change at first login."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from shegong.accounts.passwords import ComplexityValidator
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Abcdef12", "abc!defg1", "ABC-1234x", "社工Ab1!xyz"])
def test_policy_accepts_passwords_with_three_classes(password):
    ComplexityValidator().validate(password)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少需要 8 个字符"),
        ("abcdefgh", "至少 3 类"),
        ("abcd1234", "当前只有 2 类"),
        ("ABCDEFGH!", "当前只有 2 类"),
    ],
)
def test_policy_rejects_weak_passwords_with_a_chinese_reason(password, message):
    with pytest.raises(ValidationError) as e:
        ComplexityValidator().validate(password)
    assert message in " ".join(e.value.messages)


def test_site_policy_uses_the_complexity_validator():
    with pytest.raises(ValidationError):
        validate_password("abcdefgh")


def test_new_account_must_change_password_before_anything_else(client):
    make_user("alice", must_change_password=True)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.get("/orgs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/"
    assert "请先设置新密码" in client.get("/accounts/password/").content.decode()


def test_changing_the_password_lifts_the_redirect(client):
    user = make_user("alice", must_change_password=True)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "password": "New#Pass2026", "password2": "New#Pass2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password("New#Pass2026")
    assert client.get("/").status_code == 200


def test_a_weak_new_password_is_refused_with_the_reason(client):
    make_user("alice", must_change_password=True)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "password": "abcdefgh", "password2": "abcdefgh"},
    )
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()


def test_wrong_old_password_is_refused(client):
    make_user("alice", must_change_password=True)
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.post(
        "/accounts/password/",
        {"old_password": "nope", "password": "New#Pass2026", "password2": "New#Pass2026"},
    )
    assert "原密码不正确" in response.content.decode()


def test_an_expired_password_must_be_changed(client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    make_user("alice", password_changed_at=timezone.now() - timedelta(days=91))
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert client.get("/").status_code == 302
