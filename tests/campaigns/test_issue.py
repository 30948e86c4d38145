"""Issuing delivers to inboxes and freezes expected reporters; addressees sign and re-issue;
nobody outside the chain sees the notice."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shegong.audit.models import AuditEvent
from shegong.campaigns import services
from shegong.campaigns.diff import notice_diff
from shegong.campaigns.models import ExpectedReporter, Notice, NoticeRecipient, Notification
from shegong.orgs import services as org_services
from shegong.orgs.models import Kind
from tests.conftest import login
from tests.factories import make_notice, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world):
    notice = make_notice(world.region, "内民政慈社〔2030〕3号", units=[world.city, world.manzhouli])
    services.issue_notice(notice=notice, by=world.region_admin)
    notice.refresh_from_db()
    return notice


def test_issuing_puts_the_notice_in_every_addressees_inbox(client, world):
    city_admin = make_user("city_admin", world.city, "admin")
    issued = make_notice(world.region, "内民政慈社〔2030〕3号", units=[world.city, world.manzhouli])
    services.issue_notice(notice=issued, by=world.region_admin)
    assert set(issued.recipients.values_list("unit__code", flat=True)) == {
        world.city.code,
        world.manzhouli.code,
    }
    login(client, city_admin)
    body = client.get("/notices/").content.decode()
    assert issued.title in body and "待签收" in body
    assert Notification.objects.filter(user=city_admin, text__contains="请签收").exists()
    assert AuditEvent.objects.filter(action="campaigns.notice_issued").exists()


def test_only_the_issuers_admin_issues(world):
    notice = make_notice(world.region, "内民政慈社〔2030〕4号", units=[world.city])
    for user in (world.region_clerk, world.district_admin):
        with pytest.raises(PermissionDenied):
            services.issue_notice(notice=notice, by=user)
    assert Notice.objects.get(pk=notice.pk).is_draft


def test_a_kind_rule_reaches_every_unit_of_that_kind_below_the_issuer(world):
    other_city = make_unit(world.region, "呼和浩特市民政局", Kind.PREFECTURE)
    notice = make_notice(
        world.region, "内民政慈社〔2030〕5号", kinds=[Kind.PREFECTURE], units=[world.manzhouli]
    )
    services.issue_notice(notice=notice, by=world.region_admin)
    assert set(notice.recipients.values_list("unit", flat=True)) == {
        world.city.pk,
        other_city.pk,
        world.manzhouli.pk,
    }


def test_addressees_must_be_below_the_issuer(world):
    with pytest.raises(ValidationError):
        make_notice(world.district, "东民发〔2030〕1号", units=[world.city])


def test_a_station_cannot_see_a_notice_not_addressed_to_its_chain(client, world, issued):
    other = make_notice(world.district, "东民发〔2030〕2号", units=[world.township2], issue=True)
    login(client, world.station_worker)
    assert client.get(f"/notices/{issued.pk}/").status_code == 200  # region → city → … → station
    assert client.get(f"/notices/{other.pk}/").status_code == 404  # neighbour's township only
    login(client, world.neighbour_worker)
    assert client.get(f"/notices/{other.pk}/").status_code == 200


def test_a_draft_is_visible_only_to_the_issuing_unit(client, world):
    draft = make_notice(world.region, "内民政慈社〔2030〕6号", units=[world.city])
    login(client, world.district_admin)
    assert client.get(f"/notices/{draft.pk}/").status_code == 404
    login(client, make_user("mca_admin", world.ministry, "admin"))
    assert client.get(f"/notices/{draft.pk}/").status_code == 404
    login(client, world.region_clerk)
    assert client.get(f"/notices/{draft.pk}/").status_code == 200


def test_units_above_the_issuer_see_what_it_issued(client, world, issued):
    login(client, make_user("mca_viewer", world.ministry, "viewer"))
    assert client.get(f"/notices/{issued.pk}/").status_code == 200


def test_addressee_signs_and_the_issuer_sees_who_has_not(client, world, issued):
    city_admin = make_user("city_admin", world.city, "admin")
    login(client, city_admin)
    client.post(f"/notices/{issued.pk}/sign/", {"unit": world.city.code})
    receipt = NoticeRecipient.objects.get(notice=issued, unit=world.city)
    assert receipt.signed_at is not None and receipt.signed_by == city_admin
    login(client, world.region_admin)
    body = client.get(f"/notices/{issued.pk}/").content.decode()
    assert "1 / 2" in body
    assert "未签收" in body  # 满洲里 has not


def test_a_unit_cannot_sign_for_another_unit(client, world, issued):
    login(client, world.district_admin)
    response = client.post(f"/notices/{issued.pk}/sign/", {"unit": world.city.code})
    assert response.status_code == 404
    assert NoticeRecipient.objects.get(notice=issued, unit=world.city).signed_at is None


def test_signing_twice_is_refused(world, issued):
    city_admin = make_user("city_admin", world.city, "admin")
    recipient = NoticeRecipient.objects.get(notice=issued, unit=world.city)
    services.sign_notice(recipient=recipient, by=city_admin)
    with pytest.raises(ValidationError):
        services.sign_notice(recipient=recipient, by=city_admin)


def test_reissue_copies_the_parent_and_the_diff_shows_the_local_changes(client, world, issued):
    city_admin = make_user("city_admin", world.city, "admin")
    login(client, city_admin)
    response = client.post(f"/notices/{issued.pk}/derive/", {"unit": world.city.code})
    derived = Notice.objects.get(parent=issued)
    assert response["Location"] == f"/notices/{derived.pk}/edit/"
    assert derived.issuer == world.city and derived.is_draft
    assert derived.periods.count() == issued.periods.count()
    services.save_draft(
        issuer=world.city,
        notice=derived,
        by=city_admin,
        doc_number="包民发〔2030〕3号",
        fields={"window_start": date(2030, 3, 21), "title": derived.title},
        periods=[
            {
                "kind": "progress",
                "name": "第1次工作进展情况",
                "start_date": date(2030, 3, 21),
                "end_date": date(2030, 3, 24),
                "cutoff": issued.periods.get().cutoff,
            }
        ],
        rules={"units": [world.district]},
    )
    rows = {label: (old, new) for label, old, new in notice_diff(issued, derived)}
    assert rows["活动时间"] == ("2030年3月17日至2030年3月31日", "2030年3月21日至2030年3月31日")
    assert rows["文号"] == ("内民政慈社〔2030〕3号", "包民发〔2030〕3号")
    assert "标题" not in rows
    services.issue_notice(notice=derived, by=city_admin)
    login(client, world.station_worker)
    page = client.get(f"/notices/{derived.pk}/").content.decode()
    assert "包民发〔2030〕3号" in page
    assert "2030年3月21日至2030年3月31日" in page


def test_only_an_addressee_admin_may_reissue(world, issued):
    recipient = NoticeRecipient.objects.get(notice=issued, unit=world.city)
    with pytest.raises(PermissionDenied):
        services.derive_notice(parent=issued, recipient=recipient, by=world.district_admin)


def test_expected_reporters_are_frozen_and_survive_a_move(world, issued):
    period = issued.periods.get()
    frozen = set(ExpectedReporter.objects.filter(period=period).values_list("unit", "unit_path"))
    assert {u for u, _ in frozen} == {world.city.pk, world.manzhouli.pk}
    # 满洲里 is re-attached under 包头 afterwards: the period's list and paths do not change.
    org_services.move_unit(
        unit=world.manzhouli, new_parent=world.city, by=world.region_admin, reason="代管"
    )
    make_unit(world.region, "新设市民政局", Kind.PREFECTURE)
    after = set(ExpectedReporter.objects.filter(period=period).values_list("unit", "unit_path"))
    assert after == frozen


def test_reporter_kinds_freeze_the_stations_below_the_addressees(world):
    notice = make_notice(
        world.region,
        "内民政慈社〔2030〕7号",
        units=[world.city],
        reporter_scope="kinds",
        reporter_kinds=[Kind.STATION],
        quotas=[
            {
                "metric": "visits",
                "target": 30,
                "start_date": date(2030, 3, 21),
                "end_date": date(2030, 5, 31),
                "kinds": [Kind.STATION, Kind.ROOM],
            }
        ],
    )
    services.issue_notice(notice=notice, by=world.region_admin)
    period, quota = notice.periods.get(), notice.quotas.get()
    assert set(period.expected.values_list("unit", flat=True)) == {
        world.station.pk,
        world.neighbour.pk,
    }
    assert set(quota.expected.values_list("unit", flat=True)) == {
        world.station.pk,
        world.neighbour.pk,
        world.room.pk,
    }
    assert world.manzhouli.pk not in set(period.expected.values_list("unit", flat=True))


def test_issuer_excuses_and_adds_with_a_reason_and_it_is_audited(world, issued):
    period = issued.periods.get()
    row = ExpectedReporter.objects.get(period=period, unit=world.manzhouli)
    with pytest.raises(ValidationError):
        services.excuse_expected(expected=row, reason="", by=world.region_admin)
    services.excuse_expected(expected=row, reason="疫情封控，经批准免报", by=world.region_admin)
    services.add_expected(
        notice=issued,
        period=period,
        unit=world.district,
        reason="东河区试点直报",
        by=world.region_admin,
    )
    assert period.expected.filter(excused_at=None).count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"campaigns.expected_excused", "campaigns.expected_added"} <= actions
    with pytest.raises(PermissionDenied):
        services.add_expected(
            notice=issued, period=period, unit=world.station, reason="x", by=world.district_admin
        )


def test_expected_list_page_is_only_for_the_issuer(client, world, issued):
    login(client, world.region_admin)
    assert "满洲里市民政局" in client.get(f"/notices/{issued.pk}/expected/").content.decode()
    login(client, make_user("city_admin", world.city, "admin"))
    assert client.get(f"/notices/{issued.pk}/expected/").status_code == 404
