"""purge-audit moves old events to a signed archive file; the chain goes on from it."""

import hashlib
import hmac
import io
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shegong.audit import archive, chain
from shegong.audit.models import AuditArchive, AuditEvent
from shegong.audit.services import record_event
from tests.audit.conftest import bypassing_the_database

pytestmark = pytest.mark.django_db

LATER = timedelta(days=200)  # past the 180-day retention


def purge(tmp_path, *args):
    out = io.StringIO()
    call_command("purge_audit", "--archive-dir", str(tmp_path), *args, stdout=out)
    return out.getvalue()


def verify_file(path):
    out = io.StringIO()
    call_command("verify_audit", "--archive", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def aged(world):
    """The world's events, then three written 200 days later (where the test now runs)."""
    old = AuditEvent.objects.count()
    with time_machine.travel(timezone.now() + LATER):
        for i in range(3):
            record_event(action="test.recent", after={"i": i})
        yield old


def test_purge_archives_old_events_and_the_chain_still_verifies(aged, tmp_path):
    said = purge(tmp_path)
    (path,) = tmp_path.glob("audit-*.jsonl")
    assert f"已把 {aged} 个事件（第 1–{aged} 号" in said and str(path) in said
    assert not AuditEvent.objects.filter(seq__lte=aged).exists()
    assert AuditEvent.objects.filter(action="test.recent").count() == 3
    anchor = AuditArchive.objects.get()
    assert (anchor.first_seq, anchor.archived_through_seq, anchor.count) == (1, aged, aged)
    assert anchor.file_name == path.name
    purged = AuditEvent.objects.get(action="audit.purged")
    assert purged.after["through_seq"] == aged and purged.after["file"] == path.name
    assert purged.after["last_hash"] == anchor.last_hash
    result = chain.verify()
    assert result.ok and result.start_seq == aged and result.count == 4
    assert "校验通过" in verify_file(path)


def test_the_archive_holds_the_full_events_and_a_signed_trailer(aged, tmp_path):
    first = AuditEvent.objects.get(seq=1)
    purge(tmp_path)
    (path,) = tmp_path.glob("audit-*.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == aged + 1
    event = json.loads(lines[0])
    assert event["seq"] == 1 and event["id"] == first.pk and event["hash"] == first.hash
    assert event["action"] == first.action and event["object_repr"] == first.object_repr
    trailer = json.loads(lines[-1])["trailer"]
    assert (trailer["first_seq"], trailer["last_seq"], trailer["count"]) == (1, aged, aged)
    assert len(trailer["hmac"]) == 64


def test_a_dry_run_changes_nothing(aged, tmp_path):
    before = AuditEvent.objects.count()
    said = purge(tmp_path, "--dry-run")
    assert "将归档早于" in said and f"{aged} 个事件" in said and "未做任何改动" in said
    assert AuditEvent.objects.count() == before
    assert not list(tmp_path.iterdir()) and not AuditArchive.objects.exists()


def test_nothing_younger_than_the_retention_is_archived(world, tmp_path):
    before = AuditEvent.objects.count()
    assert "没有早于" in purge(tmp_path)
    assert AuditEvent.objects.count() == before and not list(tmp_path.iterdir())


def test_a_second_purge_continues_from_the_first(aged, tmp_path):
    purge(tmp_path)
    with time_machine.travel(timezone.now() + LATER):
        record_event(action="test.later")
        said = purge(tmp_path)
        assert f"（第 {aged + 1}–{aged + 4} 号" in said
        assert AuditArchive.objects.count() == 2
        assert list(AuditEvent.objects.values_list("action", flat=True)) == [
            "audit.purged",
            "test.later",
        ]
        assert chain.verify().ok
    assert all("校验通过" in verify_file(p) for p in tmp_path.glob("audit-*.jsonl"))


def test_purging_every_event_leaves_the_chain_anchored_on_the_archive(world, tmp_path):
    count = AuditEvent.objects.count()
    with time_machine.travel(timezone.now() + LATER):
        purge(tmp_path)
        record_event(action="test.after")
    events = list(AuditEvent.objects.order_by("seq").values_list("seq", "action"))
    assert events == [(count + 1, "audit.purged"), (count + 2, "test.after")]
    assert chain.verify().ok


def test_a_forged_archive_anchor_is_detected(aged, tmp_path):
    last = AuditEvent.objects.get(seq=aged)
    AuditArchive.objects.create(
        first_seq=1,
        archived_through_seq=2,
        last_hash=AuditEvent.objects.get(seq=2).hash,
        count=2,
        first_at=last.at,
        last_at=last.at,
        file_name="audit-forged.jsonl",
        file_sha256="0" * 64,
    )
    result = chain.verify()
    assert not result.ok and "归档锚点不符" in result.message()


def test_purge_refuses_a_retention_below_180_days(aged, tmp_path, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    with pytest.raises(CommandError, match="不得少于 180 天"):
        purge(tmp_path)
    assert not AuditArchive.objects.exists()


def _archived(tmp_path):
    purge(tmp_path)
    (path,) = tmp_path.glob("audit-*.jsonl")
    return path


def _fails(path, reason):
    with pytest.raises(CommandError) as failed:
        verify_file(path)
    assert reason in str(failed.value)
    return str(failed.value)


def test_the_archive_signature_detects_an_edited_event(aged, tmp_path):
    path = _archived(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"action":"orgs.unit_created"', '"action":"orgs.unit_x"', 1))
    _fails(path, "签名不符")


def test_the_archive_signature_detects_a_removed_event(aged, tmp_path):
    path = _archived(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8")
    _fails(path, "签名不符")


def test_the_archive_signature_detects_a_cut_off_file(aged, tmp_path):
    path = _archived(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-2]), encoding="utf-8")
    _fails(path, "不完整")


def test_the_archive_signature_needs_the_key(aged, tmp_path, settings):
    path = _archived(tmp_path)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 40
    _fails(path, "签名不符")
    settings.SECRET_KEY_FALLBACKS = [old_key]  # a retired key still verifies its archives
    assert "校验通过" in verify_file(path)


def test_an_archive_re_signed_after_an_edit_still_fails_its_chain(aged, tmp_path, settings):
    """Whoever holds the key can sign anything; the chain inside still shows the edit."""
    path = _archived(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    event = json.loads(lines[1])
    event["object_repr"] = "改过的"
    lines[1] = json.dumps(event, ensure_ascii=False) + "\n"
    trailer = json.loads(lines[-1])["trailer"]
    mac = hmac.new(settings.SECRET_KEY.encode(), digestmod=hashlib.sha256)
    for line in lines[:-1]:
        mac.update(line.encode())
    trailer["hmac"] = archive._signature(mac, trailer)
    lines[-1] = json.dumps({"trailer": trailer}, ensure_ascii=False) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    message = _fails(path, "内容被改动")
    assert f"第 {event['seq']} 号事件（id {event['id']}" in message


def test_a_broken_chain_is_not_archived(aged, tmp_path):
    with bypassing_the_database() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = '改过的' WHERE seq = 2")
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="第 2 号事件未通过校验（内容被改动"):
        purge(tmp_path)
    assert AuditEvent.objects.count() == before and not AuditArchive.objects.exists()
    assert not list(tmp_path.iterdir())


def test_a_missing_archive_file_is_said_so(tmp_path):
    _fails(tmp_path / "audit-none.jsonl", "无法读取归档文件")
