"""The volunteer pages: who sees what, and the statement export."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from shegong.volunteers import services
from shegong.volunteers.models import Volunteer
from tests.conftest import login
from tests.factories import make_activity

from .helpers import make_volunteer


def _with_hours(world):
    volunteer = make_volunteer(world)
    activity = make_activity(world.station, name="敬老茶话会")
    signup = services.sign_up(volunteer=volunteer, activity=activity, by=world.station_worker)
    services.record_hours(signup=signup, hours="2.5", by=world.station_worker)
    return volunteer, activity, signup


def test_station_worker_registers_a_volunteer_through_the_form(client, world):
    login(client, world.station_worker)
    response = client.post(
        "/volunteers/new/",
        {
            "name": "李桂英",
            "phone": "139 0000 1111",
            "registered_on": "2030-03-02",
            "is_active": "on",
        },
    )
    volunteer = Volunteer.objects.get(name="李桂英")
    assert response.status_code == 302 and response.url == f"/volunteers/{volunteer.pk}/"
    assert volunteer.phone == "13900001111" and volunteer.station == world.station


def test_the_form_names_the_field_of_a_bad_phone(client, world):
    login(client, world.station_worker)
    response = client.post(
        "/volunteers/new/", {"name": "李桂英", "phone": "110", "registered_on": "2030-03-02"}
    )
    assert response.status_code == 200
    assert "11 位大陆手机号" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_station_members_see_the_phone_in_full(client, world):
    volunteer, _, _ = _with_hours(world)
    login(client, world.station_worker)
    page = client.get(f"/volunteers/{volunteer.pk}/").content.decode()
    assert "13812345678" in page


def test_the_district_sees_the_phone_masked(client, world):
    volunteer, activity, _ = _with_hours(world)
    login(client, world.district_reviewer)
    for url in (
        f"/volunteers/{volunteer.pk}/",
        "/volunteers/",
        f"/volunteers/activities/{activity.pk}/",
    ):
        page = client.get(url).content.decode()
        assert "138****5678" in page, url
        assert "13812345678" not in page, url


def test_the_neighbour_gets_404_on_every_volunteer_page(client, world):
    volunteer, activity, signup = _with_hours(world)
    entry = volunteer.entries.get()
    team = services.save_team(
        station=world.station, by=world.station_worker, data={"name": "助老队"}
    )
    login(client, world.neighbour_worker)
    for url in (
        f"/volunteers/{volunteer.pk}/",
        f"/volunteers/{volunteer.pk}/edit/",
        f"/volunteers/{volunteer.pk}/statement/",
        f"/volunteers/{volunteer.pk}/statement.xlsx",
        f"/volunteers/activities/{activity.pk}/",
        f"/volunteers/teams/{team.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/volunteers/{volunteer.pk}/spend/",
        f"/volunteers/{volunteer.pk}/signup/",
        f"/volunteers/signups/{signup.pk}/hours/",
        f"/volunteers/signups/{signup.pk}/cancel/",
        f"/volunteers/entries/{entry.pk}/reverse/",
    ):
        assert client.post(url, {"hours": "1", "note": "x", "reason": "x"}).status_code == 404, url
    assert "王秀兰" not in client.get("/volunteers/").content.decode()


def test_the_district_reads_but_cannot_write_the_ledger(client, world):
    volunteer, _, _ = _with_hours(world)
    login(client, world.district_reviewer)
    response = client.post(f"/volunteers/{volunteer.pk}/spend/", {"hours": "1", "note": "理发"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.balance == Decimal("2.5")


def test_spending_too_much_shows_the_reason_on_the_page(client, world):
    volunteer, _, _ = _with_hours(world)
    login(client, world.station_worker)
    response = client.post(
        f"/volunteers/{volunteer.pk}/spend/", {"hours": "5", "note": "理发"}, follow=True
    )
    assert "余额不能为负数" in response.content.decode()


def test_recording_hours_on_the_activity_page(client, world):
    volunteer = make_volunteer(world)
    activity = make_activity(world.station)
    login(client, world.station_worker)
    client.post(f"/volunteers/activities/{activity.pk}/", {"volunteer": volunteer.pk})
    signup = volunteer.signups.get()
    response = client.post(
        f"/volunteers/signups/{signup.pk}/hours/", {"hours": "1.5", "back": "activity"}
    )
    assert response.url == f"/volunteers/activities/{activity.pk}/"
    volunteer.refresh_from_db()
    assert volunteer.balance == Decimal("1.5")


def test_the_statement_shows_a_reversal_and_exports_to_xlsx(client, world):
    volunteer, _, _ = _with_hours(world)
    entry = volunteer.entries.get()
    login(client, world.station_worker)
    client.post(f"/volunteers/entries/{entry.pk}/reverse/", {"reason": "时长记错"})
    page = client.get(f"/volunteers/{volunteer.pk}/statement/").content.decode()
    assert "已冲正" in page and "时长记错" in page
    response = client.get(f"/volunteers/{volunteer.pk}/statement.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["服务获得", "冲正"]
    assert [r[6] for r in rows] == [2.5, 0]
    assert rows[0][7] == "已冲正"


def test_entries_cannot_be_changed_in_the_admin(world):
    from django.contrib import admin

    from shegong.volunteers.models import Entry

    model_admin = admin.site._registry[Entry]
    assert not model_admin.has_change_permission(None)
    assert not model_admin.has_delete_permission(None)
    assert not model_admin.has_add_permission(None)
