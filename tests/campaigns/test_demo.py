"""seed-demo loads the three seed notices with their real fields, parents and deadlines."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from shegong.campaigns.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def _n(doc):
    prefix, rest = doc.split("〔")
    return Notice.objects.get(doc_prefix=prefix, doc_year=int(rest[:4]))


def test_the_cascade_of_the_seeds(demo):
    assert _n("粤民办函〔2022〕19号").parent == _n("民办函〔2022〕5号")
    assert _n("内民政慈社〔2022〕3号").parent == _n("民办函〔2022〕5号")
    assert _n("南川民发〔2023〕10号").parent == _n("渝民办〔2023〕33号")


def test_inner_mongolia_notice_has_two_17_00_cutoffs_and_a_summary(demo):
    notice = _n("内民政慈社〔2022〕3号")
    cutoffs = [timezone.localtime(p.cutoff).strftime("%m-%d %H:%M") for p in notice.periods.all()]
    assert cutoffs == ["03-24 17:00", "03-31 17:00", "04-05 00:00"]
    names = set(notice.recipients.values_list("unit__name", flat=True))
    assert {"满洲里市民政局", "二连浩特市民政局", "包头市民政局"} <= names
    assert len(names) == 14
    assert notice.contact_person == "张璐"


def test_nanchuan_moves_the_window_and_adds_quotas_to_the_end_of_may(demo):
    notice = _n("南川民发〔2023〕10号")
    assert (notice.window_start, notice.window_end) == (date(2023, 3, 21), date(2023, 3, 31))
    assert sorted((q.metric, q.target) for q in notice.quotas.all()) == [
        ("community", 3),
        ("visits", 30),
    ]
    assert {q.end_date for q in notice.quotas.all()} == {date(2023, 5, 31)}
    assert notice.signed_date == date(2023, 3, 7)
    stations = notice.quotas.first().expected.filter(unit__kind="station").count()
    assert stations == 5


def test_guangdong_summary_due_before_april_10(demo):
    period = _n("粤民办函〔2022〕19号").periods.get()
    assert timezone.localtime(period.cutoff).strftime("%Y-%m-%d %H:%M") == "2022-04-10 00:00"


def test_a_station_summary_on_time_and_a_district_summary_late_count_in_the_rates(demo):
    from shegong.campaigns import tallies
    from shegong.orgs.models import OrgUnit
    from shegong.reporting.models import PeriodReport, ReportStatus, Summary

    nanchuan = _n("南川民发〔2023〕10号").periods.get(kind="summary")
    mongolia = _n("内民政慈社〔2022〕3号").periods.get(kind="summary")
    station = Summary.objects.get(period=nanchuan)
    district = Summary.objects.get(period=mongolia)
    assert (station.unit.name, district.unit.name) == ("东城街道社会工作站", "满洲里市民政局")
    on_time = PeriodReport.objects.get(period=nanchuan, unit=station.unit)
    late = PeriodReport.objects.get(period=mongolia, unit=district.unit)
    assert (on_time.status, on_time.on_time) == (ReportStatus.APPROVED, True)
    assert (late.status, late.on_time) == (ReportStatus.SUBMITTED, False)
    nanchuan_bureau = OrgUnit.objects.get(name="南川区民政局")
    expected, delivered, in_time = tallies.read(nanchuan, nanchuan_bureau.path)
    assert (delivered, in_time) == (1, 1) and expected > 1
    region = OrgUnit.objects.get(name="内蒙古自治区民政厅")
    assert tallies.read(mongolia, region.path)[1:] == (1, 0)
