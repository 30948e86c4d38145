"""Quota progress counted from the register: "社区活动 2/3，家庭走访 18/30"."""

from datetime import date

import pytest

from shegong.activities import quotas, services
from shegong.orgs.models import Kind
from tests.conftest import login
from tests.factories import make_activity, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world):
    return make_notice(
        world.district,
        "东民发〔2030〕10号",
        kinds=[Kind.TOWNSHIP],
        quotas=[
            {
                "metric": m,
                "target": t,
                "start_date": date(2030, 3, 21),
                "end_date": date(2030, 5, 31),
                "kinds": [Kind.STATION, Kind.ROOM],
            }
            for m, t in [("community", 3), ("visits", 30)]
        ],
        issue=True,
    )


def _visits(world, n, day=date(2030, 4, 1)):
    for i in range(n):
        services.record_visit(
            unit=world.station,
            by=None,
            data={"date": day, "household_name": f"户{i}", "group": "elder", "visitors": "李娜"},
        )


def test_progress_counts_community_activities_and_visits_in_the_window(world, notice):
    make_activity(world.station, date_start=date(2030, 3, 22), date_end=date(2030, 3, 22))
    make_activity(world.station, date_start=date(2030, 4, 22), date_end=date(2030, 4, 22))
    make_activity(world.station, activity_type="media")  # not a 社区活动
    make_activity(world.station, date_start=date(2030, 6, 2), date_end=date(2030, 6, 2))  # late
    _visits(world, 18)
    _visits(world, 2, day=date(2030, 3, 1))  # before the window
    done = {p.quota.metric: (p.done, p.target) for p in quotas.progress_of(world.station)}
    assert done == {"community": (2, 3), "visits": (18, 30)}


def test_deleted_activities_do_not_count(world, notice):
    a = make_activity(world.station, date_start=date(2030, 3, 22), date_end=date(2030, 3, 22))
    services.delete_activity(activity=a, by=None)
    done = {p.quota.metric: p.done for p in quotas.progress_of(world.station)}
    assert done["community"] == 0


def test_home_page_shows_the_units_progress(client, world, notice):
    make_activity(world.station, date_start=date(2030, 3, 22), date_end=date(2030, 3, 22))
    _visits(world, 18)
    login(client, world.station_worker)
    body = client.get("/").content.decode()
    assert 'data-testid="quota-community">1/3<' in body
    assert 'data-testid="quota-visits">18/30<' in body


def test_the_district_sees_the_lagging_units(client, world, notice):
    for _ in range(3):
        make_activity(world.neighbour, date_start=date(2030, 3, 22), date_end=date(2030, 3, 22))
    lagging, total = quotas.lagging_below(world.district)
    rows = {(p.unit.name, p.quota.metric) for _, items in lagging for p in items}
    assert total == 3
    assert (world.neighbour.name, "community") not in rows
    assert (world.neighbour.name, "visits") in rows
    assert (world.station.name, "community") in rows and (world.room.name, "community") in rows
    login(client, world.district_reviewer)
    assert "任务指标未完成的下级单位" in client.get("/").content.decode()


def test_a_station_never_sees_its_neighbours_progress(client, world, notice):
    lagging, _ = quotas.lagging_below(world.station)
    assert {unit for unit, _ in lagging} == {world.room}
