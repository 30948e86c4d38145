from django.db import migrations


def fill(apps, schema_editor):
    # Summaries kept before the weekly rows: total the weeks from the days already there.
    from shegong.activities import rollups

    rollups.add_weeks()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0006_covering_path_index"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
