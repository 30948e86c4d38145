"""Exports of personal data leave an audit event saying what was exported."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shegong.activities import services
from shegong.activities.models import ActivityImport
from shegong.audit.models import AuditEvent
from tests.activities.test_import import ROWS, seed_table
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _visit(world):
    data = {
        "date": date(2030, 4, 2),
        "household_name": "张桂英",
        "household_address": "西脑包街道宏源社区3号楼2单元101",
        "household_phone": "13812341234",
        "group": "elder",
        "visitors": "李娜、王芳",
        "purpose": "独居老人走访慰问",
        "outcome": "身体状况良好，需要定期上门。",
        "follow_up": True,
    }
    return services.record_visit(unit=world.station, data=data, by=world.station_worker)


def test_the_visiting_units_export_is_audited_as_personal(client, world):
    _visit(world)
    login(client, world.station_worker)
    assert client.get("/visits/export/", {"follow_up": "1"}).status_code == 200
    event = AuditEvent.objects.get(action="visits.exported")
    assert event.user == world.station_worker and event.unit == world.station
    assert event.after == {"rows": 1, "personal": True, "filters": {"follow_up": "1"}}


def test_a_supervisors_export_is_audited_without_personal_columns(client, world):
    _visit(world)
    login(client, world.district_reviewer)
    client.get("/visits/export/")
    event = AuditEvent.objects.get(action="visits.exported")
    assert event.user == world.district_reviewer and event.unit == world.district
    assert event.after == {"rows": 1, "personal": False, "filters": {}}


def test_the_rejected_rows_download_is_audited(client, world):
    rows = [*ROWS, [3, "", "某单位", 10, "3月25日", "某地", "", "", "", "", "", ""]]
    login(client, world.station_worker)
    client.post("/activities/import/", {"file": SimpleUploadedFile("附件1.xlsx", seed_table(rows))})
    imp = ActivityImport.objects.get()
    assert client.get(f"/activities/import/{imp.pk}/rejected/").status_code == 200
    event = AuditEvent.objects.get(action="activities.rejects_exported")
    assert event.user == world.station_worker and event.unit == world.station
    assert event.object_id == str(imp.pk)
    assert event.after == {"rows": 1, "personal": True}
