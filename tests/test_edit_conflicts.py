"""No lost update: two people open the same record; the second save is refused with who
changed it and when, shows that change beside their own, keeps what they typed and merges
the first person's untouched change, and their next save keeps both."""

import pytest
from django.test import Client

from shegong.activities.models import Activity
from tests.conftest import login
from tests.factories import make_activity
from tests.htmlforms import open_form


def two_people(first, second, url):
    """Both open `url`; returns their clients and the forms as they opened them."""
    a, b = login(Client(), first), login(Client(), second)
    return a, open_form(a, url), b, open_form(b, url)


def refused(response, name):
    text = response.content.decode()
    assert response.status_code == 200
    assert f"已被{name}于" in text and "修改" in text, text[:3000]
    assert 'data-testid="edit-conflict"' in text
    return text


@pytest.fixture
def colleague(world):
    from tests.factories import make_user

    return make_user("station_colleague", world.station, full_name="王芳")


def test_second_activity_save_is_refused_and_merges_the_first(world, colleague):
    activity = make_activity(world.station, by=world.station_worker)
    url = f"/activities/{activity.pk}/edit/"
    a, form_a, b, form_b = two_people(colleague, world.station_worker, url)

    form_a["participants"] = "60"
    assert a.post(url, form_a).status_code == 302
    form_b["place"] = "宏源社区活动室"
    text = refused(b.post(url, form_b), "王芳")

    activity.refresh_from_db()
    assert (activity.participants, activity.place) == (60, "宏源社区党群服务中心")
    assert activity.version == 2
    # The colleague's change is shown beside the user's and merged into the form.
    assert '<th scope="row" class="text-nowrap">参与人次</th>' in text
    assert 'value="宏源社区活动室"' in text
    assert 'value="60"' in text

    again = open_form_from(text)
    assert b.post(url, again).status_code == 302
    activity.refresh_from_db()
    assert (activity.participants, activity.place, activity.version) == (60, "宏源社区活动室", 3)


def test_a_field_both_changed_keeps_the_users_text_and_is_marked(world, colleague):
    activity = make_activity(world.station, by=world.station_worker)
    url = f"/activities/{activity.pk}/edit/"
    a, form_a, b, form_b = two_people(colleague, world.station_worker, url)
    form_a["content"] = "对方写的活动内容。"
    a.post(url, form_a)
    form_b["content"] = "我写的活动内容。"
    text = refused(b.post(url, form_b), "王芳")
    assert "table-warning" in text and "您的，请核对" in text
    assert "对方写的活动内容。" in text
    assert open_form_from(text)["content"] == "我写的活动内容。"
    activity.refresh_from_db()
    assert activity.content == "对方写的活动内容。"


def test_a_forged_version_cannot_skip_the_check(world, colleague):
    activity = make_activity(world.station, by=world.station_worker)
    url = f"/activities/{activity.pk}/edit/"
    a, form_a, b, form_b = two_people(colleague, world.station_worker, url)
    a.post(url, {**form_a, "participants": "61"})
    form_b["base"] = "forged"
    form_b["place"] = "别处"
    refused(b.post(url, form_b), "王芳")
    assert Activity.objects.get(pk=activity.pk).place == "宏源社区党群服务中心"


def open_form_from(html):
    from tests.htmlforms import form_fields

    return form_fields(html)


# Every other editable record: (open url, field the colleague changes, field the user
# changes, stored value read back). Each is opened by both, saved by the colleague first.


def _visit(world):
    from datetime import date

    from shegong.activities import services

    data = {
        "date": date(2030, 4, 2),
        "household_name": "张桂英",
        "household_address": "宏源社区3号楼2单元101",
        "household_phone": "13812341234",
        "group": "elder",
        "visitors": "李娜、王芳",
        "purpose": "独居老人走访慰问",
        "outcome": "身体状况良好。",
        "follow_up": True,
    }
    visit = services.record_visit(unit=world.station, data=data, by=world.station_worker)
    return f"/visits/{visit.pk}/edit/", lambda: type(visit).objects.get(pk=visit.pk)


def _article(world):
    from shegong.articles import services

    article = services.save_article(
        unit=world.station,
        by=world.station_worker,
        title="西脑包街道开展助老服务",
        body="3月20日，西脑包街道社会工作服务站在宏源社区开展助老服务，为老人义诊。",
    )
    return f"/articles/{article.pk}/edit/", lambda: type(article).objects.get(pk=article.pk)


def _unit(world):
    from shegong.orgs.models import OrgUnit

    code = world.station.code
    return f"/orgs/{code}/edit/", lambda: OrgUnit.objects.get(code=code)


def _station_page(world):
    from shegong.portal import services
    from shegong.portal.models import StationPage

    services.save_station_page(
        unit=world.station,
        by=world.station_worker,
        data={"place_name": "西脑包街道社工站", "address": "西脑包街道1号"},
    )
    return "/portal/stations/mine/", lambda: StationPage.objects.get(unit=world.station)


