"""Events written before the chain existed are chained, in id order, by migration 0004."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from shegong.audit import chain
from shegong.audit.models import AuditEvent

BEFORE_CHAIN = [("audit", "0002_append_only")]
LATEST = [("audit", "0005_seq_unique_refuse_delete")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_chained_in_id_order_and_stay_refused_updates():
    migrate(BEFORE_CHAIN)
    try:
        with connection.cursor() as cursor:
            for day in (3, 1, 2):  # ids in write order, times not
                cursor.execute(
                    "INSERT INTO audit_auditevent (at, username, action, object_type, "
                    "object_id, object_repr, before, after, ip) VALUES "
                    "(%s, 'region_admin', 'orgs.unit_updated', '', '', '某单位', %s, NULL, NULL)",
                    [f"2026-01-0{day} 01:02:03.000004+00:00", '{"name": "旧名", "n": 1.0}'],
                )
    finally:
        migrate(LATEST)
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert [e.prev_hash for e in events] == ["", events[0].hash, events[1].hash]
    assert chain.verify().ok
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE seq = 1")
