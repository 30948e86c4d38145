"""The summary rows stay equal to a recompute from the raw register after any sequence of
writes (a hypothesis state machine), and the figures read from them match raw totals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from shegong.activities import rollups, services
from shegong.activities.models import Activity, Summary
from shegong.orgs import services as org_services
from shegong.orgs import tree
from tests.factories import activity_data, make_activity

pytestmark = pytest.mark.django_db

DOMAINS = ["老年人", "残疾人", "妇女", "儿童青少年", "困难群体"]
TYPES = ["community", "media", "venue", "incentive", ""]
LINKS = ["社区", "社会组织", "社会工作者", "社区志愿者", "社会慈善资源"]
MONEY = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False)
COUNT = st.one_of(st.none(), st.integers(0, 5000))


@st.composite
def activities(draw):
    start = date(2030, 3, 1) + timedelta(days=draw(st.integers(0, 20)))
    return activity_data(
        date_start=start,
        date_end=start + timedelta(days=draw(st.integers(0, 3))),
        participants=draw(COUNT),
        beneficiaries=draw(COUNT),
        funds=draw(st.one_of(st.none(), MONEY)),
        inkind=draw(st.one_of(st.none(), MONEY)),
        domains=draw(st.lists(st.sampled_from(DOMAINS), unique=True, max_size=3)),
        activity_type=draw(st.sampled_from(TYPES)),
        linkage=draw(st.lists(st.sampled_from(LINKS), unique=True, max_size=5)),
    )


def raw_totals(path, start=None, end=None):
    rows = Activity.objects.filter(tree.subtree(path, "org_path"), deleted_at=None)
    if start:
        rows = rows.filter(date_start__gte=start, date_start__lte=end)
    return rows.aggregate(
        n=Count("id"), p=Sum("participants"), b=Sum("beneficiaries"), f=Sum("funds")
    )


def test_summaries_follow_every_write_and_agree_with_a_recompute(world):
    a = make_activity(world.station)
    b = make_activity(world.room, participants=10, domains=["老年人", "妇女"])
    services.update_activity(
        activity=a, data=activity_data(participants=7, domains=["儿童青少年"]), by=None
    )
    services.delete_activity(activity=b, by=None)
    assert rollups.stored() == rollups.recomputed()
    district = rollups.figures(world.district.path)
    assert district.totals["n"] == 1
    assert district.totals["participants"] == 7
    assert set(district.by_domain) == {3}  # 儿童青少年 is bit 3
    assert not Summary.objects.filter(n=0).exists()


def test_rebuild_gives_the_same_rows_as_the_services(world):
    for unit in (world.station, world.room, world.neighbour, world.manzhouli):
        make_activity(unit, funds=Decimal("0.10"), inkind=Decimal("0.20"))
    kept = rollups.stored()
    assert kept
    Summary.objects.all().delete()
    call_command("rebuild_summaries", verbosity=0)
    assert rollups.stored() == kept


def test_check_flag_reports_drift(world, capsys):
    make_activity(world.station)
    Summary.objects.filter(dim=rollups.ALL).update(n=99)
    with pytest.raises(SystemExit):
        call_command("rebuild_summaries", check=True)
    assert "不一致" in capsys.readouterr().err


def test_figures_from_summaries_equal_raw_totals_at_every_level(world):
    make_activity(world.station, participants=30, funds=Decimal("100.50"))
    make_activity(
        world.room, participants=12, date_start=date(2030, 3, 25), date_end=date(2030, 3, 25)
    )
    make_activity(world.neighbour, participants=5)
    make_activity(world.manzhouli, participants=8)
    for unit in (world.ministry, world.region, world.city, world.district, world.station):
        got = rollups.figures(unit.path).money()
        raw = raw_totals(unit.path)
        assert got["n"] == raw["n"], unit
        assert got["participants"] == (raw["p"] or 0), unit
        assert got["funds"] == (raw["f"] or 0), unit
    span = rollups.figures(world.region.path, date(2030, 3, 24), date(2030, 3, 31))
    assert span.totals["n"] == 1


def test_weekly_and_daily_rows_add_up_to_any_span(world):
    """Dashboards read whole ISO weeks from weekly rows and the days at the ends from daily
    rows: for every span, open or not, the totals equal those of the raw activities."""
    first = date(2030, 3, 3)  # a Sunday: four weeks and a bit, every third day
    for i in range(11):
        day = first + timedelta(days=3 * i)
        unit = (world.station, world.room, world.manzhouli)[i % 3]
        make_activity(
            unit,
            participants=i + 1,
            date_start=day,
            date_end=day,
            domains=[DOMAINS[i % 3]],
            activity_type=TYPES[i % 4],
        )
    days = [None] + [first + timedelta(days=d) for d in range(-1, 33, 2)]
    children = [world.city.path, world.manzhouli.path]
    for start in days:
        for end in days:
            if start and end and end < start:
                continue
            got = rollups.figures(world.region.path, start, end)
            raw = Activity.objects.filter(tree.subtree(world.region.path, "org_path"))
            raw = raw.filter(rollups._span(start, end, "date_start"))
            want = rollups.Figures()
            for group in rollups.raw_groups(raw):
                for dim, key in rollups.buckets(group):
                    want.feed(dim, key, group.day, group.measures)
            span = (start, end)
            assert got.totals == want.totals, span
            assert dict(got.by_domain) == dict(want.by_domain), span
            assert dict(got.by_form) == dict(want.by_form), span
            split = rollups.by_child(world.region.path, children, start, end)
            assert sum(split[p]["n"] for p in children) == want.totals["n"], span
            assert rollups.total(world.region.path, start, end)["n"] == want.totals["n"], span


def test_by_child_splits_a_subtree_into_its_children_and_own_rows(world):
    make_activity(world.station, participants=30)
    make_activity(world.neighbour, participants=5)
    make_activity(world.district, participants=1)
    children = [world.township.path, world.township2.path]
    split = rollups.by_child(world.district.path, children)
    assert split[world.township.path]["participants"] == 30
    assert split[world.township2.path]["participants"] == 5
    assert split[world.district.path]["participants"] == 1
    region = rollups.by_child(world.region.path, [world.city.path, world.manzhouli.path])
    assert region[world.city.path]["n"] == 3


def test_a_moved_unit_takes_its_totals_to_the_new_parent(world):
    make_activity(world.station, participants=30)
    org_services.move_unit(
        unit=world.township, new_parent=world.manzhouli, by=None, reason="区划调整"
    )
    world.manzhouli.refresh_from_db()
    assert rollups.figures(world.manzhouli.path).totals["participants"] == 30
    assert rollups.figures(world.city.path).totals["n"] == 0
    assert rollups.stored() == rollups.recomputed()


class RegisterMachine(RuleBasedStateMachine):
    """Random writes through the services; after each, summaries == recompute."""

    world = None

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        w = self.world
        self.units = [w.station, w.room, w.neighbour, w.district, w.manzhouli, w.city]
        for unit in [*self.units, w.township]:
            unit.refresh_from_db()  # the previous example's moves were rolled back
        self.ids = []

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @rule(unit=st.integers(0, 5), data=activities())
    def record(self, unit, data):
        self.ids.append(services.record_activity(unit=self.units[unit], data=data, by=None).pk)

    @rule(unit=st.integers(0, 5), rows=st.lists(activities(), min_size=1, max_size=4))
    def record_many(self, unit, rows):
        made = services.record_activities(unit=self.units[unit], rows=rows, by=None)
        self.ids += [a.pk for a in made]

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 10**6), data=activities())
    def update(self, pick, data):
        activity = Activity.objects.get(pk=self.ids[pick % len(self.ids)])
        if activity.deleted_at is None:
            services.update_activity(activity=activity, data=data, by=None)

    @precondition(lambda self: self.ids)
    @rule(pick=st.integers(0, 10**6))
    def delete(self, pick):
        activity = Activity.objects.get(pk=self.ids[pick % len(self.ids)])
        if activity.deleted_at is None:
            services.delete_activity(activity=activity, by=None)

    @rule(there=st.booleans())
    def move(self, there):
        w = self.world
        township = type(w.township).objects.get(pk=w.township.pk)
        target = w.manzhouli if there else w.district
        target.refresh_from_db()
        if township.parent_id != target.pk:
            org_services.move_unit(unit=township, new_parent=target, by=None, reason="调整")
        for unit in self.units:
            unit.refresh_from_db()

    @invariant()
    def summaries_equal_recompute(self):
        assert rollups.stored() == rollups.recomputed()


@pytest.mark.parametrize("depth", [3, 1])
def test_summaries_equal_recompute_after_any_writes(world, settings, depth):
    settings.ROLLUP_DEPTH = depth
    RegisterMachine.world = world
    runner = RegisterMachine.TestCase
    runner.settings = settings_for_machine()
    runner().runTest()


def settings_for_machine():
    return settings(
        max_examples=15,
        stateful_step_count=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.parametrize(
    "query, from_summaries",
    [
        ("", True),
        ("?date_from=2030-03-05&date_to=2030-03-15", True),
        ("?domain=0", True),
        ("?activity_type=community", True),
        ("?unit=150202003000", False),  # a township: below ROLLUP_DEPTH
        ("?q=助老", False),
        ("?domain=0&activity_type=media", False),
    ],
)
def test_register_totals_line_is_the_same_from_summaries_and_raw_rows(
    world, client, query, from_summaries
):
    from shegong.activities import selectors

    for i, unit in enumerate([world.station, world.room, world.neighbour, world.district] * 3):
        day = date(2030, 3, 1 + i)
        make_activity(
            unit,
            name="助老服务" if i % 2 else "儿童活动",
            participants=i * 3,
            domains=["老年人"] if i % 3 else ["儿童青少年"],
            activity_type="community" if i % 2 else "media",
            date_start=day,
            date_end=day,
        )
    client.force_login(world.district_reviewer)
    response = client.get("/activities/" + query)
    shown = response.context["totals"]
    listed = response.context["page"].paginator.object_list
    assert hasattr(listed, "rows") == from_summaries
    raw = selectors.totals(Activity.objects.filter(pk__in=list(getattr(listed, "rows", listed))))
    assert response.context["page"].paginator.count == raw["n"] > 0
    assert shown["n"] == raw["n"]
    assert (shown["participants"] or 0) == (raw["participants"] or 0)
    assert (shown["funds"] or 0) == (raw["funds"] or 0)


@pytest.mark.parametrize("query", ["", "?domain=0", "?date_from=2030-03-03&activity_type=media"])
def test_large_subtree_pages_list_the_same_rows_as_the_sorted_path(world, client, query):
    for i, unit in enumerate([world.station, world.room, world.neighbour, world.manzhouli] * 20):
        day = date(2030, 3, 1 + i % 9)
        make_activity(
            unit,
            domains=["老年人"] if i % 3 else ["儿童青少年"],
            activity_type="community" if i % 2 else "media",
            date_start=day,
            date_end=day,
        )
    client.force_login(world.district_reviewer)
    first = client.get("/activities/" + query)
    sorted_ids = [a.pk for a in first.context["activities"]]
    assert first.context["page"].paginator.num_pages >= 2
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rollups, "LARGE_MIN", 0)
        patch.setattr(rollups, "LARGE_SHARE", 0.0)
        response = client.get("/activities/" + query)
        assert "||" in str(response.context["page"].paginator.object_list.rows.query)
        walked_ids = [a.pk for a in response.context["activities"]]
        second = client.get("/activities/" + query + ("&" if query else "?") + "page=2")
    assert walked_ids == sorted_ids and walked_ids
    assert not set(walked_ids) & {a.pk for a in second.context["activities"]}
