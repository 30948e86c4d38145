import pytest

from shegong.casework.models import CaseFile
from shegong.demo import casework as demo
from tests.factories import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_the_demo_builds_five_files_once_with_one_closed_and_a_followup_due(world):
    station = make_unit(world.township, "东城街道社会工作站", code="S500119001")
    make_user("dongcheng_filler", station)
    demo.build()
    demo.build()
    files = CaseFile.objects.filter(unit=station)
    assert files.count() == 5
    assert files.filter(status="closed").count() == 1
    assert files.values("group").distinct().count() >= 4
    from django.utils import timezone

    from shegong.casework import selectors

    user = type(world.station_admin).objects.get(username="dongcheng_filler")
    assert len(selectors.due_items(user, timezone.localdate())) == 1
