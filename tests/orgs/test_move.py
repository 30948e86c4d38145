"""Moving a unit moves its subtree, keeps history, and is audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.audit.models import AuditEvent
from shegong.orgs import services
from shegong.orgs.models import OrgUnit, OrgUnitMove
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_moving_a_station_moves_its_rooms_with_it(world):
    services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="区划调整"
    )
    station = OrgUnit.objects.get(pk=world.station.pk)
    room = OrgUnit.objects.get(pk=world.room.pk)
    assert station.parent == world.township2
    assert station.path.startswith(world.township2.path)
    assert room.path.startswith(station.path)
    assert room.depth == station.depth + 1
    assert set(OrgUnit.objects.filter(station.subtree_q())) == {station, room}


def test_move_keeps_a_history_row_and_an_audit_event(world):
    old_path = world.station.path
    services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="区划调整"
    )
    move = OrgUnitMove.objects.get(unit=world.station)
    assert (move.old_parent, move.new_parent, move.old_path) == (
        world.township,
        world.township2,
        old_path,
    )
    event = AuditEvent.objects.get(action="orgs.unit_moved")
    assert event.before["path"] == old_path
    assert event.after["reason"] == "区划调整"


def test_after_a_move_the_old_parent_no_longer_sees_the_unit(world):
    from shegong.orgs import selectors
    from tests.factories import make_user

    township_viewer = make_user("tv", world.township, "viewer")
    services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="调整"
    )
    visible = set(selectors.units_visible_to(township_viewer))
    assert OrgUnit.objects.get(pk=world.station.pk) not in visible


def test_a_unit_cannot_move_under_its_own_subtree(world):
    with pytest.raises(ValidationError) as e:
        services.move_unit(
            unit=world.township, new_parent=world.room, by=world.district_admin, reason="错误"
        )
    assert "下级单位" in str(e.value)


def test_a_move_needs_a_reason(world):
    with pytest.raises(ValidationError) as e:
        services.move_unit(
            unit=world.station, new_parent=world.township2, by=world.district_admin, reason=" "
        )
    assert "原因" in str(e.value)


def test_a_station_admin_cannot_move_their_station_out_of_the_district(world):
    with pytest.raises(PermissionDenied):
        services.move_unit(
            unit=world.station, new_parent=world.township2, by=world.station_admin, reason="想调"
        )


def test_move_page_moves_the_unit_for_the_district_admin(client, world):
    login(client, world.district_admin)
    response = client.post(
        f"/orgs/{world.station.code}/move/",
        {"new_parent": world.township2.code, "reason": "街道合并"},
    )
    assert response.status_code == 302
    assert OrgUnit.objects.get(pk=world.station.pk).parent == world.township2
    page = client.get(f"/orgs/{world.station.code}/").content.decode()
    assert "街道合并" in page


def test_manzhouli_reports_to_the_region_not_to_its_division_parent(world):
    assert world.manzhouli.parent == world.region
    assert world.manzhouli.depth == world.city.depth


def test_a_stale_copy_cannot_undo_a_move(world):
    stale = OrgUnit.objects.get(pk=world.station.pk)
    services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="调整"
    )
    services.update_unit(unit=stale, data={"contact_person": "赵敏"}, by=world.district_admin)
    fresh = OrgUnit.objects.get(pk=world.station.pk)
    assert fresh.parent == world.township2
    assert fresh.path.startswith(world.township2.path)
    assert fresh.contact_person == "赵敏"


def test_a_child_created_under_a_stale_parent_copy_lands_in_the_real_subtree(world):
    stale_room_parent = OrgUnit.objects.get(pk=world.station.pk)
    services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="调整"
    )
    room = services.create_unit(
        parent=stale_room_parent, code="R-NEW", name="新社工室", kind="room", by=None
    )
    assert room.path.startswith(OrgUnit.objects.get(pk=world.station.pk).path)