def _notice(world):
    from shegong.campaigns.models import Notice
    from tests.factories import make_notice

    notice = make_notice(world.district, theme="五社联动聚合力")
    return f"/notices/{notice.pk}/edit/", lambda: Notice.objects.get(pk=notice.pk)


CASES = {
    "visit": (_visit, "station_worker", "outcome", "purpose"),
    "article": (_article, "station_worker", "title", "body"),
    "unit": (_unit, "district_admin", "address", "contact_person"),
    "station_page": (_station_page, "station_worker", "address", "hours"),
    "notice": (_notice, "district_admin", "goals", "contact_person"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_editable_record_refuses_a_stale_save_and_keeps_both_changes(world, case):
    from tests.factories import make_user

    build, persona, theirs, mine = CASES[case]
    user = getattr(world, persona)
    unit = user.memberships.get().unit
    colleague = make_user(f"colleague_{case}", unit, user.memberships.get().role, full_name="王芳")
    url, stored = build(world)
    a, form_a, b, form_b = two_people(colleague, user, url)
    version = stored().version

    form_a[theirs] = "对方改的内容"
    assert a.post(url, form_a).status_code == 302
    form_b[mine] = "我改的内容"
    text = refused(b.post(url, form_b), "王芳")
    record = stored()
    assert getattr(record, theirs) == "对方改的内容"
    assert getattr(record, mine) != "我改的内容"
    assert record.version == version + 1

    merged = open_form_from(text)
    assert (merged[theirs], merged[mine]) == ("对方改的内容", "我改的内容")
    assert b.post(url, merged).status_code == 302
    record = stored()
    assert (getattr(record, theirs), getattr(record, mine)) == ("对方改的内容", "我改的内容")


def test_a_stale_summary_save_is_refused_and_merged(world):
    from shegong.orgs.models import Kind
    from shegong.reporting.models import Summary
    from tests.factories import make_notice, make_user
    from tests.reporting.test_summaries import PERIODS, QUOTAS  # noqa: F401

    notice = make_notice(
        world.district, "东民发〔2030〕5号", kinds=[Kind.STATION], periods=PERIODS, issue=True
    )
    period = notice.periods.get(kind="summary")
    url = f"/summaries/{period.pk}/"
    colleague = make_user("summary_colleague", world.station, full_name="王芳")
    a, form_a, b, form_b = two_people(colleague, world.station_worker, url)
    form_a["work"] = "对方写的工作开展情况。"
    assert a.post(url, {**form_a, "save": "1"}).status_code == 302
    form_b["results"] = "我写的活动成效。"
    text = refused(b.post(url, {**form_b, "save": "1"}), "王芳")
    assert Summary.objects.get(period=period, unit=world.station).version == 1
    merged = open_form_from(text)
    assert merged["work"] == "对方写的工作开展情况。"
    assert merged["results"] == "我写的活动成效。"
    assert b.post(url, {**merged, "save": "1"}).status_code == 302
    summary = Summary.objects.get(period=period, unit=world.station)
    assert summary.version == 2
    assert summary.sections["work"] == "对方写的工作开展情况。"
    assert summary.sections["results"] == "我写的活动成效。"


def test_a_review_of_a_report_submitted_again_since_the_page_opened_is_refused(world):
    from shegong.orgs.models import Kind
    from shegong.reporting import services
    from shegong.reporting.models import PeriodReport, ReportStatus
    from tests.factories import make_notice

    notice = make_notice(world.district, "东民发〔2030〕6号", kinds=[Kind.STATION], issue=True)
    period = notice.periods.get()
    filler = {"filler_name": "李娜", "filler_mobile": "13800001111"}
    report = services.submit_report(period=period, unit=world.station, by=None, **filler)
    reviewer = login(Client(), world.district_reviewer)
    page = reviewer.get(f"/reports/{report.pk}/").content.decode()
    opened = open_form_from_has(page, "decision")
    # Meanwhile it is returned by a colleague and submitted again with another activity.
    services.return_report(report=report, by=world.district_admin, reason="请补充活动")
    make_activity(world.station, name="补登的活动", participants=12)
    services.submit_report(period=period, unit=world.station, by=None, **filler)

    response = reviewer.post(f"/reports/{report.pk}/review/", {**opened}, follow=True)
    text = response.content.decode()
    assert "已被" in text and "您的审核没有保存" in text
    assert "活动场次：" in text
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    fresh = open_form_from_has(text, "decision")
    reviewer.post(f"/reports/{report.pk}/review/", fresh)
    assert PeriodReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def open_form_from_has(html, name):
    from tests.htmlforms import form_fields

    return form_fields(html, has=name)
