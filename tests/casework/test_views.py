import io
from datetime import date

import pytest
from openpyxl import load_workbook

from shegong.audit.models import AuditEvent
from shegong.casework import services
from shegong.casework.models import CaseFile
from tests.conftest import login

from .conftest import group, open_case, valid_id

pytestmark = pytest.mark.django_db


def test_the_caseworker_sees_the_personal_fields_and_the_reading_is_audited(client, cw):
    case = open_case(cw)
    login(client, cw.caseworker)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "张三明" in page and valid_id() in page and "13800001234" in page
    event = AuditEvent.objects.get(action="casework.file_viewed")
    assert event.user == cw.caseworker and event.object_id == str(case.pk)


def test_another_member_of_the_station_sees_a_masked_name_only(client, cw):
    case = open_case(cw)
    login(client, cw.station_worker)
    listing = client.get("/cases/").content.decode()
    assert "张**" in listing and "张三明" not in listing
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "张**" in page
    assert "张三明" not in page and valid_id() not in page and "13800001234" not in page
    assert not AuditEvent.objects.filter(action="casework.file_viewed").exists()


def test_the_neighbour_gets_404_on_a_file_by_url(client, cw):
    case = open_case(cw)
    login(client, cw.neighbour_caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "x", "closed_on": "2026-02-01"})
    assert response.status_code == 404
    assert CaseFile.objects.get(pk=case.pk).status == "open"


def test_the_district_gets_404_on_a_file_but_sees_counts(client, cw):
    case = open_case(cw)
    open_case(cw, id_number=valid_id("11010519500101003"), name="李四", group_name="残疾人")
    login(client, cw.district_reviewer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get("/cases/").status_code == 302  # to the counts
    page = client.get("/cases/summary/").content.decode()
    assert "张" not in page.split("case-summary")[1]
    summary = page.split('data-testid="case-summary"')[1]
    assert '低保对象</td><td class="text-end">1</td>' in summary
    assert '残疾人</td><td class="text-end">1</td>' in summary


def test_the_export_above_has_counts_and_no_personal_field(client, cw):
    open_case(cw)
    login(client, cw.district_reviewer)
    response = client.get("/cases/summary/export/")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("单位代码", "单位名称", "对象类别", "状态", "档案数")
    assert rows[1] == ("S150202003", "西脑包街道社会工作服务站", "低保对象", "在案", 1)
    text = str(rows)
    assert "张" not in text and valid_id() not in text


def test_opening_through_the_page_shows_the_id_error_under_the_field(client, cw):
    login(client, cw.caseworker)
    data = {
        "kind": "person",
        "group": group().pk,
        "name": "王小明",
        "id_number": "110105194912310021",
        "opened_on": "2026-01-05",
    }
    response = client.post("/cases/new/", data)
    assert 'data-field="id_number"' in response.content.decode()
    data["id_number"] = valid_id()
    response = client.post("/cases/new/", data)
    case = CaseFile.objects.get()
    assert response.url == f"/cases/{case.pk}/" and case.name == "王小明"


def test_a_station_member_without_the_case_role_cannot_open_a_file(client, cw):
    login(client, cw.station_admin)
    assert client.get("/cases/new/").status_code == 403


def test_a_refused_close_shows_the_file_again_with_the_reason_asked(client, cw):
    case = open_case(cw)
    login(client, cw.caseworker)
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "", "closed_on": "2026-02-01"})
    assert response.status_code == 400
    assert "结案原因" in response.content.decode()


def test_the_target_sees_the_transfer_in_its_inbox_and_accepts_it(client, cw):
    case = open_case(cw)
    login(client, cw.caseworker)
    client.post(f"/cases/{case.pk}/transfer/", {"to_code": "S150202001", "reason": "迁居"})
    login(client, cw.neighbour_caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    inbox = client.get("/cases/transfers/").content.decode()
    assert case.number in inbox and "张**" in inbox and "张三明" not in inbox
    transfer = case.transfers.get()
    client.post(f"/cases/transfers/{transfer.pk}/decide/", {"decision": "accept"})
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    login(client, cw.caseworker)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_an_unknown_station_code_is_named_in_the_transfer_error(client, cw):
    case = open_case(cw)
    login(client, cw.caseworker)
    response = client.post(f"/cases/{case.pk}/transfer/", {"to_code": "NOPE", "reason": "迁居"})
    assert "没有代码为“NOPE”的社会工作站" in response.content.decode()
    assert not case.transfers.exists()


def test_a_followup_is_completed_from_the_file_page(client, cw):
    case = open_case(cw)
    f = services.add_followup(case=case, by=cw.caseworker, due=date(2026, 2, 1), what="回访")
    login(client, cw.caseworker)
    client.post(
        f"/cases/{case.pk}/followups/{f.pk}/done/", {"done_on": "2026-01-20", "result": "已回访"}
    )
    f.refresh_from_db()
    assert f.done_on == date(2026, 1, 20) and f.result == "已回访"
