"""The keyword index of the register (activities/search.py): SQLite FTS5 trigram table kept
by triggers, or PostgreSQL pg_trgm GIN indexes on name and place."""

from django.db import migrations

from shegong.activities import search


def forwards(apps, schema_editor):
    search.install(schema_editor)


def backwards(apps, schema_editor):
    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0010_visit_version"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
