"""The time bank: hours earned per activity, spent on services, reversed, never negative."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shegong.audit.models import AuditEvent
from shegong.volunteers import selectors, services
from shegong.volunteers.models import Entry, EntryKind
from tests.factories import make_activity

from .helpers import make_volunteer


@pytest.fixture
def earned(world):
    volunteer = make_volunteer(world)
    activity = make_activity(world.station)
    signup = services.sign_up(volunteer=volunteer, activity=activity, by=world.station_worker)
    entry = services.record_hours(signup=signup, hours="3.5", by=world.station_worker)
    volunteer.refresh_from_db()
    return volunteer, signup, entry


def test_recording_hours_credits_the_balance_and_is_audited(world, earned):
    volunteer, signup, entry = earned
    assert (entry.kind, entry.delta, entry.balance_after) == (
        "earned",
        Decimal("3.5"),
        Decimal("3.5"),
    )
    assert volunteer.balance == Decimal("3.5")
    signup.refresh_from_db()
    assert signup.hours == Decimal("3.5") and signup.entry == entry
    assert AuditEvent.objects.filter(action="volunteers.hours_earned").count() == 1


def test_hours_of_a_sign_up_are_recorded_once(world, earned):
    _, signup, _ = earned
    with pytest.raises(ValidationError, match="已记录服务时长"):
        services.record_hours(signup=signup, hours="1", by=world.station_worker)


@pytest.mark.parametrize("bad", ["0", "-2", "abc", "1.25", "30"])
def test_it_rejects_hours_that_are_not_a_positive_tenth(world, bad):
    volunteer = make_volunteer(world)
    signup = services.sign_up(
        volunteer=volunteer, activity=make_activity(world.station), by=world.station_worker
    )
    with pytest.raises(ValidationError) as e:
        services.record_hours(signup=signup, hours=bad, by=world.station_worker)
    assert "hours" in e.value.message_dict
    assert not Entry.objects.exists()


def test_spending_more_than_the_balance_is_refused_with_a_clear_message(world, earned):
    volunteer, _, _ = earned
    with pytest.raises(ValidationError, match="余额不能为负数"):
        services.spend_hours(
            volunteer=volunteer, hours="4", note="上门理发", by=world.station_worker
        )
    volunteer.refresh_from_db()
    assert volunteer.balance == Decimal("3.5")
    assert volunteer.entries.count() == 1


def test_spending_debits_the_balance(world, earned):
    volunteer, _, _ = earned
    entry = services.spend_hours(
        volunteer=volunteer, hours="2", note="助餐服务", by=world.station_worker
    )
    volunteer.refresh_from_db()
    assert entry.delta == Decimal("-2.0") and volunteer.balance == Decimal("1.5")


def test_a_reversal_undoes_an_entry_once_and_frees_the_sign_up(world, earned):
    volunteer, signup, entry = earned
    reversal = services.reverse_entry(entry=entry, by=world.station_worker, reason="时长记错")
    volunteer.refresh_from_db()
    assert reversal.kind == EntryKind.REVERSAL and reversal.reverses == entry
    assert reversal.delta == Decimal("-3.5") and volunteer.balance == Decimal("0.0")
    signup.refresh_from_db()
    assert signup.entry is None and signup.hours is None
    with pytest.raises(ValidationError, match="已经冲正过"):
        services.reverse_entry(entry=entry, by=world.station_worker, reason="再冲一次")
    with pytest.raises(ValidationError, match="冲正记录不能再冲正"):
        services.reverse_entry(entry=reversal, by=world.station_worker, reason="撤销冲正")
    # The right hours can be recorded again; the original stays on the statement.
    services.record_hours(signup=signup, hours="2", by=world.station_worker)
    kinds = [e.kind for e in selectors.statement(volunteer)]
    assert kinds == ["earned", "reversal", "earned"]


def test_reversing_earned_hours_already_spent_is_refused(world, earned):
    volunteer, _, entry = earned
    services.spend_hours(volunteer=volunteer, hours="3", note="助浴", by=world.station_worker)
    with pytest.raises(ValidationError, match="余额不能为负数"):
        services.reverse_entry(entry=entry, by=world.station_worker, reason="记错")


def test_the_database_refuses_a_negative_balance_even_past_the_service(world, earned):
    volunteer, _, _ = earned
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            volunteer=volunteer,
            station_path=volunteer.station_path,
            kind=EntryKind.SPENT,
            hours=Decimal("9"),
            delta=Decimal("-9"),
            balance_after=Decimal("-5.5"),
        )


def test_only_the_station_keeps_its_ledger(world, earned):
    volunteer, _, entry = earned
    for outsider in (world.neighbour_worker, world.district_reviewer):
        with pytest.raises(PermissionDenied):
            services.spend_hours(volunteer=volunteer, hours="1", note="x", by=outsider)
        with pytest.raises(PermissionDenied):
            services.reverse_entry(entry=entry, by=outsider, reason="x")


def test_a_volunteer_signs_up_only_to_activities_of_their_station(world):
    volunteer = make_volunteer(world)
    other = make_activity(world.neighbour)
    with pytest.raises(ValidationError, match="只能报名本站"):
        services.sign_up(volunteer=volunteer, activity=other, by=world.station_worker)
    activity = make_activity(world.station)
    services.sign_up(volunteer=volunteer, activity=activity, by=world.station_worker)
    with pytest.raises(ValidationError, match="已报名"):
        services.sign_up(volunteer=volunteer, activity=activity, by=world.station_worker)


def test_it_rejects_a_volunteer_phone_that_is_not_a_mobile(world):
    with pytest.raises(ValidationError) as e:
        make_volunteer(world, phone="12345")
    assert "11 位" in e.value.message_dict["phone"][0]


def test_figures_count_volunteers_teams_and_net_hours_in_range(world, earned):
    volunteer, _, entry = earned
    services.save_team(station=world.station, by=world.station_worker, data={"name": "助老服务队"})
    services.reverse_entry(entry=entry, by=world.station_worker, reason="记错")
    signup2 = services.sign_up(
        volunteer=volunteer,
        activity=make_activity(world.station, name="另一场活动"),
        by=world.station_worker,
    )
    services.record_hours(signup=signup2, hours="2", by=world.station_worker)
    today = date.today()
    got = selectors.figures(world.district.path, today, today)
    assert got["volunteers"] == 1 and got["teams"] == 1
    assert got["hours_earned"] == Decimal("2.0")
    assert set(got) == set(selectors.LABELS)
    assert selectors.figures(world.neighbour.path, today, today)["volunteers"] == 0
    assert selectors.public_figures(world.station) == {
        "volunteers": 1,
        "hours_served": Decimal("2.0"),
    }


def test_due_items_remind_the_station_of_tomorrows_activity_with_volunteers(world):
    from datetime import timedelta

    volunteer = make_volunteer(world)
    tomorrow = date.today() + timedelta(days=1)
    activity = make_activity(world.station, date_start=tomorrow, date_end=tomorrow)
    assert selectors.due_items(world.station_worker, date.today()) == []
    services.sign_up(volunteer=volunteer, activity=activity, by=world.station_worker)
    items = selectors.due_items(world.station_worker, date.today())
    assert [(i["kind"], i["due"]) for i in items] == [("志愿服务", tomorrow)]
    assert f"/volunteers/activities/{activity.pk}/" == items[0]["url"]
    assert selectors.due_items(world.neighbour_worker, date.today()) == []
