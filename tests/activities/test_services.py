"""The register's rules: field errors in Chinese, warnings that do not block, a version
row for every change, soft delete, locks."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.activities import services
from shegong.activities.models import Activity, ActivityVersion
from shegong.audit.models import AuditEvent
from tests.factories import activity_data, make_activity, make_notice

pytestmark = pytest.mark.django_db


def _errors(**overrides):
    with pytest.raises(ValidationError) as e:
        make_activity(pytest.world.station, **overrides)
    return e.value.message_dict


@pytest.fixture(autouse=True)
def _world(world):
    pytest.world = world


def test_a_valid_activity_is_stored_with_its_domains_and_linkage(world):
    a = make_activity(world.station, by=world.station_worker)
    assert a.org_path == world.station.path
    assert a.domain_mask == 1
    assert a.linkage_labels() == ["社区", "社会工作者", "社区志愿者"]
    assert a.funds == Decimal("1200.00") and a.activity_type.code == "community"
    assert a.warnings == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写“活动名称”"),
        ({"date_start": None}, "date_start", "请填写“活动开展时间”"),
        ({"date_end": date(2030, 3, 1)}, "date_end", "结束日期不能早于开始日期"),
        ({"participants": -1}, "participants", "“参与人次”不能为负数"),
        ({"beneficiaries": 1.5}, "beneficiaries", "“受益人次”须为整数"),
        ({"funds": Decimal("-3")}, "funds", "“链接资金（元）”不能为负数"),
        ({"inkind": Decimal("1.234")}, "inkind", "最多保留两位小数"),
        ({"funds": "一千元"}, "funds", "须为金额"),
        ({"activity_type": "茶话会"}, "activity_type", "不是有效的活动形式"),
        ({"linkage": ["居委会"]}, "linkage", "不是五社联动中的一方"),
        ({"name": "名" * 201}, "name", "最多 200 个字"),
        ({"mode": "mail"}, "mode", "请选择线上、线下"),
    ],
)
def test_each_rule_gives_a_chinese_error_on_its_field(overrides, field, message):
    errors = _errors(**overrides)
    assert any(message in m for m in errors[field]), errors


def test_nothing_is_stored_when_a_field_is_wrong(world):
    with pytest.raises(ValidationError):
        make_activity(world.station, participants=-5)
    assert not Activity.objects.exists()
    assert not AuditEvent.objects.filter(action="activities.recorded").exists()


def test_warnings_do_not_block(world):
    notice = make_notice(world.region, "内民政慈社〔2030〕1号", units=[world.city], issue=True)
    a = make_activity(
        world.station,
        notice=notice,
        date_start=date(2030, 5, 1),
        date_end=date(2030, 5, 1),
        participants=2,
        beneficiaries=500,
        funds=Decimal("2000000"),
        domains=["老年人", "退役军人"],
    )
    messages = " ".join(m for _, m in a.warnings)
    assert "不在通知规定的时间（3月17日至3月31日）内" in messages
    assert "100 倍以上" in messages
    assert "超过 100 万元" in messages
    assert "“退役军人”不在列表中，已记为“其他”" in messages
    assert a.other_domains == "退役军人" and a.domain_mask == 1


def test_a_date_inside_a_quota_of_the_notice_is_not_warned(world):
    # 南川's window ends 3月31日 but its 千场活动 quota runs to 5月31日.
    quota = {
        "metric": "community",
        "target": 3,
        "start_date": date(2030, 3, 21),
        "end_date": date(2030, 5, 31),
        "kinds": ["station"],
    }
    notice = make_notice(
        world.district, "东民发〔2030〕5号", units=[world.township], quotas=[quota]
    )
    a = make_activity(world.station, notice=notice, date_start=date(2030, 4, 28), date_end=None)
    assert a.warnings == []
    late = make_activity(world.station, notice=notice, date_start=date(2030, 6, 2), date_end=None)
    assert "3月17日至5月31日" in late.warnings[0][1]


def test_aliases_of_domains_are_understood(world):
    a = make_activity(world.station, domains=["长者", "一小", "困难家庭"])
    from shegong.activities.validation import domain_names

    assert domain_names(a.domain_mask) == ["老年人", "儿童青少年", "困难群体"]


def test_an_update_writes_a_version_row_with_old_and_new(world):
    a = make_activity(world.station, by=world.station_worker)
    services.update_activity(
        activity=a,
        data=activity_data(participants=60, place="西脑包街道文化站"),
        by=world.station_worker,
    )
    a.refresh_from_db()
    assert a.version == 2
    change = ActivityVersion.objects.get(activity=a, version=2)
    assert change.by == world.station_worker and change.action == "updated"
    assert change.changes == {
        "参与人次": [45, 60],
        "活动地点": ["宏源社区党群服务中心", "西脑包街道文化站"],
    }
    event = AuditEvent.objects.get(action="activities.updated")
    assert event.before == {"参与人次": 45, "活动地点": "宏源社区党群服务中心"}


def test_an_update_without_changes_writes_nothing(world):
    a = make_activity(world.station)
    services.update_activity(activity=a, data=activity_data(), by=None)
    assert ActivityVersion.objects.filter(activity=a).count() == 1


def test_delete_hides_but_keeps_the_row_and_its_history(client, world):
    a = make_activity(world.station, by=world.station_worker)
    services.delete_activity(activity=a, by=world.station_worker, reason="重复登记")
    a.refresh_from_db()
    assert a.deleted_at is not None
    client.force_login(world.station_worker)
    assert a.name not in client.get("/activities/").content.decode()
    page = client.get(f"/activities/{a.pk}/").content.decode()
    assert "已删除" in page and "重复登记" in page


def test_a_locked_activity_rejects_edits_with_a_clear_message(world):
    a = make_activity(world.station)
    services.lock_activities(
        queryset=Activity.objects.filter(pk=a.pk),
        by=world.district_reviewer,
        reason="第1批次审核通过",
    )
    with pytest.raises(ValidationError) as e:
        services.update_activity(activity=a, data=activity_data(participants=1), by=None)
    assert "已审核通过，已锁定" in e.value.messages[0]
    with pytest.raises(ValidationError):
        services.delete_activity(activity=a, by=None)


def test_a_reviewer_above_unlocks_with_a_reason_and_it_is_audited(world):
    a = make_activity(world.station)
    services.lock_activities(queryset=Activity.objects.filter(pk=a.pk), by=None, reason="通过")
    with pytest.raises(PermissionDenied):
        services.unlock_activity(activity=a, by=world.station_worker, reason="想改")
    with pytest.raises(ValidationError):
        services.unlock_activity(activity=a, by=world.district_reviewer, reason="")
    services.unlock_activity(activity=a, by=world.district_reviewer, reason="人次填错，退回更正")
    services.update_activity(activity=a, data=activity_data(participants=50), by=None)
    assert AuditEvent.objects.filter(action="activities.unlocked").exists()
    assert list(a.versions.values_list("action", flat=True)) == [
        "created",
        "locked",
        "unlocked",
        "updated",
    ]


def test_only_the_units_own_filler_or_admin_records(world):
    with pytest.raises(PermissionDenied):
        make_activity(world.station, by=world.district_reviewer)
    with pytest.raises(PermissionDenied):
        make_activity(world.station, by=world.neighbour_worker)
    with pytest.raises(PermissionDenied):
        make_activity(world.room, by=world.station_worker)  # a filler reaches its own unit only


def test_a_unit_move_moves_the_path_on_its_activities(world):
    from shegong.orgs import services as org_services

    a = make_activity(world.room)
    org_services.move_unit(
        unit=world.station, new_parent=world.township2, by=world.district_admin, reason="调整"
    )
    a.refresh_from_db()
    world.room.refresh_from_db()
    assert a.org_path == world.room.path
