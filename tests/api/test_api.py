import hashlib
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shegong.accounts.models import ApiToken
from shegong.activities.models import Activity
from shegong.articles.models import Article
from shegong.audit.models import AuditEvent
from shegong.orgs.models import OrgUnit
from tests.api.conftest import bearer
from tests.articles.test_articles import CLEAN, picture
from tests.conftest import login
from tests.factories import activity_data, make_activity, make_notice

pytestmark = pytest.mark.django_db


def body(**overrides):
    data = activity_data(**overrides)
    for k in ("date_start", "date_end", "funds", "inkind"):
        data[k] = str(data[k])
    return data


def test_token_page_shows_key_once_and_stores_only_its_hash(client, world):
    login(client, world.station_worker)
    page = client.post("/accounts/tokens/", {"name": "市级平台", "read_only": ""})
    key = re.search(r"sg_[A-Za-z0-9]{40}", page.content.decode()).group(0)
    token = ApiToken.objects.get(user=world.station_worker)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values_list().get())
    assert key not in client.get("/accounts/tokens/").content.decode()
    assert AuditEvent.objects.filter(action="accounts.token_created").exists()


def test_token_can_be_revoked_from_the_page(client, world):
    login(client, world.station_worker)
    client.post("/accounts/tokens/", {"name": "市级平台"})
    token = ApiToken.objects.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_bearer_token_acts_as_its_user(world):
    api = bearer(world.station_worker)
    r = api.get("/api/units/")
    assert r.status_code == 200
    codes = [u["code"] for u in r.json()["items"]]
    assert codes == ["S150202003", "R150202003013"]
    assert ApiToken.objects.get().last_used_at is not None


def test_no_credentials_is_401_in_chinese(client, world):
    r = client.get("/api/units/")
    assert r.status_code == 401
    assert "接口令牌" in r.json()["detail"]


def test_revoked_and_expired_tokens_are_401(world):
    api = bearer(world.station_worker)
    ApiToken.objects.update(revoked_at=timezone.now())
    r = api.get("/api/units/")
    assert r.status_code == 401 and "作废" in r.json()["detail"]
    api = bearer(world.station_admin)
    ApiToken.objects.filter(user=world.station_admin).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    r = api.get("/api/units/")
    assert r.status_code == 401 and "过期" in r.json()["detail"]


def test_read_only_token_cannot_write(world):
    api = bearer(world.station_worker, read_only=True)
    assert api.get("/api/activities/").status_code == 200
    r = api.post("/api/activities/", body(), content_type="application/json")
    assert r.status_code == 403 and "只读" in r.json()["detail"]


def test_session_calls_need_csrf_for_writes(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world.station_worker)
    assert client.get("/api/units/").status_code == 200
    r = client.post("/api/activities/", body(), content_type="application/json")
    assert r.status_code == 403


def test_unit_detail_and_children(world):
    api = bearer(world.district_reviewer)
    assert api.get("/api/units/150202003000").json()["name"] == "西脑包街道"
    kids = api.get("/api/units/", {"parent": "150202000000"}).json()["items"]
    assert {u["code"] for u in kids} == {"150202003000", "150202001000"}
    assert api.get("/api/units/150781000000").status_code == 404


