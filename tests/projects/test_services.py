from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.audit.models import AuditEvent
from shegong.projects import selectors, services
from shegong.projects.models import Criterion, Metric, Result, Stage
from tests.factories import make_activity

from .conftest import all_scores, make_project, project_data

pytestmark = pytest.mark.django_db


def test_bureau_admin_registers_a_project_with_targets_and_an_audit_row(pw):
    project = make_project(pw)
    assert project.issuer == pw.district
    assert project.issuer_path == pw.district.path
    assert {t.metric: t.value for t in project.targets.all()} == {
        "served": 1000,
        "activities": 10,
        "visits": 40,
    }
    assert AuditEvent.objects.filter(action="projects.created", object_id=str(project.pk)).exists()


def test_station_admin_cannot_register_a_project(pw):
    with pytest.raises(PermissionDenied):
        services.save_project(issuer=pw.station, by=pw.station_admin, data=project_data(pw))


def test_contractor_must_be_a_social_work_agency(pw):
    with pytest.raises(ValidationError) as e:
        services.save_project(
            issuer=pw.district, by=pw.district_admin, data=project_data(pw, contractor=pw.station)
        )
    assert "社会工作服务机构" in e.value.message_dict["contractor"][0]


def test_served_stations_must_lie_under_the_bureau(pw):
    with pytest.raises(ValidationError) as e:
        services.save_project(
            issuer=pw.district,
            by=pw.district_admin,
            data=project_data(pw, stations=[pw.manzhouli]),
        )
    assert "stations" in e.value.message_dict


def test_negative_budget_and_reversed_dates_are_refused_with_field_messages(pw):
    with pytest.raises(ValidationError) as e:
        services.save_project(
            issuer=pw.district,
            by=pw.district_admin,
            data=project_data(pw, budget="-1", end_date=date(2029, 1, 1)),
        )
    errors = e.value.message_dict
    assert "项目资金不能为负数" in errors["budget"][0]
    assert "结束日期不能早于开始日期" in errors["end_date"][0]


def test_editing_a_project_drops_a_target_left_out(pw):
    project = make_project(pw)
    services.save_project(
        issuer=pw.district,
        by=pw.district_reviewer,
        data=project_data(pw, targets={"served": 500}),
        project=project,
    )
    assert list(project.targets.values_list("metric", "value")) == [("served", 500)]


def test_progress_counts_linked_activities_and_station_visits(pw):
    from shegong.activities import services as activity_services

    project = make_project(pw)
    a1 = make_activity(pw.station, by=pw.station_worker, beneficiaries=120)
    a2 = make_activity(pw.station, by=pw.station_worker, beneficiaries=None, participants=30)
    services.link_activities(project=project, activities=[a1, a2], by=pw.district_admin)
    for unit, by, day in (
        (pw.station, pw.station_worker, date(2030, 4, 1)),
        (pw.station, pw.station_worker, date(2029, 12, 31)),  # before the project
        (pw.neighbour, pw.neighbour_worker, date(2030, 4, 1)),  # not served
    ):
        activity_services.record_visit(
            unit=unit,
            by=by,
            data={"date": day, "household_name": "王大爷", "group": "elder", "visitors": "李娜"},
        )
    done = selectors.actuals(project)
    assert done[Metric.SERVED] == 150
    assert done[Metric.ACTIVITIES] == 2
    assert done[Metric.VISITS] == 1
    rows = {r["label"]: r for r in selectors.progress(project, date(2030, 7, 1))}
    assert rows["服务人次"]["percent"] == 15
    assert rows["服务人次"]["expected"] == 499  # 182 of 365 days
    assert rows["服务人次"]["behind"] is True
    assert rows["活动场次"]["actual"] == 2


def test_only_activities_of_the_served_stations_can_be_linked(pw):
    project = make_project(pw)
    other = make_activity(pw.neighbour, by=pw.neighbour_worker)
    with pytest.raises(ValidationError) as e:
        services.link_activities(project=project, activities=[other], by=pw.district_admin)
    assert "服务站点" in e.value.message_dict["activities"][0]
    assert project.activities.count() == 0


def test_unlinking_an_activity_is_audited(pw):
    project = make_project(pw)
    a = make_activity(pw.station, by=pw.station_worker)
    services.link_activities(project=project, activities=[a], by=pw.district_admin)
    services.unlink_activity(project=project, activity=a, by=pw.district_admin)
    assert project.activities.count() == 0
    assert AuditEvent.objects.filter(action="projects.activity_unlinked").count() == 1


def test_station_member_cannot_link_activities(pw):
    project = make_project(pw)
    a = make_activity(pw.station, by=pw.station_worker)
    with pytest.raises(PermissionDenied):
        services.link_activities(project=project, activities=[a], by=pw.station_admin)


def test_evaluation_total_gives_the_result_by_threshold(pw):
    project = make_project(pw)
    scores = {c.pk: Decimal(c.max_score) * Decimal("0.8") for c in Criterion.objects.all()}
    e = services.save_evaluation(
        project=project,
        stage=Stage.MID,
        by=pw.district_admin,
        date=date(2030, 7, 1),
        scores=scores,
        findings="服务规范，进度略慢。",
    )
    assert e.full == 100
    assert e.total == 80
    assert e.result == Result.GOOD
    assert e.result_chosen is False
    assert e.by_assessor is False


