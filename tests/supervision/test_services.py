from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shegong.audit.models import AuditEvent
from shegong.supervision import selectors, services
from shegong.supervision.models import ItemStatus

from .helpers import make_visit


def test_the_district_records_a_visit_with_its_items(world):
    visit = make_visit(world)
    assert visit.visiting_unit == world.district
    assert visit.station_path == world.station.path
    assert visit.items.count() == 2
    assert AuditEvent.objects.filter(action="supervision.visited").count() == 1


def test_the_station_cannot_record_a_visit_to_itself(world):
    with pytest.raises(PermissionDenied):
        make_visit(world, by=world.station_admin)


def test_a_neighbour_cannot_be_the_recorder(world):
    with pytest.raises(PermissionDenied):
        make_visit(world, by=world.neighbour_worker)


def test_a_visit_names_each_missing_field(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        services.record_visit(
            station=world.station,
            date=today,
            supervisor_name="",
            findings="",
            items=[{"what": "整改", "due": today - timedelta(days=1), "responsible": ""}],
            by=world.district_reviewer,
        )
    errors = e.value.message_dict
    assert errors["supervisor_name"] == ["请填写督导人员。"]
    assert errors["findings"] == ["请填写督导发现。"]
    assert "第 1 项：请填写责任人。" in errors["items"]
    assert "第 1 项：整改期限不能早于督导日期。" in errors["items"]


def test_an_item_is_closed_only_after_the_station_reports_and_the_district_verifies(world):
    item = make_visit(world).items.first()
    with pytest.raises(ValidationError, match="还没有报告"):
        services.verify(item=item, note="已核实", by=world.district_reviewer)
    services.report_done(item=item, note="已补齐个案记录 12 份", by=world.station_worker)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN and item.is_reported
    services.verify(item=item, note="现场抽查 3 份，合格", by=world.district_reviewer)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert item.verified_by == world.district_reviewer
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"supervision.rectified", "supervision.verified"} <= actions


def test_the_station_cannot_verify_its_own_item(world):
    item = make_visit(world).items.first()
    services.report_done(item=item, note="已整改", by=world.station_worker)
    with pytest.raises(PermissionDenied):
        services.verify(item=item, note="自己验收", by=world.station_admin)


def test_the_district_cannot_report_the_station_done(world):
    item = make_visit(world).items.first()
    with pytest.raises(PermissionDenied):
        services.report_done(item=item, note="代报", by=world.district_reviewer)


def test_a_returned_item_goes_back_to_the_station_with_the_reason(world):
    item = make_visit(world).items.first()
    services.report_done(item=item, note="已整改", by=world.station_worker)
    services.verify(item=item, note="记录仍缺 2 份", by=world.district_reviewer, accepted=False)
    item.refresh_from_db()
    assert item.status == ItemStatus.OPEN
    assert item.rectified_at is None
    assert item.verified_note == "记录仍缺 2 份"
    assert AuditEvent.objects.filter(action="supervision.returned").exists()


def test_the_recorder_may_verify_and_a_closed_item_stays_closed(world):
    visit = make_visit(world, by=world.district_admin)
    item = visit.items.first()
    services.report_done(item=item, note="已整改", by=world.station_worker)
    services.verify(item=item, note="合格", by=world.district_admin)
    with pytest.raises(ValidationError, match="已销号"):
        services.report_done(item=item, note="再报", by=world.station_worker)


def test_overdue_means_open_with_the_due_date_passed(world):
    today = timezone.localdate()
    visit = make_visit(world)
    overdue = selectors.items_of(world.district_reviewer, world.district, "overdue", today=today)
    assert [i.what for i in overdue] == ["活动室消防通道堆放杂物"]
    assert visit.items.get(what__startswith="活动室").state_label(today) == "已逾期"


def test_a_visit_moves_with_its_station_when_the_station_changes_parent(world):
    from shegong.orgs import services as org_services

    visit = make_visit(world)
    org_services.move_unit(
        unit=world.station, new_parent=world.township2, by=None, reason="区划调整"
    )
    world.station.refresh_from_db()
    visit.refresh_from_db()
    assert visit.station_path == world.station.path
    assert set(visit.items.values_list("station_path", flat=True)) == {world.station.path}
