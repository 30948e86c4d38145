from django.core.management import call_command

from shegong.demo import ratings as demo
from shegong.ratings.models import Rating


def test_demo_ratings_are_built_once_on_the_stations_activities(db):
    call_command("seed_demo", quiet=True)
    demo.build()
    demo.build()
    rows = Rating.objects.filter(station__code="S500119001")
    assert rows.count() == 10
    assert all(r.activity.unit.code == "S500119001" for r in rows)
    assert all(r.created_at.date() > r.activity.date_end for r in rows)
