"""Audit rows are written in the same transaction as the change, and are never changed."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from shegong.audit.models import AuditEvent
from shegong.orgs import services
from shegong.orgs.models import OrgUnit
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_failing_write_leaves_no_audit_row(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        # duplicate code: the unit insert fails after nothing was audited
        services.create_unit(
            parent=world.station, code=world.room.code, name="重复", kind="room", by=None
        )
    assert AuditEvent.objects.count() == before


def test_an_error_after_the_audit_row_rolls_the_audit_row_back(world, monkeypatch):
    from shegong.orgs import services as org_services

    def boom(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(org_services, "path_copy_hooks", [boom])
    before_events = AuditEvent.objects.count()
    with pytest.raises(DatabaseError):
        services.move_unit(
            unit=world.station, new_parent=world.township2, by=world.district_admin, reason="调整"
        )
    assert AuditEvent.objects.count() == before_events
    assert OrgUnit.objects.get(pk=world.station.pk).parent == world.township


def test_a_unit_edit_records_old_and_new_values(client, world):
    login(client, world.district_admin)
    client.post(
        f"/orgs/{world.station.code}/edit/",
        {
            "name": world.station.name,
            "kind": "station",
            "contact_person": "赵敏",
            "is_active": "on",
        },
    )
    event = AuditEvent.objects.get(action="orgs.unit_updated")
    assert event.before == {"contact_person": ""}
    assert event.after == {"contact_person": "赵敏"}
    assert event.user == world.district_admin
    assert event.unit == world.station


def test_audit_rows_cannot_be_edited_or_deleted(world):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="x")


def test_the_database_refuses_an_update_that_bypasses_the_model(world):
    from django.db import connection

    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


def test_only_the_audit_admin_reads_the_log(client, world):
    login(client, world.region_admin)
    assert client.get("/audit/").status_code == 403
    login(client, make_user("sysop", platform_role="system"))
    assert client.get("/audit/").status_code == 403
    login(client, make_user("auditor", platform_role="audit"))
    response = client.get("/audit/", {"action": "orgs."})
    assert response.status_code == 200
    assert "orgs.unit_created" in response.content.decode()
