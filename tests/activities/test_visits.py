"""Family visits: personal information stays with the visiting unit (PIPL)."""

import io
from datetime import date

import openpyxl
import pytest

from shegong.activities import privacy, services
from shegong.activities.models import Visit
from shegong.audit.models import AuditEvent
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _visit(world, **overrides):
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
    data.update(overrides)
    return services.record_visit(unit=world.station, data=data, by=world.station_worker)


def test_masks():
    assert privacy.mask_name("张桂英") == "张**"
    assert privacy.mask_phone("13812341234") == "138****1234"
    assert privacy.mask_phone("0472-4123456") == "*******3456"
    assert privacy.mask_address("西脑包街道宏源社区3号楼2单元101") == "西脑包街道****"


def test_the_visiting_unit_sees_the_household_in_clear(client, world):
    _visit(world)
    login(client, world.station_worker)
    body = client.get("/visits/").content.decode()
    assert "张桂英" in body and "13812341234" in body


def test_a_supervisor_sees_counts_and_masked_values_only(client, world):
    _visit(world)
    login(client, world.district_reviewer)
    body = client.get("/visits/").content.decode()
    assert "张桂英" not in body and "13812341234" not in body and "3号楼" not in body
    assert "张**" in body and "138****1234" in body
    assert "走访 <strong>1</strong> 户次" in body


def test_the_neighbour_sees_nothing(client, world):
    visit = _visit(world)
    login(client, world.neighbour_worker)
    assert "张" not in client.get("/visits/").content.decode().split("<tbody>")[1]
    assert client.get(f"/visits/{visit.pk}/edit/").status_code == 404


def test_a_supervisor_export_has_no_personal_columns(client, world):
    _visit(world)
    login(client, world.district_reviewer)
    response = client.get("/visits/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "户主/服务对象姓名" not in values and "联系电话" not in values
    assert not any("张" in v or "1381234" in v or "3号楼" in v for v in values)
    assert "留守老人/独居老人" in values


def test_the_units_own_export_keeps_the_personal_columns(client, world):
    _visit(world)
    login(client, world.station_worker)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/visits/export/").content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert "张桂英" in values and "13812341234" in values


def test_the_audit_log_keeps_no_personal_information_in_clear(world):
    _visit(world)
    event = AuditEvent.objects.get(action="visits.recorded")
    assert event.after["household"] == "张**" and event.after["phone"] == "138****1234"
    assert "张桂英" not in str(event.after)


def test_a_visit_can_only_link_an_activity_of_its_own_unit(world):
    from django.core.exceptions import ValidationError

    from tests.factories import make_activity

    other = make_activity(world.neighbour)
    with pytest.raises(ValidationError):
        _visit(world, activity=other)
    assert not Visit.objects.exists()
