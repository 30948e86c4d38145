"""The ten project domains of the catalogue and a default list of evaluation criteria."""

from django.db import migrations

from shegong.projects import reference


def load(apps, schema_editor):
    reference.load(
        apps.get_model("projects", "ProjectDomain"), apps.get_model("projects", "Criterion")
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