def test_activity_create_read_update_delete(world):
    api = bearer(world.station_worker)
    r = api.post("/api/activities/", body(), content_type="application/json")
    assert r.status_code == 201, r.content
    made = r.json()
    assert made["unit"] == "S150202003" and made["domains"] == ["老年人"]
    pk = made["id"]
    assert api.get(f"/api/activities/{pk}").json()["name"] == made["name"]
    r = api.patch(
        f"/api/activities/{pk}",
        {"version": made["version"], "participants": 60},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["participants"] == 60 and r.json()["version"] == made["version"] + 1
    r = api.put(
        f"/api/activities/{pk}",
        {**body(name="改名后的活动"), "version": r.json()["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["name"] == "改名后的活动"
    assert api.delete(f"/api/activities/{pk}").status_code == 204
    assert Activity.objects.get(pk=pk).deleted_at is not None
    assert api.get(f"/api/activities/{pk}").status_code == 404
    assert AuditEvent.objects.filter(action="api.activity_updated").exists()
    assert "测试系统" in str(AuditEvent.objects.filter(action="api.activity_recorded").get().after)


def test_activity_list_filters_and_cursor(world):
    for day in range(1, 6):
        make_activity(world.station, by=world.station_worker, date_start=date(2030, 3, day))
    make_activity(world.station, by=world.station_worker, name="特别的义诊", place="")
    api = bearer(world.district_reviewer)
    first = api.get("/api/activities/", {"limit": 4}).json()
    assert len(first["items"]) == 4 and first["next_cursor"]
    rest = api.get("/api/activities/", {"limit": 4, "cursor": first["next_cursor"]}).json()
    ids = [a["id"] for a in first["items"] + rest["items"]]
    assert len(ids) == 6 == len(set(ids)) and rest["next_cursor"] is None
    found = api.get("/api/activities/", {"q": "特别"}).json()["items"]
    assert [a["name"] for a in found] == ["特别的义诊"]
    assert api.get("/api/activities/", {"date_from": "2030-03-04"}).json()["totals"]["n"] == 3


def test_neighbour_gets_404_on_station_objects(world):
    from shegong.activities import services as activity_services
    from shegong.articles import services as article_services

    activity = make_activity(world.station, by=world.station_worker)
    visit = activity_services.record_visit(
        unit=world.station,
        by=world.station_worker,
        data={
            "date": date(2030, 3, 20),
            "household_name": "张三丰",
            "group": "dibao",
            "visitors": "李娜",
        },
    )
    article = article_services.save_article(
        unit=world.station, by=world.station_worker, title="标题", body="正文"
    )
    report = _submitted_report(world)
    api = bearer(world.neighbour_worker)
    for url in (
        f"/api/activities/{activity.pk}",
        f"/api/visits/{visit.pk}",
        f"/api/articles/{article.pk}",
        f"/api/reports/{report.pk}",
        "/api/units/S150202003",
        "/api/statistics/S150202003",
    ):
        assert api.get(url).status_code == 404, url
    r = api.patch(
        f"/api/activities/{activity.pk}",
        {"version": 1, "name": "x"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_stale_update_is_409_with_who_and_when(world):
    activity = make_activity(world.station, by=world.station_worker)
    api = bearer(world.station_worker)
    api.patch(
        f"/api/activities/{activity.pk}",
        {"version": 1, "participants": 50},
        content_type="application/json",
    )
    r = bearer(world.station_admin).patch(
        f"/api/activities/{activity.pk}",
        {"version": 1, "participants": 70},
        content_type="application/json",
    )
    assert r.status_code == 409
    out = r.json()
    assert out["changed_by"] == "station_worker" and out["changed_at"]
    assert out["version"] == 2 and out["current"]["participants"] == 50


def test_validation_error_names_the_field_in_chinese(world):
    api = bearer(world.station_worker)
    r = api.post("/api/activities/", body(date_end="2030-03-01"), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["detail"] == [
        {"field": "date_end", "message": "活动结束日期不能早于开始日期。"}
    ]
    r = api.post(
        "/api/activities/", {**body(), "participants": "很多"}, content_type="application/json"
    )
    assert r.status_code == 422
    assert r.json()["detail"][0] == {"field": "participants", "message": "须为整数。"}


def test_bulk_creates_every_row_or_none(world):
    api = bearer(world.station_worker)
    rows = [body(name=f"活动{i}") for i in range(25)]
    r = api.post("/api/activities/bulk", {"rows": rows}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["created"] == 25 and Activity.objects.count() == 25
    rows[3]["name"] = ""
    r = api.post("/api/activities/bulk", {"rows": rows}, content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "rows.3.name"
    assert Activity.objects.count() == 25


def test_rate_limit_gives_429_with_retry_after(world, settings):
    settings.API_RATE_LIMIT = 3
    api = bearer(world.station_worker)
    codes = [api.get("/api/units/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert int(api.get("/api/units/")["Retry-After"]) > 0


def test_visits_are_masked_above_the_visiting_unit(world):
    from shegong.activities import services as activity_services

    activity_services.record_visit(
        unit=world.station,
        by=world.station_worker,
        data={
            "date": date(2030, 3, 20),
            "household_name": "张三丰",
            "household_phone": "13812341234",
            "group": "dibao",
            "visitors": "李娜",
        },
    )
    own = bearer(world.station_worker).get("/api/visits/").json()
    assert own["items"][0]["household_name"] == "张三丰"
    above = bearer(world.district_reviewer).get("/api/visits/").json()
    assert above["items"][0]["household_name"] == "张**"
    assert above["items"][0]["household_phone"] == "138****1234"
    assert above["counts"]["n"] == 1


def _notice(world):
    return make_notice(world.district, "东民发〔2030〕7号", units=[world.station], issue=True)


def _submitted_report(world):
    from shegong.reporting import services as reporting_services

    notice = _notice(world)
    period = notice.periods.get()
    return reporting_services.submit_report(
        period=period,
        unit=world.station,
        by=world.station_worker,
        filler_name="李娜",
        filler_mobile="13800001111",
    )


def test_notices_list_detail_and_sign(world):
    notice = _notice(world)
    api = bearer(world.station_admin)
    assert notice.pk in [n["id"] for n in api.get("/api/notices/").json()["items"]]
    assert api.get(f"/api/notices/{notice.pk}").json()["title"] == notice.title
    r = api.post(f"/api/notices/{notice.pk}/sign")
    assert r.status_code == 200, r.content
    assert r.json()["unit"] == "S150202003"
    assert api.post(f"/api/notices/{notice.pk}/sign").status_code == 422


def test_report_submit_and_approve_with_version(world):
    notice = _notice(world)
    make_activity(world.station, by=world.station_worker, notice=notice)
    api = bearer(world.station_worker)
    periods = api.get("/api/reports/periods").json()
    period = periods[0]["period"]
    r = api.post(
        f"/api/reports/periods/{period}/submit",
        {"filler_name": "李娜", "filler_mobile": "13800001111"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    report = r.json()
    assert report["status"] == "submitted" and report["totals"]["n"] == 1
    reviewer = bearer(world.district_reviewer)
    stale = reviewer.post(
        f"/api/reports/{report['id']}/approve", {"version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    r = reviewer.post(
        f"/api/reports/{report['id']}/approve",
        {"version": report["version"]},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_report_return_needs_a_reason(world):
    report = _submitted_report(world)
    reviewer = bearer(world.district_reviewer)
    r = reviewer.post(
        f"/api/reports/{report.pk}/return",
        {"version": report.version, "reason": ""},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "reason"
    r = reviewer.post(
        f"/api/reports/{report.pk}/return",
        {"version": report.version, "reason": "请补充照片"},
        content_type="application/json",
    )
    assert r.json()["status"] == "returned"


def test_statistics_match_the_register(world):
    notice = _notice(world)
    make_activity(world.station, by=world.station_worker, notice=notice)
    r = bearer(world.district_reviewer).get("/api/statistics/150202000000", {"notice": notice.pk})
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["totals"]["n"] == 1 and out["totals"]["participants"] == 45
    assert out["by_domain"][0]["name"] == "老年人"
    assert {c["unit"] for c in out["children"]} >= {"150202003000"}


def test_statistics_kept_between_calls_follow_new_activities_and_renamed_units(world):
    notice = _notice(world)
    make_activity(world.station, by=world.station_worker, notice=notice)
    api, path = bearer(world.district_reviewer), "/api/statistics/150202000000"
    assert api.get(path, {"notice": notice.pk}).json()["totals"]["n"] == 1

    make_activity(world.station, by=world.station_worker, notice=notice)
    OrgUnit.objects.filter(code="150202003000").update(name="西脑包街道（新）")
    out = api.get(path, {"notice": notice.pk}).json()
    assert out["totals"]["n"] == 2
    names = {c["unit"]: c["unit_name"] for c in out["children"]}
    assert names["150202003000"] == "西脑包街道（新）"


def test_articles_create_list_and_submit(world):
    api = bearer(world.station_worker)
    r = api.post(
        "/api/articles/",
        {"title": "西脑包街道开展“五社联动”助老服务", "body": CLEAN},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert [a["id"] for a in api.get("/api/articles/").json()["items"]] == [pk]
    r = api.post(f"/api/articles/{pk}/submit")
    assert r.status_code == 422
    assert "图片" in r.json()["detail"][-1]["message"]
    not_a_picture = SimpleUploadedFile("现场.jpg", b"%PDF-1.4 not a picture")
    r = api.post(f"/api/articles/{pk}/photos", {"photos": [not_a_picture]})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "photos"
    r = api.post(f"/api/articles/{pk}/photos", {"photos": [picture()], "caption": "活动现场"})
    assert r.status_code == 200, r.content
    assert Article.objects.get(pk=pk).photos.get().caption == "活动现场"
    r = api.post(f"/api/articles/{pk}/submit")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    neighbour = bearer(world.neighbour_worker)
    assert neighbour.post(f"/api/articles/{pk}/photos", {"photos": [picture()]}).status_code == 404
    r = api.post("/api/articles/", {"title": "", "body": "x"}, content_type="application/json")
    assert r.json()["detail"] == [{"field": "title", "message": "请填写标题。"}]


def test_openapi_lists_every_resource(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for prefix in ("units", "notices", "activities", "visits", "reports", "statistics", "articles"):
        assert any(p.startswith(f"/api/{prefix}/") for p in paths), prefix


def test_docs_page_loads_nothing_from_other_hosts(client, world):
    login(client, world.station_worker)
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
