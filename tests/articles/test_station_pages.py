"""A station keeps its public page (seed 000 (三)); the portal shows it, with a printable
poster and QR code, only once the station chooses to publish it."""

import pytest

from shegong.orgs.models import Role
from shegong.portal.models import StationPage
from tests.conftest import login
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PAGE = {
    "place_name": "西脑包街道社会工作服务站",
    "address": "东河区西脑包街道宏源社区党群服务中心二楼",
    "hours": "周一至周五 8:30—17:30",
    "contact": "0472-4171234",
    "services": "为辖区老年人、儿童、残疾人和困难群众提供社会工作服务。",
    "service_list": "老年人关爱服务\n儿童关爱保护\n困难群众帮扶",
    "staff": "张敏 社会工作师\n李强 助理社会工作师",
    "process": "来访登记\n需求评估\n制定服务计划\n提供服务\n结案回访",
}


def test_a_station_publishes_its_page_with_a_poster(world, client):
    login(client, world.station_worker)
    response = client.post("/portal/stations/mine/", {**PAGE, "is_public": ""})
    assert response.status_code == 302
    client.logout()
    code = world.station.code
    assert client.get(f"/portal/stations/{code}/").status_code == 404  # not chosen yet
    assert "宏源社区" not in client.get("/portal/stations/").content.decode()

    login(client, world.station_worker)
    client.post("/portal/stations/mine/", {**PAGE, "is_public": "on"})
    client.logout()
    page = client.get(f"/portal/stations/{code}/").content.decode()
    assert "0472-4171234" in page and "<li>需求评估</li>" in page
    assert "张敏 社会工作师；李强 助理社会工作师" in page
    poster = client.get(f"/portal/stations/{code}/poster/").content.decode()
    assert "<svg" in poster and f"/portal/stations/{code}/" in poster
    found = client.get("/portal/stations/", {"q": "宏源"}).content.decode()
    assert f"/portal/stations/{code}/" in found


def test_only_the_units_own_fillers_and_admins_edit_its_page(world, client):
    viewer = make_user(unit=world.station, role=Role.VIEWER)
    login(client, viewer)
    assert client.post("/portal/stations/mine/", PAGE).status_code == 403
    login(client, world.neighbour_worker)
    client.post("/portal/stations/mine/", {**PAGE, "is_public": "on"})
    assert StationPage.objects.get().unit == world.neighbour
    assert not StationPage.objects.filter(unit=world.station).exists()
