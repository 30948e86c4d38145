from django.db import migrations

from shegong.campaigns import reference


def load(apps, schema_editor):
    reference.load(apps.get_model("campaigns", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
