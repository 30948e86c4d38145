"""Columns of the hash chain (seq, prev_hash, hash), `at` set by record_event before hashing,
and the archive anchors. Existing rows are chained by 0004; seq becomes NOT NULL in 0005."""

import django.utils.timezone
from django.db import migrations, models

# The trigger 0002 made, as it made it.
OLD_UPDATE_TRIGGER = {
    "drop": {
        "sqlite": "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
        "postgresql": """
            DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent;
            DROP FUNCTION IF EXISTS audit_auditevent_no_update();
        """,
    },
    "create": {
        "sqlite": """
            CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        """,
        "postgresql": """
            CREATE FUNCTION audit_auditevent_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
            CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
            FOR EACH ROW EXECUTE FUNCTION audit_auditevent_no_update();
        """,
    },
}


def drop_old_trigger(apps, schema_editor):
    # 0004 fills the new columns of existing rows, which the 0002 trigger would refuse.
    # (On SQLite the table is rebuilt below anyway, which drops its triggers.)
    sql = OLD_UPDATE_TRIGGER["drop"].get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def restore_old_trigger(apps, schema_editor):
    sql = OLD_UPDATE_TRIGGER["create"].get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        # First, so that undoing this migration puts the 0002 trigger back last, after
        # SQLite's table rebuilds.
        migrations.RunPython(drop_old_trigger, restore_old_trigger),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="时间",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="序号"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=64, verbose_name="前一事件哈希"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="哈希"),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditArchive",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="归档时间"
                    ),
                ),
                ("by", models.CharField(blank=True, max_length=150, verbose_name="执行人")),
                ("first_seq", models.BigIntegerField(verbose_name="起始序号")),
                (
                    "archived_through_seq",
                    models.BigIntegerField(unique=True, verbose_name="截至序号"),
                ),
                ("last_hash", models.CharField(max_length=64, verbose_name="最后事件哈希")),
                ("count", models.BigIntegerField(verbose_name="事件数")),
                ("first_at", models.DateTimeField(verbose_name="最早事件时间")),
                ("last_at", models.DateTimeField(verbose_name="最晚事件时间")),
                ("file_name", models.CharField(max_length=255, verbose_name="归档文件")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="文件 SHA-256")),
            ],
            options={
                "verbose_name": "审计归档",
                "verbose_name_plural": "审计归档",
                "ordering": ["-archived_through_seq"],
            },
        ),
    ]
