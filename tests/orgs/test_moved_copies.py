"""A station that moves takes its year-round records with it: the unit paths copied onto
case files, volunteers and their ledger, and ratings follow it (orgs.tree.move_copies)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shegong.casework import services as case_services
from shegong.casework.models import CaseFile
from shegong.orgs import services as org_services
from shegong.orgs.models import Role
from shegong.ratings import services as rating_services
from shegong.ratings.models import Rating
from shegong.volunteers.models import Entry, Volunteer
from tests.casework.conftest import open_case
from tests.factories import make_activity, make_user
from tests.volunteers.helpers import make_volunteer

pytestmark = pytest.mark.django_db


def test_case_files_volunteers_and_ratings_follow_a_moved_station(world):
    case_services.ensure_groups()
    world.caseworker = make_user("station_caseworker", world.station, Role.CASEWORKER)
    case = open_case(world)
    volunteer = make_volunteer(world)
    today = timezone.localdate()
    activity = make_activity(
        world.station,
        by=world.station_worker,
        date_start=today - timedelta(days=1),
        date_end=today - timedelta(days=1),
    )
    rating = rating_services.submit_rating(activity=activity, stars=5, phone="13912345678")

    org_services.move_unit(
        unit=world.station, new_parent=world.township2, by=None, reason="区划调整"
    )
    world.station.refresh_from_db()
    path = world.station.path
    assert CaseFile.objects.get(pk=case.pk).unit_path == path
    assert Volunteer.objects.get(pk=volunteer.pk).station_path == path
    assert set(Entry.objects.values_list("station_path", flat=True)) <= {path}
    assert Rating.objects.get(pk=rating.pk).station_path == path
