"""The tree stamp (orgs.stamp): the database changes it with every write to a unit or a
membership, however written, and what is cached under it (who may see what, the children
lists) follows every such write at once."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, transaction

from shegong.orgs import selectors, services, stamp
from shegong.orgs.models import Kind, Membership, OrgUnit, Role
from tests.conftest import login
from tests.factories import make_notice, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_all_six_triggers_are_installed_and_put_back_after_every_migrate():
    assert len(stamp.installed(connection)) == 6
    stamp.uninstall(connection)  # as SQLite does when a migration remakes a table
    assert stamp.installed(connection) == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert len(stamp.installed(connection)) == 6


def _changes(write):
    before = stamp.read()
    write()
    after = stamp.read()
    assert after != before
    return after


def test_every_kind_of_write_changes_the_stamp(world):
    _changes(lambda: make_unit(world.district, "新街道", Kind.TOWNSHIP))
    _changes(lambda: services.update_unit(unit=world.station, data={"name": "新名字"}, by=None))
    _changes(lambda: OrgUnit.objects.filter(pk=world.room.pk).update(is_active=False))
    _changes(
        lambda: OrgUnit.objects.bulk_create(
            [OrgUnit(code="BULK1", name="批量", kind=Kind.ROOM, path="9999", depth=1)]
        )
    )
    _changes(lambda: OrgUnit.objects.filter(code="BULK1").delete())
    user = make_user()
    _changes(lambda: Membership.objects.create(user=user, unit=world.station, role=Role.FILLER))
    _changes(lambda: Membership.objects.filter(user=user).update(role=Role.REVIEWER))
    _changes(lambda: Membership.objects.filter(user=user).delete())

    def plain_sql():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE orgs_orgunit SET name = %s WHERE code = %s", ["改", "MCA"])

    _changes(plain_sql)


def test_a_rolled_back_write_leaves_no_stamp_for_the_next_write_to_reuse(world):
    start = stamp.read()
    seen = []
    with pytest.raises(RuntimeError), transaction.atomic():
        make_unit(world.district, "撤回的街道", Kind.TOWNSHIP)
        seen.append(stamp.read())
        raise RuntimeError
    assert stamp.read() == start
    make_unit(world.district, "另一个街道", Kind.TOWNSHIP)
    assert stamp.read() not in {start, *seen}


def test_a_revoked_role_stops_the_next_request_although_the_memberships_were_cached(world, client):
    login(client, world.district_reviewer)
    assert client.get("/orgs/150202000000/").status_code == 200  # cached now
    Membership.objects.filter(user=world.district_reviewer).delete()
    assert client.get("/orgs/150202000000/").status_code == 404


def test_a_membership_moved_by_a_bulk_update_moves_what_the_user_sees(world, client):
    login(client, world.station_worker)
    assert client.get("/orgs/S150202003/").status_code == 200
    assert client.get("/orgs/S150202001/").status_code == 404
    Membership.objects.filter(user=world.station_worker).update(unit=world.neighbour)
    assert client.get("/orgs/S150202003/").status_code == 404
    assert client.get("/orgs/S150202001/").status_code == 200


def test_a_deactivated_unit_takes_its_members_access_with_it(world, client):
    login(client, world.station_worker)
    assert client.get("/orgs/S150202003/").status_code == 200
    services.update_unit(unit=world.station, data={"is_active": False}, by=None)
    assert client.get("/orgs/S150202003/").status_code == 404


def test_children_follow_a_new_unit_a_rename_and_a_move(world, client):
    notice = make_notice(world.district, "东民发〔2030〕8号", units=[world.station], issue=True)
    login(client, world.district_reviewer)

    def children():
        r = client.get("/api/statistics/150202000000", {"notice": notice.pk})
        assert r.status_code == 200, r.content
        return {c["unit"]: c["unit_name"] for c in r.json()["children"]}

    assert children() == {"150202003000": "西脑包街道", "150202001000": "和平路街道"}
    new = make_unit(world.district, "东站街道", Kind.TOWNSHIP, code="150202004000")
    services.update_unit(unit=world.township2, data={"name": "和平路街道（新）"}, by=None)
    assert children() == {
        "150202003000": "西脑包街道",
        "150202001000": "和平路街道（新）",
        "150202004000": "东站街道",
    }
    services.move_unit(unit=new, new_parent=world.city, by=None, reason="区划调整")
    assert set(children()) == {"150202003000", "150202001000"}


def test_children_of_shows_nothing_to_someone_who_cannot_see_the_unit(world):
    assert selectors.children_of(world.district_reviewer, world.district)
    assert selectors.children_of(world.neighbour_worker, world.district) == []
