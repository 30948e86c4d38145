from django.db import migrations, models

from shegong.orgs import stamp


def install(apps, schema_editor):
    stamp.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    stamp.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_caseworker_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="TreeStamp",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("stamp", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "单位树戳记",
                "verbose_name_plural": "单位树戳记",
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
