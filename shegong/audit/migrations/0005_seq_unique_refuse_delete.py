"""Every event now has its seq: make it required and unique (no fork of the chain), then
refuse UPDATE again, and DELETE too on PostgreSQL except through the purge (triggers.py).
The triggers come last: SQLite drops them when AlterField rebuilds the table."""

from django.db import migrations, models

from shegong.audit import triggers


def install(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        triggers.install(cursor, schema_editor.connection.vendor)


def remove(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        triggers.remove(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_existing")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="序号"),
        ),
        migrations.RunPython(install, remove),
    ]
