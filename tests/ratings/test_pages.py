"""The staff ratings page and the poster: rollups for the subtree, comments for the
owning station and above, nothing for a neighbour."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shegong.ratings import selectors, services
from tests.conftest import login
from tests.factories import make_activity


@pytest.fixture
def rated(world):
    day = timezone.localdate() - timedelta(days=3)
    elders = make_activity(
        world.station, name="敬老茶话会", date_start=day, date_end=day, domains=["老年人"]
    )
    children = make_activity(
        world.station,
        name="四点半课堂",
        date_start=day,
        date_end=day,
        domains=["儿童青少年"],
        activity_type="education",
    )
    services.submit_rating(activity=elders, stars=5, phone="13900000001", comment="阿姨很开心")
    services.submit_rating(activity=elders, stars=4, phone="13900000002")
    services.submit_rating(activity=children, stars=3, phone="13900000003", comment="时间太短")
    return elders, children


def test_the_station_sees_its_average_rollups_and_comments(client, world, rated):
    login(client, world.station_worker)
    response = client.get("/ratings/")
    page = response.content.decode()
    rollup = response.context["rollup"]
    assert rollup["total"] == {"n": 3, "average": 4.0, "satisfied": 2}
    assert {r["label"]: r["n"] for r in rollup["by_domain"]} == {"老年人": 2, "儿童青少年": 1}
    by_type = {r["label"]: r["average"] for r in rollup["by_type"]}
    assert by_type == {"社区活动": 4.5, "社会工作教育": 3.0}
    assert "阿姨很开心" in page and "时间太短" in page


def test_the_district_sees_the_station_rolled_up_with_its_comments(client, world, rated):
    login(client, world.district_reviewer)
    response = client.get("/ratings/")
    assert [(r["label"], r["n"]) for r in response.context["rollup"]["by_station"]] == [
        (world.station.name, 3)
    ]
    assert "阿姨很开心" in response.content.decode()


def test_the_neighbour_sees_no_rating_or_comment_of_the_station(client, world, rated):
    login(client, world.neighbour_worker)
    response = client.get("/ratings/")
    assert response.context["rollup"]["total"]["n"] == 0
    assert "阿姨很开心" not in response.content.decode()
    elders, _ = rated
    assert client.get(f"/ratings/poster/?activity={elders.pk}").status_code == 404


def test_the_poster_carries_a_qr_code_of_the_public_form(client, world, rated):
    elders, _ = rated
    login(client, world.station_worker)
    page = client.get("/ratings/poster/").content.decode()
    assert "<svg" in page and f"/rate/{world.station.code}/" in page
    assert f"/rate/{world.station.code}/{elders.pk}/" in page  # the per-activity link
    page = client.get(f"/ratings/poster/?activity={elders.pk}").content.decode()
    assert "活动：敬老茶话会" in page


def test_a_bureau_has_no_poster(client, world):
    login(client, world.district_reviewer)
    assert client.get("/ratings/poster/").status_code == 404


def test_figures_and_public_figures_give_count_and_average(world, rated):
    today = timezone.localdate()
    got = selectors.figures(world.district.path, today - timedelta(days=1), today)
    assert got == {"ratings": 3, "average": 4.0, "satisfied": 2}
    assert set(got) == set(selectors.LABELS)
    assert selectors.figures(world.neighbour.path, today, today)["ratings"] == 0
    assert selectors.public_figures(world.station) == {"ratings": 3, "average": 4.0}
    assert selectors.due_items(world.station_worker, today) == []
    assert isinstance(Decimal(str(got["average"])), Decimal)
