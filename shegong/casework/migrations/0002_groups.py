"""The groups a station serves, as data (admin-editable afterwards)."""

from django.db import migrations

GROUPS = ["低保对象", "特困人员", "低保边缘", "困境儿童", "留守老人", "留守儿童", "残疾人", "其他"]


def load(apps, schema_editor):
    CaseGroup = apps.get_model("casework", "CaseGroup")
    for order, name in enumerate(GROUPS, 1):
        CaseGroup.objects.get_or_create(name=name, defaults={"order": order * 10})


def unload(apps, schema_editor):
    apps.get_model("casework", "CaseGroup").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
