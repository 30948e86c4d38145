"""The 审计管理员's page: filters, paging, the xlsx export (itself audited), and who is refused."""

import io

import openpyxl
import pytest
import time_machine
from django.contrib import admin

from shegong.audit.models import AuditArchive, AuditEvent
from shegong.audit.services import record_event
from tests.conftest import login
from tests.factories import at, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(world):
    """A handful of known events on known days, on top of the world's own."""
    with time_machine.travel(at(2030, 3, 2, 10)):
        record_event(
            action="activities.recorded",
            by=world.station_worker,
            unit=world.station,
            after={"name": "助老服务进社区", "participants": 45},
        )
    with time_machine.travel(at(2030, 3, 10, 9)):
        record_event(
            action="activities.updated",
            by=world.neighbour_worker,
            unit=world.neighbour,
            obj=world.neighbour,
            before={"participants": 10},
            after={"participants": 12},
        )
    with time_machine.travel(at(2030, 3, 20, 16)):
        record_event(
            action="visits.recorded", by=world.station_admin, unit=world.room, obj=world.room
        )
        record_event(action="reporting.submitted", by=world.region_admin, unit=world.region)
    return world


def shown(client, auditor, **params):
    login(client, auditor)
    response = client.get("/audit/", params)
    assert response.status_code == 200
    return response.content.decode()


def listed_actions(client, auditor, **params):
    login(client, auditor)
    page = client.get("/audit/", params).context["page"]
    return [e.action for e in page]


def test_the_page_shows_time_user_unit_action_object_and_change(client, auditor, log):
    body = shown(client, auditor)
    assert "2030-03-10 09:00:00" in body and "neighbour_worker" in body
    assert "和平路街道社会工作服务站" in body and "activities.updated" in body
    assert "participants：" in body and '<del class="text-danger">10</del>' in body
    assert '<span class="text-success">12</span>' in body


def test_it_filters_by_time_range(client, auditor, log):
    got = listed_actions(client, auditor, date_from="2030-03-05", date_to="2030-03-10")
    assert got == ["activities.updated"]
    assert listed_actions(client, auditor, date_from="2030-03-20") == [
        "reporting.submitted",
        "visits.recorded",
    ]


def test_it_filters_by_user(client, auditor, log):
    assert listed_actions(client, auditor, user="station_worker") == ["activities.recorded"]


def test_it_filters_by_a_unit_and_its_subtree(client, auditor, log):
    # 西脑包站 takes in its room; the neighbour station and the region stay out
    got = listed_actions(client, auditor, unit=log.station.code, date_from="2030-03-01")
    assert got == ["visits.recorded", "activities.recorded"]
    by_name = listed_actions(client, auditor, unit="东河区民政局", date_from="2030-03-01")
    assert by_name == ["visits.recorded", "activities.updated", "activities.recorded"]


def test_an_unknown_unit_is_said_so(client, auditor, log):
    body = shown(client, auditor, unit="没有这个单位")
    assert "找不到这个单位" in body and "没有符合条件的记录" in body


def test_it_filters_by_action_prefix_or_one_action(client, auditor, log):
    assert listed_actions(client, auditor, action="activities.") == [
        "activities.updated",
        "activities.recorded",
    ]
    assert listed_actions(client, auditor, action="activities.updated") == ["activities.updated"]
    body = shown(client, auditor)
    assert '<option value="activities.">activities.*（全部）</option>' in body
    assert '<option value="visits.recorded">visits.recorded</option>' in body


def test_it_filters_by_object_type_and_text(client, auditor, log):
    got = listed_actions(client, auditor, object_type="orgs.orgunit", date_from="2030-03-01")
    assert got == ["visits.recorded", "activities.updated"]
    assert listed_actions(client, auditor, q="宏源", date_from="2030-03-01") == ["visits.recorded"]
    assert listed_actions(client, auditor, q=str(log.neighbour.pk), date_from="2030-03-01") == [
        "activities.updated"
    ]
    assert "单位（orgs.orgunit）" in shown(client, auditor)


def test_the_list_is_paged_newest_first(client, auditor, world):
    for i in range(60):
        record_event(action="test.paged", after={"i": i})
    login(client, auditor)
    first = client.get("/audit/", {"action": "test."}).context["page"]
    second = client.get("/audit/", {"action": "test.", "page": 2}).context["page"]
    assert first.paginator.count == 60 and len(first) == 50 and len(second) == 10
    assert first[0].after == {"i": 59} and second[9].after == {"i": 0}


def test_the_export_is_the_filtered_xlsx_and_is_itself_audited(client, auditor, log):
    record_event(action="activities.recorded", unit=log.station, after={"name": "=HYPERLINK(1)"})
    login(client, auditor)
    response = client.get("/audit/export/", {"action": "activities.", "unit": log.district.code})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "时间", "账号", "单位", "操作")
    assert [r[4] for r in rows[1:]] == [
        "activities.recorded",
        "activities.updated",
        "activities.recorded",
    ]
    assert rows[1][9] == '{"name": "=HYPERLINK(1)"}'
    assert rows[3][1] == "2030-03-02 10:00:00" and rows[3][3] == "西脑包街道社会工作服务站"
    event = AuditEvent.objects.get(action="audit.exported")
    assert event.user == auditor
    assert event.after == {
        "filters": {"action": "activities.", "unit": log.district.code},
        "rows": 3,
    }


def test_exported_cells_that_look_like_formulas_stay_text(client, auditor, world):
    record_event(action="test.formula", username="=cmd|' /C calc'!A0")
    login(client, auditor)
    response = client.get("/audit/export/", {"action": "test.formula"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["C2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["C2"].data_type == "s"


def test_the_system_admin_cannot_read_or_export_the_log(client, sysop, world):
    login(client, sysop)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export/").status_code == 403
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_the_system_admin_cannot_see_change_or_delete_events_in_the_admin_site(
    client, sysop, world
):
    assert not admin.site.is_registered(AuditEvent)
    assert not admin.site.is_registered(AuditArchive)
    login(client, sysop)
    assert client.get("/admin/").status_code == 200
    assert "审计" not in client.get("/admin/").content.decode()
    event = AuditEvent.objects.first()
    for url in (
        "/admin/audit/",
        "/admin/audit/auditevent/",
        f"/admin/audit/auditevent/{event.pk}/change/",
        f"/admin/audit/auditevent/{event.pk}/delete/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("persona", ["station_worker", "station_admin", "region_admin"])
def test_business_users_get_403(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export/").status_code == 403


def test_the_security_admin_gets_403(client, world):
    login(client, make_user("secop", platform_role="security"))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export/").status_code == 403


def test_an_invalid_date_range_is_said_so(client, auditor, log):
    body = shown(client, auditor, date_from="2030-03-20", date_to="2030-03-01")
    assert "截止日期不能早于起始日期" in body


def test_dates_are_whole_days_in_beijing_time(client, auditor, world):
    with time_machine.travel(at(2030, 5, 1, 0, 30)):  # 16:30 UTC the day before
        record_event(action="test.midnight")
    assert listed_actions(client, auditor, action="test.", date_to="2030-04-30") == []
    got = listed_actions(client, auditor, action="test.", date_from="2030-05-01")
    assert got == ["test.midnight"]


def test_an_export_past_the_limit_is_refused_with_a_message(client, auditor, world, monkeypatch):
    from shegong.audit import views

    monkeypatch.setattr(views, "EXPORT_MAX_ROWS", 2)
    login(client, auditor)
    response = client.get("/audit/export/", {"action": "orgs."}, follow=True)
    assert "超过一次导出的上限 2 条" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/audit/?action=orgs."
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
