"""The header's search: units, notices (by 文号 or title), activities and briefs that the
user may see, grouped by kind, each hit one click from its page; a neighbour's never."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from shegong import search
from shegong.articles import services as article_services
from tests.casework.conftest import open_case
from tests.conftest import login
from tests.factories import make_activity, make_notice

pytestmark = pytest.mark.django_db


BODY = (
    "3月20日上午，西脑包街道社会工作服务站在宏源社区党群服务中心开展“五社联动”助老服务活动。"
    "社会工作者和社区志愿者为辖区60余名老年人提供健康义诊、防诈骗宣传和政策咨询服务，"
    "共有85人次参与。活动现场气氛热烈，老人们纷纷表示收获很大。"
)


def _brief(unit, by, title):
    return article_services.save_article(unit=unit, by=by, title=title, body=BODY)


@pytest.fixture
def data(world):
    w = world
    d = SimpleNamespace()
    d.mine = make_activity(w.station, by=w.station_worker, name="西脑包助老服务进社区")
    d.theirs = make_activity(w.neighbour, by=w.neighbour_worker, name="和平路西脑包助老交流")
    d.brief = _brief(w.station, w.station_worker, "西脑包街道开展助老服务")
    d.their_brief = _brief(w.neighbour, w.neighbour_worker, "和平路街道学习西脑包助老经验")
    d.notice = make_notice(
        w.region,
        doc_number="内民政慈社〔2022〕3号",
        units=[w.district],
        issue=True,
        title="关于开展2022年社会工作主题宣传活动的通知",
    )
    d.their_draft = make_notice(
        w.neighbour, doc_number="和民发〔2022〕3号", title="西脑包助老活动安排（草稿）"
    )
    return d


def _titles(groups, kind):
    return [h.title for g in groups if g.kind == kind for h in g.hits]


def test_results_are_grouped_by_kind_in_a_fixed_order(world, data):
    groups = search.search(world.station_worker, "西脑包")
    assert [g.kind for g in groups] == ["units", "activities", "briefs"]
    assert [g.label for g in groups] == ["单位", "活动", "简讯"]
    assert "西脑包街道社会工作服务站" in _titles(groups, "units")


def test_a_neighbours_activities_notices_and_briefs_never_appear(world, data):
    groups = search.search(world.station_worker, "西脑包")
    assert _titles(groups, "activities") == ["西脑包助老服务进社区"]
    assert _titles(groups, "briefs") == ["西脑包街道开展助老服务"]
    assert _titles(search.search(world.station_worker, "草稿"), "notices") == []
    assert _titles(search.search(world.station_worker, "和民发"), "notices") == []
    # The neighbour sees their own, and not the station's.
    theirs = search.search(world.neighbour_worker, "西脑包")
    assert _titles(theirs, "activities") == ["和平路西脑包助老交流"]
    assert _titles(theirs, "briefs") == ["和平路街道学习西脑包助老经验"]
    assert _titles(theirs, "notices") == ["西脑包助老活动安排（草稿）"]


def test_a_district_reviewer_sees_both_stations(world, data):
    groups = search.search(world.district_reviewer, "助老")  # two characters
    assert sorted(_titles(groups, "activities")) == ["和平路西脑包助老交流", "西脑包助老服务进社区"]


@pytest.mark.parametrize(
    "text",
    [
        "内民政慈社〔2022〕3号",
        "内民政慈社[2022]3号",
        "〔2022〕3号",
        "慈社〔2022〕",
        "内民政",
        "主题宣传",
    ],
)
def test_notices_are_found_by_doc_number_or_title(world, data, text):
    assert _titles(search.search(world.station_worker, text), "notices") == [data.notice.title]


def test_another_doc_number_finds_nothing(world, data):
    assert _titles(search.search(world.station_worker, "内民政慈社〔2022〕4号"), "notices") == []
    assert _titles(search.search(world.station_worker, "〔2021〕3号"), "notices") == []


def test_each_kind_is_cut_at_the_limit_and_says_there_is_more(world):
    for i in range(4):
        make_activity(world.station, by=world.station_worker, name=f"宏源助老第{i}场")
    (group,) = search.search(world.station_worker, "宏源助老", limit_per_kind=3)
    assert (group.kind, len(group.hits), group.more) == ("activities", 3, True)


def test_case_files_are_found_by_number_by_their_station_only(world):
    from shegong.casework import services as case_services
    from shegong.orgs.models import Role
    from tests.factories import make_user

    case_services.ensure_groups()
    cw = world
    cw.caseworker = make_user("station_caseworker", world.station, Role.CASEWORKER)
    cw.neighbour_caseworker = make_user("neighbour_caseworker", world.neighbour, Role.CASEWORKER)
    case = open_case(cw)
    groups = search.search(cw.caseworker, case.number[-9:])
    assert [g.kind for g in groups] == ["cases"]
    assert groups[0].hits[0].url == reverse("case_detail", args=[case.pk])
    assert search.search(cw.neighbour_caseworker, case.number[-9:]) == []
    assert search.search(cw.district_reviewer, case.number[-9:]) == []


def test_the_page_links_every_hit_to_a_page_the_user_can_open(client, world, data):
    login(client, world.station_worker)
    page = client.get("/search/", {"q": "西脑包"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="search-group-activities"' in html
    assert "和平路" not in html
    hits = [h for g in page.context["groups"] for h in g.hits]
    hits += [h for g in client.get("/search/", {"q": "慈社"}).context["groups"] for h in g.hits]
    assert len(hits) == 4  # the station, its activity, its brief, the region's notice
    for hit in hits:
        assert client.get(hit.url).status_code == 200, hit.url


def test_the_page_says_when_nothing_is_found(client, world, data):
    login(client, world.station_worker)
    page = client.get("/search/", {"q": "没有这个词"})
    assert 'data-testid="search-empty"' in page.content.decode()


def test_the_search_page_needs_a_login(client):
    assert client.get("/search/", {"q": "西脑包"}).status_code == 302
