"""Each audit event is chained to the one before it, and verify-audit finds any change."""

import io
import itertools
import json
import sys
import threading
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from shegong import manage
from shegong.audit import chain
from shegong.audit.models import AuditEvent
from shegong.audit.services import record_event
from tests.audit.conftest import bypassing_the_database
from tests.factories import at

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's triggers and advisory lock"
)


def rows():
    return list(AuditEvent.objects.order_by("seq"))


def middle(world):
    events = rows()
    return events[len(events) // 2]


def verify_error():
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")
    return str(failed.value)


def test_each_event_is_chained_to_the_one_before(world):
    events = rows()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for before, event in itertools.pairwise(events):
        assert event.prev_hash == before.hash
    for event in events:
        content = {name: getattr(event, name) for name in chain.CONTENT}
        assert event.hash == chain.digest(content) and len(event.hash) == 64


def test_the_hash_is_recomputed_alike_from_the_stored_row(world):
    event = record_event(
        action="test.values",
        by=world.station_worker,
        unit=world.station,
        obj=world.station,
        before={"day": date(2030, 3, 20), "funds": Decimal("12.50"), "n": 1.0},
        after={"名称": "宏源社区", "list": [3, "=1+1"], "big": 1e16},
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.before == {"day": "2030-03-20", "funds": "12.50", "n": 1.0}
    assert stored.hash == chain.digest({name: getattr(stored, name) for name in chain.CONTENT})


def test_the_canonical_content_is_sorted_compact_json_in_utc():
    content = {name: None for name in chain.CONTENT}
    content.update(seq=7, at="2030-03-20T01:02:03.000004+00:00", after={"b": 1, "a": "中"})
    text = chain.canonical(content).decode()
    assert text.startswith('{"action":null,"after":{"a":"中","b":1},"at":"2030-03-20T01:02')
    assert " " not in text


def test_a_clean_chain_verifies(world):
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    count = AuditEvent.objects.count()
    assert out.getvalue().startswith(f"审计日志校验通过：核对 {count:,} 个事件")
    assert chain.verify(batch=3).ok  # across several batches


def test_an_empty_log_verifies():
    assert chain.verify().ok and chain.head() == (0, "")


def test_an_altered_row_makes_verify_audit_fail_naming_that_event(world):
    event = middle(world)
    with bypassing_the_database() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["改过的", event.pk]
        )
    message = verify_error()
    assert f"第 {event.seq} 号事件（id {event.pk}，" in message
    assert event.action in message and "内容被改动" in message


def test_an_altered_row_exits_non_zero_from_the_shell(world, monkeypatch, capsys):
    event = middle(world)
    with bypassing_the_database() as cursor:
        cursor.execute("UPDATE audit_auditevent SET after = NULL WHERE id = %s", [event.pk])
    monkeypatch.setattr(sys, "argv", ["shegong", "verify-audit", "--skip-checks"])
    with pytest.raises(SystemExit) as exited:
        manage.main()
    assert exited.value.code == 1
    assert f"第 {event.seq} 号事件" in capsys.readouterr().err


def test_a_clean_chain_exits_zero_from_the_shell(world, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["shegong", "verify-audit", "--skip-checks"])
    manage.main()  # no SystemExit: status 0
    assert "校验通过" in capsys.readouterr().out


def test_a_deleted_middle_row_is_detected(world):
    event = middle(world)
    with bypassing_the_database() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    message = verify_error()
    assert f"第 {event.seq + 1} 号事件" in message
    assert f"缺少事件：它之前的 1 个事件（第 {event.seq}–{event.seq} 号）不在了" in message


def test_a_row_rehashed_after_a_change_breaks_the_link_to_the_next(world):
    event = middle(world)
    content = {name: getattr(event, name) for name in chain.CONTENT}
    content["object_repr"] = "改过的"
    with bypassing_the_database() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = %s, hash = %s WHERE id = %s",
            ["改过的", chain.digest(content), event.pk],
        )
    assert f"第 {event.seq + 1} 号事件" in verify_error()
    assert "链接断开" in verify_error()


def test_events_are_refused_a_second_seq(world):
    event = rows()[-1]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.create(
            seq=event.seq, action="forged", hash="0" * 64, prev_hash=event.hash
        )


@on_postgresql
def test_postgresql_refuses_a_delete_that_bypasses_the_model(world):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 1")
    assert AuditEvent.objects.filter(seq=1).exists()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    start = threading.Barrier(4)
    errors = []

    def writer(n):
        try:
            start.wait()
            for i in range(15):
                record_event(action="test.concurrent", username=f"w{n}", after={"i": i})
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.count() == 60
    assert chain.verify().ok


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    seq=st.integers(min_value=1),
    ids=st.tuples(st.none() | st.integers(min_value=1), st.none() | st.integers(min_value=1)),
    texts=st.lists(st.text(), min_size=6, max_size=6),
    ip=st.none() | st.ip_addresses().map(str),
    before=json_values,
    after=json_values,
)
def test_the_fast_encoding_is_the_canonical_json(seq, ids, texts, ip, before, after):
    content = dict(zip(("username", "action", "object_type", "object_id"), texts, strict=False))
    content.update(
        seq=seq,
        at="2030-03-20T01:02:03.000004+00:00",
        user_id=ids[0],
        unit_id=ids[1],
        object_repr=texts[4],
        prev_hash=texts[5],
        ip=ip,
        before=before,
        after=after,
    )
    spec = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert chain._encode(content) == spec.encode()


def test_an_event_written_on_a_whole_second_verifies(world):
    # SQLite stores such a time without its fraction: "2030-03-02 02:00:00"
    with time_machine.travel(at(2030, 3, 2, 10), tick=False):
        event = record_event(action="test.whole_second")
    assert event.at.microsecond == 0
    assert chain.verify().ok
    (row,) = chain.events(after_seq=event.seq - 1)
    assert row["at"] == "2030-03-02T02:00:00.000000+00:00"
