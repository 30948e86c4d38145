"""Nobody sees a unit that is not theirs: the neighbour test, by URL and by selector."""

import pytest

from shegong.orgs import selectors
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_station_user_gets_404_for_neighbour_unit_page(client, world):
    login(client, world.station_worker)
    response = client.get(f"/orgs/{world.neighbour.code}/")
    assert response.status_code == 404
    assert world.neighbour.name not in response.content.decode()


def test_station_user_gets_404_for_parent_unit_page(client, world):
    login(client, world.station_worker)
    assert client.get(f"/orgs/{world.district.code}/").status_code == 404


def test_station_user_sees_own_unit_and_its_rooms(client, world):
    login(client, world.station_worker)
    response = client.get(f"/orgs/{world.station.code}/")
    assert response.status_code == 200
    assert world.room.name in response.content.decode()


def test_station_user_cannot_load_neighbour_children_fragment(client, world):
    login(client, world.station_worker)
    assert client.get(f"/orgs/{world.neighbour.code}/children/").status_code == 404


def test_search_finds_only_units_in_own_subtree(client, world):
    login(client, world.station_worker)
    response = client.get("/orgs/search/", {"q": "街道社会工作服务站"})
    body = response.content.decode()
    assert world.station.name in body
    assert world.neighbour.name not in body


def test_district_user_sees_both_stations(world):
    visible = set(selectors.units_visible_to(world.district_reviewer))
    assert {world.station, world.neighbour, world.room, world.district} <= visible
    assert world.city not in visible
    assert world.manzhouli not in visible


def test_visible_units_use_range_predicates_not_like(world):
    sql = str(selectors.units_visible_to(world.station_worker).query)
    assert "LIKE" not in sql.upper()
    assert ">=" in sql and "<" in sql


def test_filler_role_does_not_reach_below_own_unit(world):
    assert selectors.roles_over(world.station_worker, world.station) == {"filler"}
    assert selectors.roles_over(world.station_worker, world.room) == set()
    assert "reviewer" in selectors.roles_over(world.district_reviewer, world.station)


def test_breadcrumb_stops_at_the_highest_unit_the_user_may_see(client, world):
    login(client, world.station_worker)
    body = client.get(f"/orgs/{world.room.code}/").content.decode()
    assert world.station.name in body
    assert world.district.name not in body


def test_neighbour_admin_cannot_edit_or_move_a_unit_outside_their_tree(client, world):
    from tests.factories import make_user

    admin = make_user("neighbour_admin", world.neighbour, "admin")
    login(client, admin)
    assert client.get(f"/orgs/{world.station.code}/edit/").status_code == 404
    response = client.post(
        f"/orgs/{world.station.code}/move/", {"new_parent": world.neighbour.code, "reason": "x"}
    )
    assert response.status_code == 404
    world.station.refresh_from_db()
    assert world.station.parent == world.township


def test_switching_to_a_unit_the_user_is_not_member_of_is_refused(client, world):
    login(client, world.station_worker)
    response = client.post("/orgs/switch/", {"unit": world.neighbour.code})
    assert response.status_code == 404


def test_header_switcher_changes_current_unit(client, world):
    from shegong.orgs.models import Membership

    Membership.objects.create(user=world.station_worker, unit=world.room, role="filler")
    login(client, world.station_worker)
    client.post("/orgs/switch/", {"unit": world.room.code})
    body = client.get("/").content.decode()
    assert f'data-testid="current-unit">{world.room.name}<' in body
