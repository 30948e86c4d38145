"""Demo period reports for seed 002's two weekly tables (内蒙古, March 2022): 包头 reports
on time, is returned and resubmits; 满洲里 reports late; 乌海 is excused; the second week
has one report waiting for review and units still missing. Times are set as if the clicks
happened then, so 上报率 and 及时率 come out as they would have."""

from contextlib import contextmanager
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from shegong.campaigns import services as campaign_services
from shegong.campaigns.models import ExpectedReporter, Notice
from shegong.orgs.models import OrgUnit
from shegong.reporting import services
from shegong.reporting.models import PeriodReport

from .notices import at


@contextmanager
def _clock(moment):
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _user(name):
    return get_user_model().objects.filter(username=name).first()


def _submit(period, code, moment, name, mobile, by=None):
    with _clock(moment):
        return services.submit_report(
            period=period,
            unit=OrgUnit.objects.get(code=code),
            by=by,
            filler_name=name,
            filler_mobile=mobile,
        )


def build():
    notice = Notice.objects.filter(doc_prefix="内民政慈社", doc_year=2022).first()
    if notice is None or PeriodReport.objects.filter(period__notice=notice).exists():
        return
    first, second = notice.periods.filter(kind="progress").order_by("cutoff")[:2]
    reviewer = _user("nmg_reviewer")
    baotou = _submit(first, "150200000000", at(2022, 3, 24, 15, 30), "王海燕", "13904721234")
    with _clock(at(2022, 3, 24, 18, 10)):
        services.return_report(
            report=baotou,
            by=reviewer,
            reason="“独居老人防诈骗主题讲座”受益人次与参与人次不一致，请核实后重新报送。",
        )
    baotou = _submit(first, "150200000000", at(2022, 3, 25, 9, 20), "王海燕", "13904721234")
    with _clock(at(2022, 3, 25, 10, 0)):
        services.approve_report(report=baotou, by=reviewer)
    _submit(first, "150100000000", at(2022, 3, 24, 11, 5), "李晓东", "13847110022")
    late = _submit(first, "150781000000", at(2022, 3, 25, 16, 40), "赵敏", "13904700088")
    with _clock(at(2022, 3, 26, 9, 0)):
        services.approve_report(report=late, by=reviewer)
    wuhai = ExpectedReporter.objects.filter(period=first, unit__code="150300000000").first()
    if wuhai:
        with _clock(at(2022, 3, 23, 10, 0)):
            campaign_services.excuse_expected(
                expected=wuhai, reason="疫情防控封闭管理期间，经同意本周免报", by=None
            )
    _submit(second, "150200000000", at(2022, 3, 31, 14, 0), "王海燕", "13904721234")
