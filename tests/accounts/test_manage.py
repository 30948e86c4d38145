"""管理员 manage the accounts of their subtree, and nothing else."""

import pytest

from shegong.audit.models import AuditEvent
from shegong.orgs.models import Membership
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_district_admin_creates_a_station_account_that_must_change_its_password(client, world):
    login(client, world.district_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "newworker",
            "full_name": "新社工",
            "mobile": "13800000000",
            "unit": world.station.code,
            "role": "filler",
            "password": "Temp#Pass2026",
        },
    )
    assert response.status_code == 302
    m = Membership.objects.get(user__username="newworker")
    assert (m.unit, m.role, m.user.must_change_password) == (world.station, "filler", True)
    assert AuditEvent.objects.filter(action="accounts.user_created").exists()
    assert AuditEvent.objects.filter(action="orgs.role_granted").exists()


def test_admin_cannot_create_an_account_in_a_unit_outside_their_subtree(client, world):
    login(client, world.station_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "spy",
            "full_name": "间谍",
            "unit": world.neighbour.code,
            "role": "admin",
            "password": "Temp#Pass2026",
        },
    )
    assert response.status_code == 200
    assert "您不是它的管理员" in response.content.decode()
    assert not Membership.objects.filter(user__username="spy").exists()


def test_weak_initial_password_is_refused_on_the_form(client, world):
    login(client, world.district_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "weak",
            "full_name": "弱",
            "unit": world.station.code,
            "role": "filler",
            "password": "12345678",
        },
    )
    assert "至少 3 类" in response.content.decode()


def test_user_list_shows_only_accounts_in_the_admins_subtree(client, world):
    login(client, world.station_admin)
    body = client.get("/accounts/users/").content.decode()
    assert "station_worker" in body
    assert "neighbour_worker" not in body
    assert "district_admin" not in body


def test_admin_gets_404_for_a_neighbours_account(client, world):
    login(client, world.station_admin)
    assert client.get("/accounts/users/neighbour_worker/").status_code == 404
    response = client.post("/accounts/users/neighbour_worker/active/", {"active": "0"})
    assert response.status_code == 404
    world.neighbour_worker.refresh_from_db()
    assert world.neighbour_worker.is_active


def test_non_admin_cannot_open_account_management(client, world):
    login(client, world.station_worker)
    assert client.get("/accounts/users/").status_code == 403


def test_admin_resets_a_password_and_the_user_must_change_it(client, world):
    login(client, world.district_admin)
    client.post("/accounts/users/station_worker/reset/", {"password": "Reset#2026pw"})
    world.station_worker.refresh_from_db()
    assert world.station_worker.must_change_password
    assert world.station_worker.check_password("Reset#2026pw")


def test_account_in_two_subtrees_can_only_be_changed_by_a_common_admin(client, world):
    shared = make_user("shared", world.station, "viewer")
    Membership.objects.create(user=shared, unit=world.neighbour, role="viewer")
    login(client, world.station_admin)
    client.post("/accounts/users/shared/active/", {"active": "0"})
    shared.refresh_from_db()
    assert shared.is_active
    login(client, world.district_admin)
    client.post("/accounts/users/shared/active/", {"active": "0"})
    shared.refresh_from_db()
    assert not shared.is_active


def test_admin_grants_and_revokes_a_role_in_their_subtree(client, world):
    login(client, world.station_admin)
    client.post(
        "/accounts/users/station_worker/grant/", {"unit": world.room.code, "role": "viewer"}
    )
    m = Membership.objects.get(user=world.station_worker, unit=world.room)
    client.post(f"/accounts/users/station_worker/revoke/{m.id}/")
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert AuditEvent.objects.filter(action="orgs.role_revoked").exists()


def test_platform_roles_are_exclusive_by_construction(db):
    user = make_user("ops", platform_role="system")
    assert user.is_staff and user.is_superuser
    user.platform_role = "audit"
    user.save()
    assert not user.is_staff and not user.is_superuser


def test_only_the_system_admin_reaches_django_admin(client, world):
    login(client, make_user("auditor", platform_role="audit"))
    assert client.get("/admin/").status_code == 302
    login(client, make_user("ops", platform_role="system"))
    assert client.get("/admin/").status_code == 200
