from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from shegong.activities import services as activity_services
from shegong.audit.models import AuditEvent
from shegong.casework import crypto, services
from shegong.casework.models import CaseFile, ServiceRecord, TransferStatus

from .conftest import group, open_case, valid_id

pytestmark = pytest.mark.django_db


def test_opening_numbers_files_per_station_and_year(cw):
    first = open_case(cw)
    second = open_case(cw, id_number=valid_id("11010519500101003"))
    assert first.number == "S150202003-2026-0001"
    assert second.number == "S150202003-2026-0002"


def test_personal_fields_are_encrypted_at_rest_and_the_name_is_kept_masked(cw):
    case = open_case(cw, name="张三明")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, id_number, phone, address FROM casework_casefile WHERE id = %s",
            [case.pk],
        )
        stored = cursor.fetchone()
    assert "张三明" not in stored[0] and valid_id() not in stored[1]
    assert "13800001234" not in stored[2] and "宏源" not in stored[3]
    fresh = CaseFile.objects.get(pk=case.pk)
    assert fresh.name == "张三明" and fresh.id_number == valid_id()
    assert fresh.name_masked == "张**"
    assert fresh.id_hash == crypto.id_hash(valid_id())


def test_a_bad_id_number_is_refused_naming_the_field(cw):
    with pytest.raises(ValidationError) as e:
        open_case(cw, id_number="110105194912310021")
    assert "校验位" in e.value.message_dict["id_number"][0]


def test_a_second_open_file_for_the_same_person_at_the_station_is_refused(cw):
    first = open_case(cw)
    with pytest.raises(ValidationError) as e:
        open_case(cw, name="张三明")
    assert first.number in e.value.message_dict["id_number"][0]


def test_only_a_caseworker_of_the_station_opens_a_file(cw):
    with pytest.raises(PermissionDenied):
        open_case(cw, by=cw.station_admin)
    with pytest.raises(PermissionDenied):
        open_case(cw, by=cw.neighbour_caseworker)


def test_closing_needs_a_reason_and_is_audited(cw):
    case = open_case(cw)
    with pytest.raises(ValidationError) as e:
        services.close_file(case=case, by=cw.caseworker, reason=" ")
    assert "结案原因" in e.value.message_dict["reason"][0]
    services.close_file(case=case, by=cw.caseworker, reason="迁出辖区", closed_on=date(2026, 2, 1))
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "迁出辖区"
    event = AuditEvent.objects.get(action="casework.closed")
    assert "张三明" not in str(event.after) and event.after["姓名"] == "张**"


def test_a_closed_file_takes_no_records_until_reopened(cw):
    case = open_case(cw)
    services.close_file(case=case, by=cw.caseworker, reason="目标达成")
    with pytest.raises(ValidationError):
        services.add_followup(case=case, by=cw.caseworker, due=date(2026, 3, 1), what="回访")
    services.reopen_file(case=case, by=cw.caseworker, reason="情况反复")
    services.add_followup(case=case, by=cw.caseworker, due=date(2026, 3, 1), what="回访")
    assert case.followups.count() == 1


def _visit(world, on=date(2026, 1, 10)):
    return activity_services.record_visit(
        unit=world.station,
        by=world.station_worker,
        data={
            "date": on,
            "household_name": "张三明",
            "group": "dibao",
            "visitors": "李娜",
        },
    )


def test_a_visit_attaches_to_one_file_only(cw):
    case = open_case(cw)
    other = open_case(cw, id_number=valid_id("11010519500101003"), name="李四")
    visit = _visit(cw)
    services.add_record(
        case=case,
        by=cw.caseworker,
        date=date(2026, 1, 10),
        way="home",
        content="入户",
        hours=1,
        visit=visit,
    )
    with pytest.raises(ValidationError) as e:
        services.add_record(
            case=other,
            by=cw.caseworker,
            date=date(2026, 1, 10),
            way="home",
            content="入户",
            hours=1,
            visit=visit,
        )
    assert "一次走访只能关联一份档案" in e.value.message_dict["visit"][0]


def test_a_visit_of_another_station_cannot_be_attached(cw):
    case = open_case(cw)
    visit = activity_services.record_visit(
        unit=cw.neighbour,
        by=cw.neighbour_worker,
        data={
            "date": date(2026, 1, 10),
            "household_name": "王五",
            "group": "dibao",
            "visitors": "赵六",
        },
    )
    with pytest.raises(ValidationError) as e:
        services.add_record(
            case=case,
            by=cw.caseworker,
            date=date(2026, 1, 10),
            way="home",
            content="入户",
            hours=1,
            visit=visit,
        )
    assert "本站" in e.value.message_dict["visit"][0]


def test_negative_hours_are_refused(cw):
    case = open_case(cw)
    with pytest.raises(ValidationError) as e:
        services.add_record(
            case=case,
            by=cw.caseworker,
            date=date(2026, 1, 10),
            way="phone",
            content="电话",
            hours=-1,
        )
    assert "时长" in e.value.message_dict["hours"][0]


def test_a_transfer_changes_nothing_until_the_target_accepts(cw):
    case = open_case(cw)
    services.add_assessment(
        case=case,
        by=cw.caseworker,
        date=date(2026, 1, 6),
        situation="独居",
        needs="照料",
        risk="medium",
    )
    transfer = services.request_transfer(
        case=case, by=cw.caseworker, to_unit=cw.neighbour, reason="迁居和平路"
    )
    case.refresh_from_db()
    assert case.unit == cw.station
    with pytest.raises(PermissionDenied):
        services.accept_transfer(transfer=transfer, by=cw.caseworker)
    services.accept_transfer(transfer=transfer, by=cw.neighbour_caseworker)
    case.refresh_from_db()
    assert case.unit == cw.neighbour and case.unit_path == cw.neighbour.path
    assert case.assessments.count() == 1
    actions = list(
        AuditEvent.objects.filter(action__startswith="casework.transfer")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["casework.transfer_requested", "casework.transfer_accepted"]


def test_a_declined_transfer_needs_a_reason_and_leaves_the_file(cw):
    case = open_case(cw)
    transfer = services.request_transfer(
        case=case, by=cw.caseworker, to_unit=cw.neighbour, reason="迁居"
    )
    with pytest.raises(ValidationError):
        services.decline_transfer(transfer=transfer, by=cw.neighbour_caseworker, note="")
    services.decline_transfer(transfer=transfer, by=cw.neighbour_caseworker, note="不在辖区")
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED and case.unit == cw.station


def test_every_write_leaves_an_audit_event(cw):
    case = open_case(cw)
    services.add_assessment(
        case=case, by=cw.caseworker, date=date(2026, 1, 6), situation="a", needs="b", risk="low"
    )
    services.set_plan(
        case=case,
        by=cw.caseworker,
        goals="g",
        measures="m",
        start=date(2026, 1, 6),
        end=date(2026, 6, 30),
    )
    services.add_record(
        case=case, by=cw.caseworker, date=date(2026, 1, 7), way="phone", content="c", hours="0.5"
    )
    f = services.add_followup(case=case, by=cw.caseworker, due=date(2026, 2, 1), what="回访")
    services.complete_followup(followup=f, by=cw.caseworker, done_on=date(2026, 1, 20), result="好")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "casework.opened",
        "casework.assessed",
        "casework.planned",
        "casework.record_added",
        "casework.followup_added",
        "casework.followup_done",
    } <= actions
    assert ServiceRecord.objects.get().hours == 0.5
    assert group("低保对象").casefile_set.count() == 1
