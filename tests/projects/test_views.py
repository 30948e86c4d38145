from datetime import date

import pytest
from django.urls import reverse

from shegong.projects import services
from shegong.projects.models import Criterion, Project, ProjectDomain
from tests.conftest import login
from tests.factories import make_activity, make_unit, make_user

from .conftest import all_scores, make_project

pytestmark = pytest.mark.django_db


def test_neighbour_station_gets_404_on_the_project_and_its_pages(client, pw):
    project = make_project(pw)
    login(client, pw.neighbour_worker)
    for name in ("project_detail", "project_edit", "project_activities"):
        assert client.get(reverse(name, args=[project.pk])).status_code == 404
    assert client.get(reverse("project_evaluate", args=[project.pk, "mid"])).status_code == 404
    assert project.name not in client.get(reverse("project_list")).content.decode()


def test_neighbour_bureau_gets_404_on_the_project(client, pw):
    other = make_unit(pw.city, "昆都仑区民政局", "county", code="150203000000")
    clerk = make_user("kundulun_admin", other, "admin")
    project = make_project(pw)
    login(client, clerk)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 404


def test_served_station_and_contractor_see_the_project_read_only(client, pw):
    project = make_project(pw)
    for user in (pw.station_worker, pw.agency_worker):
        login(client, user)
        page = client.get(reverse("project_detail", args=[project.pk]))
        assert page.status_code == 200
        assert "修改项目" not in page.content.decode()
        assert client.get(reverse("project_edit", args=[project.pk])).status_code == 403
        assert client.get(reverse("project_evaluate", args=[project.pk, "mid"])).status_code == 403


def test_city_above_the_bureau_sees_the_project(client, pw):
    project = make_project(pw)
    city_admin = make_user("city_admin", pw.city, "admin")
    login(client, city_admin)
    assert client.get(reverse("project_detail", args=[project.pk])).status_code == 200


def test_bureau_registers_a_project_through_the_form(client, pw):
    login(client, pw.district_admin)
    domain = ProjectDomain.objects.get(name="社区治理")
    page = client.post(
        reverse("project_new"),
        {
            "name": "社区治理能力提升项目",
            "domain": domain.pk,
            "contractor": pw.agency.pk,
            "stations": [pw.station.pk, pw.neighbour.pk],
            "budget": "120000",
            "start_date": "2030-01-01",
            "end_date": "2030-06-30",
            "target_activities": "6",
        },
    )
    project = Project.objects.get(name="社区治理能力提升项目")
    assert page.status_code == 302
    assert page["Location"] == reverse("project_detail", args=[project.pk])
    assert set(project.stations.all()) == {pw.station, pw.neighbour}
    assert project.targets.get().value == 6


def test_the_form_shows_a_chinese_error_for_reversed_dates(client, pw):
    login(client, pw.district_admin)
    page = client.post(
        reverse("project_new"),
        {
            "name": "项目",
            "domain": ProjectDomain.objects.first().pk,
            "contractor": pw.agency.pk,
            "stations": [pw.station.pk],
            "budget": "1",
            "start_date": "2030-06-01",
            "end_date": "2030-01-01",
        },
    )
    assert page.status_code == 200
    assert "结束日期不能早于开始日期" in page.content.decode()


def test_station_admin_may_not_open_the_registration_form(client, pw):
    login(client, pw.station_admin)
    assert client.get(reverse("project_new")).status_code == 403


def test_bureau_links_an_activity_with_the_picker_and_removes_it(client, pw):
    project = make_project(pw)
    activity = make_activity(pw.station, by=pw.station_worker)
    login(client, pw.district_admin)
    picker = client.get(reverse("project_activities", args=[project.pk]))
    assert activity.name in picker.content.decode()
    client.post(reverse("project_activities", args=[project.pk]), {"activity": [activity.pk]})
    assert list(project.activities.all()) == [activity]
    detail = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "120" in detail  # the 服务人次 actual
    client.post(reverse("project_unlink_activity", args=[project.pk, activity.pk]))
    assert project.activities.count() == 0


def test_assessor_opens_only_their_project_and_evaluates_it(client, pw):
    mine = make_project(pw)
    other = make_project(pw, name="另一个项目")
    services.add_assessor(project=mine, user=pw.assessor, by=pw.district_admin)
    login(client, pw.assessor)
    listing = client.get(reverse("project_list")).content.decode()
    assert mine.name in listing
    assert "另一个项目" not in listing
    assert client.get(reverse("project_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("project_evaluate", args=[other.pk, "mid"])).status_code == 404
    assert client.get(reverse("staff_index")).status_code == 404
    data = {f"score_{pk}": str(v) for pk, v in all_scores().items()}
    data.update({"date": "2030-07-01", "findings": "服务扎实。", "result": ""})
    page = client.post(reverse("project_evaluate", args=[mine.pk, "mid"]), data)
    assert page.status_code == 302
    evaluation = mine.evaluations.get()
    assert evaluation.get_result_display() == "优秀"
    assert evaluation.by_assessor


def test_home_page_opens_for_an_assessor_in_no_unit(client, pw):
    login(client, pw.assessor)
    assert client.get(reverse("home")).status_code == 200


def test_evaluation_form_rejects_a_score_over_the_full_score(client, pw):
    project = make_project(pw)
    login(client, pw.district_admin)
    first = Criterion.objects.order_by("order").first()
    data = {f"score_{pk}": str(v) for pk, v in all_scores().items()}
    data.update({f"score_{first.pk}": str(first.max_score + 5), "date": "2030-07-01"})
    data["findings"] = "意见"
    page = client.post(reverse("project_evaluate", args=[project.pk, "mid"]), data)
    assert page.status_code == 200
    assert project.evaluations.count() == 0


def test_contractor_record_lists_results_and_hides_from_the_neighbour(client, pw):
    project = make_project(pw)
    services.save_evaluation(
        project=project,
        stage="mid",
        by=pw.district_admin,
        date=date(2030, 7, 1),
        scores=all_scores(),
        findings="很好",
    )
    login(client, pw.agency_worker)
    page = client.get(reverse("contractor_record", args=[pw.agency.code]))
    assert "优秀" in page.content.decode()
    login(client, pw.neighbour_worker)
    assert client.get(reverse("contractor_record", args=[pw.agency.code])).status_code == 404


def test_bureau_admin_adds_a_criterion_and_a_station_admin_may_not(client, pw):
    login(client, pw.station_admin)
    assert client.get(reverse("project_criteria")).status_code == 403
    login(client, pw.district_admin)
    client.post(
        reverse("project_criteria"), {"name": "社区参与", "max_score": "10", "is_active": "on"}
    )
    assert Criterion.objects.filter(name="社区参与", max_score=10).exists()
