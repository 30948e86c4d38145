from django.db import migrations

from shegong.activities import reference


def load(apps, schema_editor):
    reference.load(
        apps.get_model("activities", "ServiceDomain"), apps.get_model("activities", "ActivityType")
    )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