def test_a_score_above_the_full_score_is_refused_naming_the_criterion(pw):
    project = make_project(pw)
    scores = all_scores()
    first = Criterion.objects.order_by("order").first()
    scores[first.pk] = first.max_score + 1
    with pytest.raises(ValidationError) as e:
        services.save_evaluation(
            project=project,
            stage=Stage.MID,
            by=pw.district_admin,
            date=date(2030, 7, 1),
            scores=scores,
            findings="意见",
        )
    assert first.name in e.value.message_dict[f"score_{first.pk}"][0]


def test_a_chosen_result_is_kept_and_saving_again_replaces_the_stage(pw):
    project = make_project(pw)
    for result in ("", Result.PASS):
        services.save_evaluation(
            project=project,
            stage=Stage.FINAL,
            by=pw.district_admin,
            date=date(2030, 12, 31),
            scores=all_scores(),
            findings="完成全部指标。",
            result=result,
        )
    e = project.evaluations.get()
    assert e.result == Result.PASS
    assert e.result_chosen is True
    assert e.scores.count() == Criterion.objects.filter(is_active=True).count()


def test_assessor_must_be_in_no_unit_and_then_may_evaluate(pw):
    project = make_project(pw)
    with pytest.raises(ValidationError):
        services.add_assessor(project=project, user=pw.station_worker, by=pw.district_admin)
    with pytest.raises(PermissionDenied):
        services.save_evaluation(
            project=project,
            stage=Stage.MID,
            by=pw.assessor,
            date=date(2030, 7, 1),
            scores=all_scores(),
            findings="意见",
        )
    services.add_assessor(project=project, user=pw.assessor, by=pw.district_admin)
    e = services.save_evaluation(
        project=project,
        stage=Stage.MID,
        by=pw.assessor,
        date=date(2030, 7, 1),
        scores=all_scores(50 / 100),
        findings="第三方意见",
    )
    assert e.by_assessor is True
    assert e.result == Result.FAIL


def test_contractor_cannot_evaluate_its_own_project(pw):
    project = make_project(pw)
    with pytest.raises(PermissionDenied):
        services.save_evaluation(
            project=project,
            stage=Stage.MID,
            by=pw.agency_worker,
            date=date(2030, 7, 1),
            scores=all_scores(),
            findings="自评",
        )


def test_due_items_list_missing_mid_and_final_evaluations_for_the_bureau_and_assessor(pw):
    project = make_project(pw)
    services.add_assessor(project=project, user=pw.assessor, by=pw.district_admin)
    mid_only = selectors.due_items(pw.district_reviewer, date(2030, 8, 1))
    assert [d["title"] for d in mid_only] == [f"{project.name}：中期评估"]
    assert mid_only[0]["due"] == project.midpoint
    both = selectors.due_items(pw.assessor, date(2031, 1, 5))
    assert len(both) == 2
    assert selectors.due_items(pw.station_admin, date(2031, 1, 5)) == []
    assert selectors.due_items(pw.district_admin, date(2030, 3, 1)) == []


def test_figures_count_staff_and_active_projects_of_the_subtree(pw):
    make_project(pw)
    services.save_worker(
        unit=pw.station,
        by=pw.station_admin,
        data={"name": "李娜", "level": "worker", "is_supervisor": True},
    )
    services.save_worker(unit=pw.station, by=pw.station_admin, data={"name": "王强"})
    f = selectors.figures(pw.district.path, date(2030, 1, 1), date(2030, 3, 31))
    assert f == {
        "staff": 2,
        "certified": 1,
        "supervisors": 1,
        "training_hours": Decimal("0"),
        "projects": 1,
        "project_budget": Decimal("300000.00"),
    }
    assert set(f) == set(selectors.LABELS)
    assert (
        selectors.figures(pw.neighbour.path, date(2030, 1, 1), date(2030, 3, 31))["projects"] == 0
    )
    assert selectors.public_figures(pw.station) == {"staff": 2, "certified": 1}


def test_rating_summary_averages_the_stars_of_linked_activities(pw):
    from shegong.ratings.models import Rating

    project = make_project(pw)
    linked = make_activity(pw.station, by=pw.station_worker)
    unlinked = make_activity(pw.station, by=pw.station_worker, name="未关联的活动")
    services.link_activities(project=project, activities=[linked], by=pw.district_admin)
    for activity, stars, phone in ((linked, 5, "a"), (linked, 4, "b"), (unlinked, 1, "c")):
        Rating.objects.create(
            activity=activity,
            station=pw.station,
            station_path=pw.station.path,
            stars=stars,
            phone_hash=phone,
        )
    assert selectors.rating_summary(project) == {"n": 2, "avg": 4.5}


def test_cases_count_the_distinct_files_of_linked_service_records(pw):
    from shegong.casework import services as case_services
    from shegong.orgs.models import Role
    from tests.casework.conftest import open_case
    from tests.factories import make_user

    case_services.ensure_groups()
    pw.caseworker = make_user("station_caseworker", pw.station, Role.CASEWORKER)
    case = open_case(pw, opened_on=date(2026, 1, 5))
    records = [
        case_services.add_record(
            case=case, by=pw.caseworker, date=day, way="home", content="入户服务", hours="1"
        )
        for day in (date(2026, 2, 1), date(2026, 3, 1))
    ]
    project = make_project(
        pw, targets={"cases": 4}, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
    )
    assert set(selectors.linkable_records(project)) == set(records)
    services.link_records(project=project, records=records, by=pw.district_admin)
    assert selectors.actuals(project)[Metric.CASES] == 1
    assert selectors.linkable_records(project).count() == 0
