from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_stationpage_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="stationpage",
            name="show_volunteers",
            field=models.BooleanField(default=False, verbose_name="公开志愿者人数和服务时长"),
        ),
        migrations.AddField(
            model_name="stationpage",
            name="show_funds",
            field=models.BooleanField(default=False, verbose_name="公开社区基金收支合计"),
        ),
        migrations.AddField(
            model_name="stationpage",
            name="show_ratings",
            field=models.BooleanField(default=False, verbose_name="公开服务评价平均分"),
        ),
        migrations.AddField(
            model_name="stationpage",
            name="show_cases",
            field=models.BooleanField(default=False, verbose_name="公开建档服务人数"),
        ),
    ]
