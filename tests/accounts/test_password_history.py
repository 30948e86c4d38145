"""None of the last five passwords may be set again, by the user or by an administrator's
reset; only their hashes are kept."""

import pytest
from django.core.exceptions import ValidationError

from shegong.accounts import services
from shegong.accounts.models import PasswordHistory
from tests.conftest import login
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LATER = [f"Later#Pass{n}" for n in range(1, 6)]


@pytest.fixture
def alice():
    """Alice started with PASSWORD and has changed it five times since."""
    user = make_user("alice")
    current = PASSWORD
    for new in LATER:
        services.change_own_password(user=user, old_password=current, new_password=new)
        current = new
    return user


def change(user, new):
    services.change_own_password(user=user, old_password=LATER[-1], new_password=new)


@pytest.mark.parametrize("recent", LATER[:-1])
def test_each_of_the_last_five_passwords_is_refused(alice, recent):
    with pytest.raises(ValidationError) as e:
        change(alice, recent)
    assert "不能使用最近 5 次用过的密码。" in e.value.message_dict["password"]


def test_the_current_password_is_refused_too(alice):
    with pytest.raises(ValidationError):
        change(alice, LATER[-1])


def test_the_sixth_password_back_may_be_used_again(alice):
    change(alice, PASSWORD)
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_only_the_last_five_hashes_are_kept_never_the_passwords(alice):
    kept = list(PasswordHistory.objects.filter(user=alice).values_list("password", flat=True))
    assert len(kept) == 5
    assert kept[0] == alice.password
    assert not set(kept) & {PASSWORD, *LATER}


def test_an_administrators_reset_refuses_a_recent_password(alice, world):
    with pytest.raises(ValidationError) as e:
        services.reset_password(user=alice, new_password=LATER[1], by=world.district_admin)
    assert "不能使用最近 5 次用过的密码。" in e.value.message_dict["password"]
    services.reset_password(user=alice, new_password="Fresh#Pass2027", by=world.district_admin)


def test_the_password_page_says_why_a_recent_password_is_refused(client, alice):
    login(client, alice)
    response = client.post(
        "/accounts/password/",
        {"old_password": LATER[-1], "password": LATER[0], "password2": LATER[0]},
    )
    assert "不能使用最近 5 次用过的密码" in response.content.decode()


def test_the_length_of_the_history_is_a_setting(alice, settings):
    settings.PASSWORD_HISTORY_COUNT = 2
    change(alice, LATER[2])  # third back: allowed with a history of two
    alice.refresh_from_db()
    assert alice.check_password(LATER[2])
    assert PasswordHistory.objects.filter(user=alice).count() == 2
