"""No row is ever lost: rows of the same name, date and place are different activities unless
they are the same in every field; re-uploads add nothing twice; every data row is accounted
for as stored, rejected, an exact repeat or a skipped non-activity row."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shegong.activities import table_import
from shegong.activities.models import Activity, ActivityVersion
from shegong.audit.models import AuditEvent
from tests.activities.test_import import run_cli, xlsx
from tests.factories import make_unit, rolled_back

pytestmark = pytest.mark.django_db

HEADER = ["序号", "活动名称", "参与活动的单位或社会组织名称", "参与人次", "活动开展时间",
          "活动地点", "受益人次", "链接资金（元）"]  # fmt: skip


def table(rows):
    return xlsx([HEADER, *rows])


def plan(data, unit, **kwargs):
    return table_import.plan_import(data, unit=unit, **kwargs)


def stored(unit):
    return list(
        Activity.objects.filter(unit=unit).order_by("id").values_list("name", "participants")
    )


MORNING = [1, "长者健康讲座", "西脑包街道社会工作服务站", 30, "2022-03-20", "宏源社区", 30, 500]
AFTERNOON = [2, "长者健康讲座", "西脑包街道社会工作服务站", 45, "2022-03-20", "宏源社区", 45, 800]


def test_two_sessions_with_the_same_name_date_and_place_are_two_activities(world):
    p = plan(table([MORNING, AFTERNOON]), world.station)
    assert p.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert not p.repeats and not p.skipped
    table_import.apply_plan(p, by=world.station_worker)
    assert stored(world.station) == [("长者健康讲座", 30), ("长者健康讲座", 45)]


def test_the_same_activity_of_two_organisers_is_stored_for_each(world):
    other = [2, *MORNING[1:2], "宏源社区志愿服务队", *MORNING[3:]]
    p = plan(table([MORNING, other]), world.station)
    assert p.counts["new"] == 2 and not p.repeats


def test_an_exact_repeat_is_listed_beside_its_first_row_and_stored_once(world):
    repeat = [3, *MORNING[1:]]  # only the 序号 differs: not a stored field
    p = plan(table([MORNING, AFTERNOON, repeat]), world.station)
    assert p.repeats == [
        {"row": 4, "first": 2, "kept": False, "activity": "长者健康讲座（2022-03-20）"}
    ]
    assert [r.number for r in p.accepted] == [2, 3]
    warning = next(w for w in p.warnings if w["row"] == 4)
    assert "第 2 行完全相同" in warning["message"]
    assert "重复行 1 行只导入一次" in p.message
    assert table_import.apply_plan(p, by=None) == (2, 0)
    assert len(stored(world.station)) == 2


def test_keeping_both_exact_repeats_stores_two_and_a_re_upload_adds_nothing(world):
    data = table([MORNING, [2, *MORNING[1:]]])
    p = plan(data, world.station, choices={"keep": [3]})
    assert [(r["row"], r["first"], r["kept"]) for r in p.repeats] == [(3, 2, True)]
    assert table_import.apply_plan(p, by=None) == (2, 0)
    again = plan(data, world.station, choices={"keep": [3]})
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 2}
    # Keeping one this time: the first matches, the second stored one stays as it is.
    once = plan(data, world.station)
    assert once.counts == {"new": 0, "changed": 0, "unchanged": 1}
    table_import.apply_plan(once, by=None)
    assert len(stored(world.station)) == 2


def test_a_corrected_session_updates_that_session_only_with_a_version_row(world):
    table_import.apply_plan(plan(table([MORNING, AFTERNOON]), world.station), by=None)
    afternoon = Activity.objects.get(participants=45)
    corrected = [MORNING, [*AFTERNOON[:3], 50, *AFTERNOON[4:]]]
    p = plan(table(corrected), world.station)
    assert p.counts == {"new": 0, "changed": 1, "unchanged": 1}
    assert table_import.apply_plan(p, by=world.station_worker) == (0, 1)
    afternoon.refresh_from_db()
    assert (afternoon.participants, afternoon.version) == (50, 2)
    change = ActivityVersion.objects.get(activity=afternoon, version=2)
    assert change.changes == {"参与人次": [45, 50]} and change.by == world.station_worker
    assert sorted(p for _, p in stored(world.station)) == [30, 50]


def test_rows_in_another_order_are_unchanged(world):
    table_import.apply_plan(plan(table([MORNING, AFTERNOON]), world.station), by=None)
    p = plan(table([AFTERNOON, MORNING]), world.station)
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 2}


def test_a_file_that_drops_a_row_deletes_nothing(world):
    table_import.apply_plan(plan(table([MORNING, AFTERNOON]), world.station), by=None)
    p = plan(table([MORNING]), world.station)
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 1}
    table_import.apply_plan(p, by=None)
    assert len(stored(world.station)) == 2


def test_an_activity_changed_since_the_preview_refuses_the_whole_import(world, monkeypatch):
    table_import.apply_plan(plan(table([MORNING]), world.station), by=None)
    p = plan(table([[*MORNING[:3], 31, *MORNING[4:]], AFTERNOON]), world.station)
    assert p.counts == {"new": 1, "changed": 1, "unchanged": 0}
    # Someone else saves the activity after the import checked that nothing changed.
    original = table_import.matching.mark

    def mark_then_edit(*where):
        found = original(*where)
        Activity.objects.filter(participants=30).update(version=5)
        return found

    monkeypatch.setattr(table_import.matching, "mark", mark_then_edit)
    with pytest.raises(ValidationError, match="登记簿在预览之后有了变化"):
        table_import.apply_plan(p, by=None)
    assert stored(world.station) == [("长者健康讲座", 30)]  # the new row was not kept either


def test_one_audit_row_names_the_whole_import(world):
    before = AuditEvent.objects.count()
    table_import.apply_plan(
        plan(table([MORNING, AFTERNOON]), world.station), by=world.station_worker, source="a.xlsx"
    )
    event = AuditEvent.objects.get(action="activities.imported")
    assert AuditEvent.objects.count() == before + 1
    assert event.after["新增"] == 2 and event.after["文件"] == "a.xlsx"
    assert event.after["单位"] == {world.station.code: 2}


def test_the_command_lists_repeats_under_warnings_and_keeps_one(world, tmp_path):
    path = tmp_path / "表.xlsx"
    path.write_bytes(table([MORNING, [2, *MORNING[1:]]]))
    code, out = run_cli(path, "--unit", world.station.code, "--json")
    result = json.loads(out)
    assert code == 0 and len(result["accepted"]) == 1
    assert any(w["row"] == 3 and "第 2 行完全相同" in w["message"] for w in result["warnings"])
    assert len(stored(world.station)) == 1
    code, out = run_cli(path, "--unit", world.station.code, "--keep-repeats")
    assert code == 0 and "新增 1 条" in out
    assert len(stored(world.station)) == 2


# --- cells as stations type them -------------------------------------------------------


def test_approximate_and_abbreviated_money_is_read_with_a_warning(world):
    rows = [[1, "义诊", "某站", "约300人", "2022-03-20", "某社区", "近3000", "5千元"]]
    p = plan(table(rows), world.station)
    (row,) = p.accepted
    assert (row.values["participants"], row.values["beneficiaries"]) == (300, 3000)
    assert row.values["funds"] == Decimal("5000.00")
    approximate = [w for w in p.warnings if "约数" in w["message"]]
    assert {w["column"] for w in approximate} == {"参与人次", "受益人次"}


def test_a_rejected_row_names_the_column_as_attachment_1_does(world):
    header = ["活动\n名称", "活动开展时间", "链接物资\n折价（元）", "受益\n人数"]
    p = plan(xlsx([header, ["义诊", "2022-03-20", "-5", "许多"]]), world.station)
    assert {r["column"] for r in p.rejected} == {"链接物资折价（元）", "受益人次"}
    assert p.rejected[0]["message"]


# --- every row accounted for (property) ---------------------------------------------------

NAMES = ["长者健康讲座", "儿童安全小课堂"]
ORGANISERS = ["西脑包街道社会工作服务站", "宏源社区志愿服务队"]
PLACES = ["宏源社区", "文化广场"]
DAYS = [date(2022, 3, 20), date(2022, 3, 21)]

valid_row = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "org": st.sampled_from(ORGANISERS),
        "day": st.sampled_from(DAYS),
        "place": st.sampled_from(PLACES),
        "participants": st.one_of(st.none(), st.integers(0, 3)),
        "funds": st.one_of(st.none(), st.sampled_from([Decimal("0.50"), Decimal("100.00")])),
    }
)
line = st.one_of(
    valid_row.map(lambda r: ("valid", r)),
    st.just(("repeat", None)),  # the last valid row again, with another 序号
    valid_row.map(lambda r: ("bad", {**r, "participants": "若干"})),
    valid_row.map(lambda r: ("bad", {**r, "name": ""})),
    st.just(("seq", None)),  # a row with only its 序号
    st.just(("blank", None)),
)


def _cells(seq, r):
    return [seq, r["name"], r["org"], r["participants"], r["day"], r["place"], None, r["funds"]]


def _build(lines):
    """The file's bytes, its number of data rows and the rows that must be stored once each
    (the distinct valid rows)."""
    rows, data_rows, distinct, last = [], 0, {}, None
    for i, (kind, r) in enumerate(lines, 1):
        if kind == "repeat":
            kind, r = ("valid", last) if last else ("blank", None)
        if kind == "blank":
            rows.append([None] * len(HEADER))
            continue
        data_rows += 1
        if kind == "seq":
            rows.append([i, *[None] * (len(HEADER) - 1)])
            continue
        rows.append(_cells(i, r))
        if kind == "valid":
            last = r
            distinct[tuple(_cells(0, r))] = r
    # openpyxl drops trailing empty rows: end with a row that is counted (a 合计 line).
    rows.append(["合计"])
    data_rows += 1
    return table(rows), data_rows, list(distinct.values())


EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(lines=st.lists(line, max_size=14))
def test_every_data_row_is_stored_rejected_a_repeat_or_skipped(world, lines):
    data, data_rows, distinct = _build(lines)
    with rolled_back():
        unit = make_unit(world.station, "测试社工室", code="PROPERTY")
        p = plan(data, unit)
        rejected = {r["row"] for r in p.rejected}
        repeats = [r["row"] for r in p.repeats if not r["kept"]]
        accounted = len(p.accepted) + len(rejected) + len(repeats) + len(p.skipped)
        assert accounted == data_rows
        assert not rejected & {r.number for r in p.accepted}
        if p.verdict == "import":
            table_import.apply_plan(p, by=None)
        rows = Activity.objects.filter(unit=unit)
        assert rows.count() == len(distinct) == len(p.accepted)
        participants = sum(r["participants"] or 0 for r in distinct)
        funds = sum((r["funds"] or Decimal(0) for r in distinct), Decimal(0))
        assert sum(a.participants or 0 for a in rows) == participants == p.totals["participants"]
        assert sum((a.funds or 0 for a in rows), Decimal(0)) == funds == p.totals["funds"]


@EXAMPLES
@given(lines=st.lists(line, max_size=14))
def test_importing_a_file_twice_changes_nothing_the_second_time(world, lines):
    data, _, _ = _build(lines)
    with rolled_back():
        unit = make_unit(world.station, "测试社工室", code="PROPERTY")
        first = plan(data, unit)
        if first.verdict == "import":
            table_import.apply_plan(first, by=None)
        before = list(Activity.objects.filter(unit=unit).values_list("id", "version"))
        versions = ActivityVersion.objects.count()
        second = plan(data, unit)
        assert second.counts["new"] == second.counts["changed"] == 0
        if second.verdict == "import":
            assert table_import.apply_plan(second, by=None) == (0, 0)
        assert list(Activity.objects.filter(unit=unit).values_list("id", "version")) == before
        assert ActivityVersion.objects.count() == versions


def test_a_long_table_of_one_identity_is_matched_without_quadratic_work(world):
    """3,000 sessions of one activity on one day at one place (a file without figures that
    tell them apart but their counts): uploaded twice, all unchanged."""
    rows = [[i, "社区活动", "", i, "2022-03-20", "社区", None, None] for i in range(1, 3001)]
    data = table(rows)
    table_import.apply_plan(plan(data, world.station), by=None)
    again = plan(data, world.station)
    assert again.counts == {"new": 0, "changed": 0, "unchanged": 3000}


def test_the_register_totals_follow_an_import(world):
    from shegong.activities import rollups

    table_import.apply_plan(plan(table([MORNING, AFTERNOON]), world.station), by=None)
    assert rollups.stored() == rollups.recomputed()
    corrected = [[*MORNING[:3], 10, *MORNING[4:]], AFTERNOON]
    table_import.apply_plan(plan(table(corrected), world.station), by=None)
    assert rollups.stored() == rollups.recomputed()
    total = rollups.total(world.district.path, date(2022, 3, 1), date(2022, 3, 31))
    assert (total["n"], total["participants"]) == (2, 55)


def test_an_activity_saved_between_preview_and_confirm_is_not_added_twice(world):
    p = plan(table([MORNING]), world.station)
    assert p.counts["new"] == 1
    # Meanwhile the same activity arrives another way (another upload of the same file).
    table_import.apply_plan(plan(table([MORNING]), world.station), by=None)
    assert table_import.apply_plan(p, by=None) == (0, 0)
    assert p.counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert len(stored(world.station)) == 1


EVENING = [3, *MORNING[1:3], 20, *MORNING[4:6], 20, None]
MOVED = [1, *MORNING[1:5], "宏源社区活动室", *MORNING[6:]]


@pytest.mark.parametrize(
    "again, counts",
    [
        ([MORNING, AFTERNOON], (0, 0, 2)),
        ([AFTERNOON, MORNING], (0, 0, 2)),
        ([MORNING, [*AFTERNOON[:3], 50, *AFTERNOON[4:]]], (0, 1, 1)),
        ([MORNING], (0, 0, 1)),
        ([MORNING, AFTERNOON, EVENING], (1, 0, 2)),
        ([MOVED, AFTERNOON], (1, 0, 1)),
    ],
    ids=["same", "reordered", "corrected", "a-row-less", "one-more", "place-changed"],
)
def test_the_examples_of_docs_import_md(world, again, counts):
    table_import.apply_plan(plan(table([MORNING, AFTERNOON]), world.station), by=None)
    p = plan(table(again), world.station)
    assert (p.counts["new"], p.counts["changed"], p.counts["unchanged"]) == counts
    table_import.apply_plan(p, by=None)
    assert Activity.objects.filter(unit=world.station).count() == 2 + counts[0]
