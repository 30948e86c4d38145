"""Cutoffs are exact Beijing times, stored as such and shown unambiguously; holidays warn."""

from datetime import UTC, datetime

import pytest

from shegong.campaigns.calendar import cutoff_warnings, format_deadline
from shegong.campaigns.models import Notice, ReportingPeriod
from tests.conftest import login
from tests.factories import at, make_user

pytestmark = pytest.mark.django_db


def _draft_form(**overrides):
    data = {
        "doc_number": "内民政慈社〔2030〕1号",
        "title": "关于组织开展2030年社会工作主题宣传活动的通知",
        "window_start": "2030-03-17",
        "window_end": "2030-03-31",
        "reporter_scope": "addressees",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-kind": "progress",
        "periods-0-name": "第1次工作进展情况",
        "periods-0-start_date": "2030-03-17",
        "periods-0-end_date": "2030-03-24",
        "periods-0-cutoff": "2030-03-22T17:00",
        "quotas-TOTAL_FORMS": "0",
        "quotas-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_17_00_cutoff_typed_in_the_form_is_stored_as_09_00_utc(client, world):
    login(client, world.region_admin)
    response = client.post("/notices/new/", _draft_form(units=[world.city.code]))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get()
    assert period.cutoff == datetime(2030, 3, 22, 9, 0, tzinfo=UTC)
    page = client.get(response["Location"]).content.decode()
    assert "截止：2030年3月22日（星期五）17:00" in page


def test_a_midnight_cutoff_says_which_day_ends_it():
    assert format_deadline(at(2022, 4, 10)) == "2022年4月10日 00:00（即4月9日当天结束）"
    assert format_deadline(at(2022, 3, 24, 17)) == "2022年3月24日（星期四）17:00"


def test_a_cutoff_on_qingming_warns(db):
    warnings = cutoff_warnings(at(2022, 4, 5, 17))
    assert any("清明节" in w for w in warnings)


def test_a_midnight_cutoff_is_judged_by_the_day_before(db):
    # 4月5日前 = 4月5日 00:00: the last working day is 4月4日, also Qingming in 2022.
    assert any("4月4日" in w for w in cutoff_warnings(at(2022, 4, 5)))
    # 2022-04-02 (Saturday) was an adjusted working day: no warning.
    assert cutoff_warnings(at(2022, 4, 2, 17)) == []


def test_a_cutoff_on_an_ordinary_sunday_warns(db):
    assert any("星期日" in w for w in cutoff_warnings(at(2022, 4, 10, 17)))


def test_a_year_without_a_holiday_table_says_so(db):
    assert any("2031年的节假日安排尚未录入" in w for w in cutoff_warnings(at(2031, 5, 6, 17)))


def test_holiday_table_covers_2022_to_2027(db):
    from shegong.campaigns.calendar import known_years

    assert {2022, 2023, 2024, 2025, 2026, 2027} <= known_years()


def test_the_draft_page_shows_the_holiday_warning_to_the_issuer(client, world):
    login(client, world.region_admin)
    client.post(
        "/notices/new/",
        _draft_form(
            **{
                "periods-0-cutoff": "2027-10-01T17:00",
                "window_start": "2027-09-20",
                "window_end": "2027-10-10",
                "doc_number": "",
            }
        ),
    )
    notice = Notice.objects.get()
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "国庆节假期" in page


def test_only_the_units_own_admin_may_draft(client, world):
    login(client, world.region_clerk)
    assert client.get("/notices/new/").status_code == 403
    login(client, make_user("viewer", world.region, "viewer"))
    assert client.post("/notices/new/", _draft_form()).status_code == 403
    assert not Notice.objects.exists()


def test_untouched_extra_rows_are_ignored_when_saving(client, world):
    login(client, world.region_admin)
    form = _draft_form(units=[world.city.code])
    form.update(
        {
            "periods-TOTAL_FORMS": "2",
            "periods-1-kind": "",
            "quotas-TOTAL_FORMS": "1",
            "quotas-0-metric": "",
            "sections-TOTAL_FORMS": "1",
        }
    )
    response = client.post("/notices/new/", form)
    assert response.status_code == 302
    notice = Notice.objects.get()
    assert notice.periods.count() == 1 and notice.quotas.count() == 0
