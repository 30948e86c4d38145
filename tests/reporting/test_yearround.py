"""The year-round work beside the campaign: its figures on the dashboard and in the summary
(counts only, nothing personal), the staff count from the register, what a station chooses
to disclose on its portal page, and the home page of a third-party assessor."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from shegong.casework import services as case_services
from shegong.orgs.models import Role
from shegong.portal import services as portal_services
from shegong.projects import services as project_services
from shegong.projects.models import Level
from shegong.reporting import summaries, yearround
from tests.casework.conftest import open_case, valid_id
from tests.conftest import login
from tests.factories import make_notice, make_user
from tests.volunteers.helpers import make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(world):
    """Two case files at the station (one person named, to look for), a volunteer, and two
    social workers in the register, one certified."""
    case_services.ensure_groups()
    world.caseworker = make_user("station_caseworker", world.station, Role.CASEWORKER)
    today = timezone.localdate()
    open_case(world, name="张三明", opened_on=today)
    open_case(
        world,
        name="李四海",
        group_name="困境儿童",
        opened_on=today,
        id_number=valid_id("11010520100101003"),
    )
    make_volunteer(world)
    for name, level in (("周敏", Level.SOCIAL_WORKER), ("吴强", Level.NONE)):
        project_services.save_worker(
            unit=world.station, by=world.station_admin, data={"name": name, "level": level}
        )
    return world


def rows(sections, title):
    return dict(next(s.rows for s in sections if s.title == title))


def test_the_figures_cover_the_subtree_and_label_each_group(served):
    today = timezone.localdate()
    sections = yearround.figures(served.district, today.replace(month=1, day=1), today)
    cases = rows(sections, "个案服务（一人一档）")
    assert cases["期末在案档案数"] == 2
    assert cases["其中困境儿童（在案）"] == 1
    assert rows(sections, "志愿服务与时间银行")["注册志愿者（人）"] == 1
    neighbour = yearround.figures(served.neighbour, today.replace(month=1, day=1), today)
    assert rows(neighbour, "个案服务（一人一档）")["期末在案档案数"] == 0


def test_the_district_dashboard_shows_counts_and_staff_but_no_person(client, served):
    notice = make_notice(served.district, "东民发〔2030〕1号", units=[served.station], issue=True)
    login(client, served.district_reviewer)
    panel = client.get(
        f"/dashboard/{served.district.code}/achievements/", {"notice": notice.pk}
    ).content.decode()
    assert 'data-testid="year-round"' in panel
    assert "期末在案档案数" in panel
    assert "张三明" not in panel and "李四海" not in panel
    staff = panel[panel.index("社会工作者（人）") - 200 : panel.index("社会工作者（人）")]
    assert ">2<" in staff  # the register's two workers, not the platform's accounts
    assert "其中持证社会工作者" in panel


def test_the_summary_draft_says_what_the_year_round_work_did(served):
    notice = make_notice(
        served.district,
        "东民发〔2030〕3号",
        units=[served.station],
        issue=True,
        periods=[
            {
                "kind": "summary",
                "name": "活动总结",
                "start_date": timezone.localdate().replace(month=1, day=1),
                "end_date": timezone.localdate(),
                "cutoff": timezone.now() + timedelta(days=5),
            }
        ],
    )
    period = notice.periods.get()
    content = summaries.content(served.district, period, children=[served.township])
    text = summaries.draft_sections(content)["work"]
    assert "同期常态化服务情况：个案服务（一人一档）：期末在案档案数2" in text
    assert "张三明" not in text


def test_a_station_discloses_only_what_it_chooses(client, served):
    data = {"place_name": "西脑包街道社会工作服务站", "is_public": True}
    page = portal_services.save_station_page(
        unit=served.station, by=served.station_worker, data=data
    )
    url = f"/portal/stations/{served.station.code}/"
    assert 'data-testid="disclosed"' not in client.get(url).content.decode()

    portal_services.save_station_page(
        unit=served.station,
        by=served.station_worker,
        data={"show_volunteers": True, "show_cases": True},
        version=page.version,
    )
    shown = client.get(url).content.decode()
    assert 'data-testid="disclosed"' in shown
    assert "注册志愿者（人）" in shown and "建档服务对象（人/户）" in shown
    assert "张三明" not in shown and "社区基金" not in shown


def test_an_assessor_in_no_unit_finds_the_project_on_the_home_page(client, world):
    from shegong.orgs.models import Kind
    from shegong.projects import reference
    from shegong.projects.models import Criterion, ProjectDomain
    from tests.factories import make_unit
    from tests.projects.conftest import make_project

    reference.load(ProjectDomain, Criterion)
    world.agency = make_unit(world.district, "东河区同心社会工作服务中心", Kind.AGENCY)
    assessor = make_user("pinggu")
    project = make_project(world, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31))
    project_services.add_assessor(project=project, user=assessor, by=world.district_admin)
    login(client, assessor)
    home = client.get("/").content.decode()
    assert "第三方评估人员" in home and project.name in home
    assert "购买服务项目" in home  # the header links to the projects page
