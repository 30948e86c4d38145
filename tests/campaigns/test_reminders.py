"""send-reminders: 24 h and 2 h before a cutoff to units that have not delivered, the late
list to the issuer after it; never the same reminder twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from shegong.campaigns import services
from shegong.campaigns.models import ExpectedReporter, Notification, ReminderLog
from shegong.campaigns.reminders import send_reminders
from tests.factories import at, make_notice, make_user

# E-mails leave on commit. The reference lists an emptied database lacks are put back by
# tests/conftest.py (serialized_rollback would reload content types the flush kept).
pytestmark = pytest.mark.django_db(transaction=True)

CUTOFF = at(2030, 3, 22, 17)


@pytest.fixture
def setup(world):
    people = {
        "city": make_user("city_filler", world.city, "filler", email="city@example.cn"),
        "mzl": make_user("mzl_filler", world.manzhouli, "filler", email="mzl@example.cn"),
    }
    notice = make_notice(
        world.region, "内民政慈社〔2030〕9号", units=[world.city, world.manzhouli], issue=True
    )
    return notice, notice.periods.get(), people


def _texts(user):
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_nothing_is_sent_two_days_before(setup):
    assert send_reminders(CUTOFF - timedelta(hours=48)).reminders == 0


def test_24h_reminder_goes_to_each_unit_that_has_not_delivered(setup):
    _notice, _period, people = setup
    sent = send_reminders(CUTOFF - timedelta(hours=20))
    assert sent.reminders == 2
    assert any("2030年3月22日（星期五）17:00截止" in t for t in _texts(people["city"]))
    assert sorted(m.to[0] for m in mail.outbox) == ["city@example.cn", "mzl@example.cn"]


def test_a_second_run_sends_nothing_again(setup):
    send_reminders(CUTOFF - timedelta(hours=20))
    mail.outbox.clear()
    again = send_reminders(CUTOFF - timedelta(hours=19))
    assert again.reminders == 0
    assert mail.outbox == []
    assert ReminderLog.objects.count() == 2


def test_units_that_delivered_or_were_excused_get_no_reminder(setup, world):
    _notice, period, people = setup
    services.mark_delivered(period=period, unit=world.city, at=CUTOFF - timedelta(days=1))
    row = ExpectedReporter.objects.get(period=period, unit=world.manzhouli)
    services.excuse_expected(expected=row, reason="免报", by=None)
    assert send_reminders(CUTOFF - timedelta(hours=20)).reminders == 0
    assert _texts(people["city"]) == [] and _texts(people["mzl"]) == []


def test_the_2h_reminder_is_a_second_distinct_reminder(setup):
    send_reminders(CUTOFF - timedelta(hours=20))
    sent = send_reminders(CUTOFF - timedelta(minutes=90))
    assert sent.reminders == 2
    assert sorted(ReminderLog.objects.values_list("kind", flat=True)) == ["24h", "24h", "2h", "2h"]


def test_after_the_cutoff_the_issuer_gets_one_late_list(setup, world):
    _notice, period, _people = setup
    services.mark_delivered(period=period, unit=world.city, at=CUTOFF - timedelta(hours=1))
    sent = send_reminders(CUTOFF + timedelta(minutes=10))
    assert sent.late_lists == 1 and sent.reminders == 0
    late = _texts(world.region_admin)
    assert any("1 个单位未报送：满洲里市民政局" in t for t in late)
    assert not any("包头市民政局" in t for t in late if "未报送" in t)
    assert send_reminders(CUTOFF + timedelta(hours=2)).late_lists == 0


def test_old_cutoffs_do_not_flood_a_new_installation(setup):
    assert send_reminders(CUTOFF + timedelta(days=10)).late_lists == 0


def test_the_command_reports_what_it_sent(setup, capsys):
    import time_machine

    with time_machine.travel(CUTOFF - timedelta(hours=3)):
        call_command("send_reminders")
    assert "已发送提醒 2 条" in capsys.readouterr().out


def test_the_bell_counts_unread_notifications(client, setup):
    notice, _period, people = setup
    send_reminders(CUTOFF - timedelta(hours=20))
    client.force_login(people["city"])
    body = client.get("/").content.decode()
    assert 'data-testid="unread-count">1<' in body
    item = Notification.objects.get(user=people["city"])
    assert client.get(f"/notifications/{item.pk}/")["Location"] == f"/notices/{notice.pk}/"
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
