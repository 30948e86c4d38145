"""A period report on A4 paper (landscape, for its 附件1 table), printed from the browser:
the same figures as the report page, from views._report_context."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from shegong.campaigns.models import PeriodKind

from . import selectors
from .views import _report_context


@login_required
def report_print(request, pk):
    report = selectors.get_report_for_user(request.user, pk)
    if report.period.kind == PeriodKind.SUMMARY:  # a summary prints as the document it is
        return redirect("summary_print", report.period_id, report.unit.code)
    context = _report_context(request, report.unit, report.period, report)
    context["back_url"] = reverse("report_detail", args=[report.pk])
    return render(request, "reporting/report_print.html", context)
