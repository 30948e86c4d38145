"""Writing audit events. Services call record_event inside their own transaction."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max
from django.forms.models import model_to_dict
from django.utils import timezone

from . import archive, chain, triggers
from .context import client_ip
from .models import AuditArchive, AuditEvent

# 《网络安全法》第二十一条: network logs are kept for no less than six months.
MIN_RETENTION_DAYS = 180


def snapshot(obj, fields):
    """The values of `fields` on `obj`, as a JSON-able dict (foreign keys by id)."""
    return model_to_dict(obj, fields=fields)


def changed(before, after):
    """Only the keys whose value differs, as ({key: old}, {key: new})."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _stored(value):
    """`value` as the JSON column gives it back (dates, Decimals as text), which is what is
    hashed: the hash must come out the same when it is recomputed from the row."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record_event(*, action, by=None, unit=None, obj=None, before=None, after=None, username=""):
    """Append one audit row, chained to the one before. `by` is the acting user (None for
    the system). Atomic by itself, for the callers (login signals) outside a transaction.
    On PostgreSQL the chain's lock is held from here to the caller's commit, so a service
    writes its audit row last."""
    ip = client_ip.get()
    event = AuditEvent(
        action=action,
        user=by if getattr(by, "pk", None) else None,
        username=(getattr(by, "username", "") or username)[:150],
        unit=unit,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        before=_stored(before),
        after=_stored(after),
        # as the column stores it (IPv6 compressed), so the hash is of what is kept
        ip=AuditEvent._meta.get_field("ip").get_prep_value(ip) if ip else None,
    )
    with transaction.atomic():
        seq, prev_hash = chain.head(locked=True)
        event.seq, event.prev_hash, event.at = seq + 1, prev_hash, timezone.now()
        event.hash = chain.digest({name: getattr(event, name) for name in chain.CONTENT})
        event.save(force_insert=True)
    return event


@dataclass
class Purge:
    """What `purge_events` archived, or (dry_run) would archive."""

    cutoff: datetime
    count: int = 0
    first_seq: int = 0
    last_seq: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    path: Path | None = None
    dry_run: bool = False


def _purge_range(cutoff):
    """(after_seq, through_seq): the events after the archive anchor that are older than
    `cutoff`, as far as the first newer one (so a clock set back never archives a young
    event), and the anchor itself."""
    anchor = chain.anchor()
    start = anchor.archived_through_seq if anchor else 0
    rest = AuditEvent.objects.filter(seq__gt=start).order_by("seq")
    young = rest.filter(at__gte=cutoff).values_list("seq", flat=True).first()
    if young is not None:
        return start, young - 1, anchor
    return start, rest.aggregate(n=Max("seq"))["n"] or start, anchor


def purge_events(*, archive_dir, operator="", dry_run=False, now=None):
    """Move the events older than AUDIT_RETENTION_DAYS to a signed archive file in
    `archive_dir`, then delete them in one transaction, leave an AuditArchive anchor and
    write an `audit.purged` event. The file is written and checked first, outside the
    transaction, so writers are not held while it is written; the deletion then checks
    that nothing moved meanwhile. Only the `purge-audit` command calls this."""
    days = settings.AUDIT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ImproperlyConfigured(f"AUDIT_RETENTION_DAYS 不得少于 {MIN_RETENTION_DAYS} 天")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    start, through, anchor = _purge_range(cutoff)
    plan = Purge(cutoff=cutoff, dry_run=dry_run)
    if through <= start:
        return plan
    span = AuditEvent.objects.filter(seq__gt=start, seq__lte=through)
    if dry_run:
        ends = span.order_by("seq").values_list("seq", "at")
        (plan.first_seq, plan.first_at), (plan.last_seq, plan.last_at) = (
            ends.first(),
            ends.last(),
        )
        plan.count = span.count()
        return plan
    prev_hash = anchor.last_hash if anchor else ""
    rows = chain.events(after_seq=start, through_seq=through)
    written = archive.write(archive_dir, rows, seq=start, prev_hash=prev_hash)
    try:
        with transaction.atomic():
            chain.lock()
            if chain.anchor() != anchor:
                raise archive.ArchiveError("另一次清理同时在进行，本次未做改动，请稍后重试")
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The delete trigger lets rows go only while this is on (triggers.py).
                    cursor.execute("SELECT set_config(%s, 'on', true)", [triggers.PURGE_SETTING])
                cursor.execute(
                    "DELETE FROM audit_auditevent WHERE seq > %s AND seq <= %s", [start, through]
                )
                deleted = cursor.rowcount
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT set_config(%s, 'off', true)", [triggers.PURGE_SETTING])
            if deleted != written.count:
                raise archive.ArchiveError(
                    f"归档了 {written.count} 个事件，数据库中却有 {deleted} 个，未做改动"
                )
            AuditArchive.objects.create(
                by=operator[:150],
                first_seq=written.first_seq,
                archived_through_seq=written.last_seq,
                last_hash=written.last_hash,
                count=written.count,
                first_at=written.first_at,
                last_at=written.last_at,
                file_name=written.path.name,
                file_sha256=written.sha256,
            )
            record_event(
                action="audit.purged",
                after={
                    "file": written.path.name,
                    "file_sha256": written.sha256,
                    "count": written.count,
                    "first_seq": written.first_seq,
                    "through_seq": written.last_seq,
                    "last_hash": written.last_hash,
                    "retention_days": days,
                    "operator": operator,
                },
            )
    except BaseException:
        written.path.unlink(missing_ok=True)  # no file for events that are still here
        raise
    plan.count, plan.path = written.count, written.path
    plan.first_seq, plan.last_seq = written.first_seq, written.last_seq
    plan.first_at, plan.last_at = written.first_at, written.last_at
    return plan
