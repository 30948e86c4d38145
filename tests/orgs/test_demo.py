"""The demo data is the seeds' tree: 内蒙古 with 12 盟市 plus 满洲里 and 二连浩特 directly."""

import pytest
from django.core.management import call_command

from shegong.demo.users import DEMO_PASSWORD
from shegong.orgs.models import Kind, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def test_region_has_its_twelve_leagues_and_two_direct_cities(demo):
    region = OrgUnit.objects.get(name="内蒙古自治区民政厅")
    prefectures = region.children.filter(kind=Kind.PREFECTURE)
    assert prefectures.count() == 12
    direct = set(region.children.filter(kind=Kind.COUNTY).values_list("name", flat=True))
    assert direct == {"满洲里市民政局", "二连浩特市民政局"}


def test_manzhouli_division_code_sits_under_hulunbuir_but_reports_to_the_region(demo):
    manzhouli = OrgUnit.objects.get(name="满洲里市民政局")
    hulunbuir = OrgUnit.objects.get(name="呼伦贝尔市民政局")
    assert manzhouli.division_code[:4] == hulunbuir.division_code[:4]
    assert manzhouli.parent.name == "内蒙古自治区民政厅"
    assert not manzhouli.path.startswith(hulunbuir.path)


def test_seed_002_station_names_and_rooms_are_there(demo):
    station = OrgUnit.objects.get(name="西脑包街道社会工作服务站")
    assert station.kind == Kind.STATION
    assert station.children.filter(kind=Kind.ROOM).count() == 3
    assert station.parent.name == "西脑包街道"


def test_nanchuan_has_stations_rooms_and_organisations(demo):
    nanchuan = OrgUnit.objects.get(name="南川区民政局")
    subtree = OrgUnit.objects.filter(nanchuan.subtree_q())
    assert subtree.filter(kind=Kind.STATION).count() >= 5
    assert subtree.filter(kind=Kind.ROOM).count() >= 5
    assert subtree.filter(kind=Kind.AGENCY).count() >= 2


def test_seed_demo_runs_twice_without_duplicates(demo):
    before = OrgUnit.objects.count()
    call_command("seed_demo", quiet=True)
    assert OrgUnit.objects.count() == before


def test_demo_user_logs_in_with_the_readme_password(client, demo):
    response = client.post(
        "/accounts/login/", {"username": "xinaobao_filler", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "西脑包街道社会工作服务站" in client.get("/").content.decode()


def test_every_role_exists_at_every_level_of_the_mongolia_chain(demo):
    from django.contrib.auth import get_user_model

    names = set(get_user_model().objects.values_list("username", flat=True))
    for prefix in ["mca", "nmg", "baotou", "donghe", "xinaobao", "hongyuan"]:
        for role in ["admin", "reviewer", "filler", "viewer"]:
            assert f"{prefix}_{role}" in names
