from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shegong.audit.models import AuditEvent
from shegong.projects import selectors, services
from shegong.projects.models import Worker
from tests.conftest import login

pytestmark = pytest.mark.django_db


def add_worker(world, **data):
    data = {"name": "李娜", "phone": "13800001111", "level": "worker", **data}
    return services.save_worker(unit=world.station, by=world.station_admin, data=data)


def test_station_adds_a_worker_and_a_training_with_audit_rows(world):
    worker = add_worker(world)
    services.add_training(
        worker=worker, by=world.station_worker, date=date(2030, 3, 1), hours="6", topic="个案管理"
    )
    assert worker.trainings.get().hours == Decimal("6.0")
    assert AuditEvent.objects.filter(action="projects.worker_saved").count() == 1
    assert AuditEvent.objects.filter(action="projects.training_added").count() == 1


def test_negative_training_hours_are_refused(world):
    worker = add_worker(world)
    with pytest.raises(ValidationError) as e:
        services.add_training(
            worker=worker, by=world.station_admin, date=date(2030, 3, 1), hours="-2", topic="x"
        )
    assert "学时不能为负数" in e.value.message_dict["hours"][0]


def test_a_bad_phone_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as e:
        add_worker(world, phone="abc")
    assert "联系电话" in e.value.message_dict["phone"][0]


def test_neighbour_cannot_add_staff_to_the_station(world):
    with pytest.raises(PermissionDenied):
        services.save_worker(unit=world.station, by=world.neighbour_worker, data={"name": "x"})


def test_staff_counts_by_level_and_training_hours_this_year(world):
    a = add_worker(world, is_supervisor=True, level="senior")
    add_worker(world, name="王强", level="none")
    add_worker(world, name="离岗者", is_active=False)
    services.add_training(
        worker=a, by=world.station_admin, date=date(2030, 3, 1), hours="6", topic="督导"
    )
    services.add_training(
        worker=a, by=world.station_admin, date=date(2029, 3, 1), hours="8", topic="去年"
    )
    counts = selectors.staff_counts(world.district.path, date(2030, 1, 1), date(2030, 12, 31))
    assert counts["staff"] == 2
    assert counts["certified"] == 1
    assert counts["supervisors"] == 1
    assert counts["level_senior"] == 1
    assert counts["training_hours"] == Decimal("6.0")


def test_neighbour_gets_404_on_a_worker_and_the_station_staff_page(client, world):
    worker = add_worker(world)
    login(client, world.neighbour_worker)
    assert client.get(reverse("worker_detail", args=[worker.pk])).status_code == 404
    url = reverse("staff_index") + f"?unit={world.station.code}"
    assert client.get(url).status_code == 404


def test_district_sees_the_station_staff_with_phones_masked(client, world):
    add_worker(world)
    login(client, world.district_reviewer)
    page = client.get(reverse("staff_index")).content.decode()
    assert "李娜" in page
    assert "138****1111" in page
    assert "13800001111" not in page
    login(client, world.station_worker)
    assert "13800001111" in client.get(reverse("staff_index")).content.decode()


def test_station_worker_adds_a_worker_and_training_through_the_pages(client, world):
    login(client, world.station_worker)
    page = client.post(
        reverse("worker_new"), {"name": "赵敏", "level": "assistant", "is_active": "on"}
    )
    worker = Worker.objects.get(name="赵敏")
    assert page["Location"] == reverse("worker_detail", args=[worker.pk])
    client.post(
        reverse("worker_detail", args=[worker.pk]),
        {"date": "2030-05-01", "hours": "3.5", "topic": "社会工作伦理"},
    )
    assert worker.trainings.get().topic == "社会工作伦理"
    assert worker.unit == world.station


def test_district_reviewer_cannot_edit_station_staff(client, world):
    worker = add_worker(world)
    login(client, world.district_reviewer)
    assert client.get(reverse("worker_edit", args=[worker.pk])).status_code == 403
