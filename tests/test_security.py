"""What a 等级保护 review tries, in one place, app by app: a neighbour's object by URL, a
station user on a supervisor's action, the 系统管理员 on the audit log, an altered audit
row and a stale edit. Each attempt gets the right refusal and nothing stored changes."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from shegong.activities import services as activity_services
from shegong.articles import services as article_services
from shegong.audit.models import AuditEvent
from shegong.orgs.models import Kind
from shegong.reporting import services as report_services
from shegong.reporting.models import PeriodReport, ReportStatus
from tests.conftest import login
from tests.factories import make_activity, make_notice, make_user
from tests.htmlforms import open_form

pytestmark = pytest.mark.django_db
FILLER = {"filler_name": "李娜", "filler_mobile": "13800001111"}


@pytest.fixture
def owned(world):
    """One of each of the station's records, and the district's draft notice."""
    o = world
    o.notice = make_notice(world.district, "东民发〔2030〕7号", kinds=[Kind.STATION], issue=True)
    o.period = o.notice.periods.get()
    o.draft = make_notice(world.district, title="关于开展社会工作宣传周活动的通知（草稿）")
    o.activity = make_activity(world.station, by=world.station_worker)
    o.visit = activity_services.record_visit(
        unit=world.station,
        by=world.station_worker,
        data={
            "date": o.activity.date_start,
            "household_name": "张桂英",
            "household_address": "宏源社区3号楼2单元101",
            "household_phone": "13812341234",
            "group": "elder",
            "visitors": "李娜",
            "purpose": "走访慰问",
            "outcome": "良好",
            "follow_up": False,
        },
    )
    o.article = article_services.save_article(
        unit=world.station,
        by=world.station_worker,
        title="西脑包街道开展助老服务",
        body="3月20日，西脑包街道社会工作服务站在宏源社区开展助老服务，为老人义诊。",
    )
    o.report = report_services.submit_report(
        period=o.period, unit=world.station, by=world.station_worker, **FILLER
    )
    return o


def state(o):
    """What must not change: every record's version and status, and the audit log's length
    (sign-ins aside)."""
    o.activity.refresh_from_db()
    o.visit.refresh_from_db()
    o.article.refresh_from_db()
    o.draft.refresh_from_db()
    report = PeriodReport.objects.get(pk=o.report.pk)
    return (
        o.activity.version,
        o.activity.locked_at,
        o.visit.version,
        o.visit.deleted_at,
        o.article.version,
        o.article.status,
        o.draft.version,
        o.draft.status,
        report.version,
        report.status,
        o.station.name,
        AuditEvent.objects.exclude(action__startswith="auth.").count(),
    )


def neighbour_urls(o):
    code = o.station.code
    return [
        ("get", f"/activities/{o.activity.pk}/"),
        ("get", f"/activities/{o.activity.pk}/edit/"),
        ("post", f"/activities/{o.activity.pk}/edit/"),
        ("post", f"/activities/{o.activity.pk}/delete/"),
        ("get", f"/visits/{o.visit.pk}/edit/"),
        ("post", f"/visits/{o.visit.pk}/edit/"),
        ("post", f"/visits/{o.visit.pk}/delete/"),
        ("get", f"/articles/{o.article.pk}/"),
        ("get", f"/articles/{o.article.pk}/edit/"),
        ("post", f"/articles/{o.article.pk}/submit/"),
        ("get", f"/notices/{o.draft.pk}/"),
        ("get", f"/notices/{o.draft.pk}/edit/"),
        ("post", f"/notices/{o.draft.pk}/issue/"),
        ("get", f"/notices/{o.draft.pk}/word/"),
        ("get", f"/notices/{o.draft.pk}/print/"),
        ("get", f"/reports/{o.report.pk}/"),
        ("get", f"/reports/{o.report.pk}/print/"),
        ("post", f"/reports/{o.report.pk}/review/"),
        ("get", f"/summaries/{o.period.pk}/{code}/"),
        ("get", f"/orgs/{code}/"),
        ("get", f"/orgs/{code}/edit/"),
        ("post", f"/orgs/{code}/edit/"),
    ]


def test_a_neighbour_gets_404_for_every_object_of_the_station(owned):
    neighbour = login(Client(), owned.neighbour_worker)
    before = state(owned)
    for method, url in neighbour_urls(owned):
        response = getattr(neighbour, method)(url, {"name": "改掉", "decision": "approve"})
        assert response.status_code == 404, (method, url, response.status_code)
    neighbour_admin = login(Client(), make_user("n_admin", owned.neighbour, "admin"))
    for url in (f"/accounts/users/{owned.station_worker.username}/", "/orgs/S150202003/new/"):
        assert neighbour_admin.get(url).status_code == 404, url
    assert state(owned) == before


SUPERVISOR_ACTIONS = [
    ("post", "/reports/{report}/review/", {"decision": "approve"}),
    ("post", "/reports/{report}/review/", {"decision": "return", "reason": "自己退回"}),
    ("post", "/reports/period/{period}/lock/", {}),
    ("post", "/activities/{activity}/unlock/", {"reason": "想改"}),
    ("post", "/orgs/{station}/new/", {"code": "S9", "name": "新站", "kind": "station"}),
    ("post", "/orgs/{station}/edit/", {"name": "改名"}),
    ("post", "/notices/{notice}/close/", {}),
    ("get", "/accounts/users/", {}),
]


@pytest.mark.parametrize("method,url,data", SUPERVISOR_ACTIONS)
def test_a_station_user_is_refused_a_supervisors_action(owned, method, url, data):
    activity_services.lock_activities(
        queryset=type(owned.activity).objects.filter(pk=owned.activity.pk),
        by=None,
        reason="已审核",
    )
    station = login(Client(), owned.station_worker)
    before = state(owned)
    url = url.format(
        report=owned.report.pk,
        period=owned.period.pk,
        activity=owned.activity.pk,
        station=owned.station.code,
        notice=owned.notice.pk,
    )
    response = getattr(station, method)(url, data, follow=True)
    text = response.content.decode()
    assert response.status_code in (403, 404) or "只有" in text, (url, response.status_code)
    assert state(owned) == before
    assert PeriodReport.objects.get(pk=owned.report.pk).status == ReportStatus.SUBMITTED


def test_the_system_administrator_cannot_read_export_or_change_the_audit_log(owned):
    sysadmin = make_user("sys", platform_role="system")
    client = login(Client(), sysadmin)
    before = AuditEvent.objects.exclude(action__startswith="auth.").count()
    for url in ("/audit/", "/audit/export/", "/admin/audit/auditevent/"):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
    event = AuditEvent.objects.exclude(action__startswith="auth.").first()
    for url in (
        f"/admin/audit/auditevent/{event.pk}/change/",
        f"/admin/audit/auditevent/{event.pk}/delete/",
    ):
        response = client.post(url, {"post": "yes", "action": "x"})
        assert response.status_code in (403, 404), (url, response.status_code)
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()
    assert AuditEvent.objects.exclude(action__startswith="auth.").count() == before
    auditor = login(Client(), make_user("aud", platform_role="audit"))
    assert auditor.get("/audit/").status_code == 200


def test_an_altered_audit_row_is_named_by_verify_audit(owned):
    call_command("verify_audit")
    event = AuditEvent.objects.get(action="activities.recorded", object_id=str(owned.activity.pk))
    with connection.cursor() as cursor:
        trigger = "audit_auditevent_no_update"
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks before ALTER
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {trigger}")
        else:
            cursor.execute(f"DROP TRIGGER {trigger}")
        cursor.execute(
            "UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["伪造的活动", event.pk]
        )
    with pytest.raises(CommandError) as refused:
        call_command("verify_audit")
    assert f"第 {event.seq} 号" in str(refused.value) or str(event.seq) in str(refused.value)
    assert "内容被改动" in str(refused.value)


def test_a_stale_edit_is_refused_and_nothing_is_stored(owned):
    url = f"/activities/{owned.activity.pk}/edit/"
    colleague = make_user("colleague", owned.station, full_name="王芳")
    a, b = login(Client(), colleague), login(Client(), owned.station_worker)
    form_a, form_b = open_form(a, url), open_form(b, url)
    assert a.post(url, {**form_a, "participants": "70"}).status_code == 302
    before = state(owned)
    response = b.post(url, {**form_b, "place": "别处"})
    assert "已被王芳于" in response.content.decode()
    assert state(owned) == before
