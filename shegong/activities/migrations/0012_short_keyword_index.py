"""PostgreSQL: a GIN index of every 1- and 2-character piece of an activity's name and place,
for 1–2 character keyword searches that pg_trgm cannot index (activities/search.py). Nothing
on SQLite, whose FTS5 table (0011) already serves them."""

from django.db import migrations

from shegong.activities import search


def forwards(apps, schema_editor):
    search.install_grams(schema_editor)


def backwards(apps, schema_editor):
    search.uninstall_grams(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0011_keyword_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
