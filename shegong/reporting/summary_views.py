"""Pages of the 总结材料: the unit writes it around the generated tables with the live
proofreader beside it, submits it as the summary period's deliverable, and the level above
reads and reviews it. A summary is addressed by its period and unit, so that one not yet
written shows the draft the register gives."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.activities import selectors as activity_selectors
from shegong.articles import proofing
from shegong.edits import EditConflict
from shegong.forms import error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs.middleware import unit_of

from . import selectors, services, summaries
from .models import SUMMARY_SECTIONS, PeriodReport, ReportStatus, Summary
from .views import review_state


def _values(title, texts, annexes):
    """The editor's fields as posted, for edits.resolve()."""
    return {"title": title, **texts, "annexes": sorted(str(a) for a in annexes)}


def _labels(choices):
    annexes = forms.MultipleChoiceField(choices=[(str(s.pk), s.unit.name) for s in choices])
    labels = {key: (label, None) for key, label in SUMMARY_SECTIONS}
    return {"title": ("标题", None), **labels, "annexes": ("附件", annexes)}


def _context(request, unit, period, data=None):
    """What both pages show: the generated tables, the texts, the status and history.
    `data` is what the clerk typed, kept when saving is refused."""
    children = org_selectors.children_of(request.user, unit)
    content, title, texts, summary = summaries.written(unit, period, children)
    chosen = [str(n) for n in (summary.annexes if summary else ())]
    stored = _values(title, texts, chosen)
    if data is not None:
        title = data.get("title", "")
        texts = {key: data.get(key, "") for key, _ in SUMMARY_SECTIONS}
        chosen = data.getlist("annexes")
    return {
        "unit": unit,
        "period": period,
        "notice": period.notice,
        "summary": summary,
        "report": PeriodReport.objects.filter(period=period, unit=unit).first(),
        "content": content,
        "title": title,
        "sections": [(key, label, texts[key]) for key, label in SUMMARY_SECTIONS],
        "annex_choices": content.choices,
        "chosen": {int(n) for n in chosen if str(n).isdigit()},
        "version": (data or {}).get("version") or (summary.version if summary else 0),
        "base": (data or {}).get("base") or edits.sign(stored),
        "stored": stored,
        "versions": summary.versions.select_related("by") if summary else [],
        "proof": summaries.proof(title, texts),
    }


@login_required
def summary_edit(request, period_id):
    """The current unit's summary: written and saved as drafts, then submitted."""
    unit = unit_of(request)
    period = selectors.get_summary_period(request.user, period_id)
    report = PeriodReport.objects.filter(period=period, unit=unit).first()
    sent = report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    if sent or not activity_selectors.can_enter(request.user, unit):
        return redirect("summary_detail", period.pk, unit.code)
    data, conflict = (request.POST if request.method == "POST" else None), None
    if data is not None:
        summary = None
        try:
            summary = services.save_summary(
                period=period,
                unit=unit,
                by=request.user,
                title=data.get("title", ""),
                sections={key: data.get(key, "") for key, _ in SUMMARY_SECTIONS},
                annexes=[int(n) for n in data.getlist("annexes") if n.isdigit()],
                version=edits.posted_version(data),
            )
            if "submit" in request.POST:
                services.submit_summary(
                    summary=summary,
                    by=request.user,
                    filler_name=request.POST.get("filler_name", ""),
                    filler_mobile=request.POST.get("filler_mobile", ""),
                )
                messages.success(request, f"已报送“{period.name}”，等待上级审核。")
                return redirect("summary_detail", period.pk, unit.code)
        except (ValidationError, PermissionDenied) as e:
            error_messages(request, e)
            if summary is not None:  # saved; only the submission was refused
                data = data.copy()
                data["version"] = str(summary.version)
                data["base"] = edits.sign(_values(summary.title, summary.sections, summary.annexes))
        except EditConflict as e:
            now = _context(request, unit, period)
            conflict = edits.resolve(
                data,
                base=edits.unsign(data.get("base")),
                theirs=now["stored"],
                yours=_values(
                    data.get("title", ""),
                    {key: data.get(key, "") for key, _ in SUMMARY_SECTIONS},
                    data.getlist("annexes"),
                ),
                labels=_labels(now["annex_choices"]),
                obj=e.obj,
            )
            data = conflict.data
        else:
            messages.success(request, "已保存。")
            return redirect("summary_edit", period.pk)
    context = _context(request, unit, period, data)
    context.update(
        conflict=conflict,
        expected=period.expected.filter(unit=unit, excused_at=None).exists(),
        filler_name=request.POST.get("filler_name") or (report and report.filler_name) or "",
        filler_mobile=request.POST.get("filler_mobile") or (report and report.filler_mobile) or "",
    )
    return render(request, "reporting/summary_form.html", context)


@login_required
def summary_detail(request, period_id, code):
    """A unit's summary as its readers above see it, with the review form when it waits
    for the viewer's decision."""
    unit = org_selectors.get_visible_unit(request.user, code)
    period = selectors.get_summary_period(request.user, period_id)
    context = _context(request, unit, period)
    report = context["report"]
    context.update(
        can_review=report is not None
        and report.status == ReportStatus.SUBMITTED
        and selectors.can_review(request.user, unit),
        can_edit=activity_selectors.can_enter(request.user, unit)
        and (report is None or report.status in (ReportStatus.OPEN, ReportStatus.RETURNED)),
        events=report.events.select_related("by") if report else [],
        **review_state(request, report),
    )
    return render(request, "reporting/summary_detail.html", context)


@login_required
@require_POST
def summary_check(request):
    """The live check panel of the summary editor (htmx)."""
    texts = {key: request.POST.get(key, "") for key, _ in SUMMARY_SECTIONS}
    proof = summaries.proof(request.POST.get("title", ""), texts)
    return render(request, "articles/_check.html", {"proof": proof})


@login_required
def summary_version(request, period_id, code, version):
    """One kept version of a summary, with what changed from the one before."""
    unit = org_selectors.get_visible_unit(request.user, code)
    period = selectors.get_summary_period(request.user, period_id)
    summary = get_object_or_404(Summary, period=period, unit=unit)
    old = get_object_or_404(summary.versions.select_related("by"), version=version)
    before = summary.versions.filter(version__lt=version).order_by("-version").first()
    context = {
        "unit": unit,
        "period": period,
        "old": old,
        "before": before,
        "text": summaries.body(old.sections),
        "changes": proofing.diff_pieces(
            f"{before.title}\n{summaries.body(before.sections)}",
            f"{old.title}\n{summaries.body(old.sections)}",
        )
        if before
        else None,
    }
    return render(request, "reporting/summary_version.html", context)
