"""Chain the events written before the chain existed, in id order (0003 dropped the trigger
that refuses UPDATE; 0005 puts the refusal back)."""

from django.db import migrations

from shegong.audit.chain import CONTENT, digest

BATCH = 5_000


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    fields = [f for f in CONTENT if f not in ("seq", "prev_hash")]
    seq, prev_hash, last_id = 0, "", 0
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        while True:
            rows = list(
                AuditEvent.objects.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", *fields)[:BATCH]
            )
            updates = []
            for values in rows:
                content = dict(zip(fields, values[1:], strict=True))
                seq += 1
                content.update(seq=seq, prev_hash=prev_hash)
                prev_hash = digest(content)
                updates.append((seq, content["prev_hash"], prev_hash, values[0]))
            cursor.executemany(
                "UPDATE audit_auditevent SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s",
                updates,
            )
            if len(rows) < BATCH:
                return
            last_id = rows[-1][0]


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
