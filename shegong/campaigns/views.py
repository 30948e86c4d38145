from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shegong import edits
from shegong.edits import EditConflict
from shegong.forms import add_service_errors, error_messages
from shegong.orgs import selectors as org_selectors
from shegong.orgs.middleware import unit_of
from shegong.orgs.models import OrgUnit, Role

from . import selectors, services
from .calendar import cutoff_warnings
from .diff import notice_diff
from .forms import (
    AddresseeForm,
    AttachmentForm,
    NoticeForm,
    PeriodFormSet,
    QuotaFormSet,
    ReasonForm,
    SectionFormSet,
    filled,
)
from .models import ExpectedReporter, Notice, NoticeAttachment, Notification


@login_required
def notice_list(request):
    unit = unit_of(request)
    visible = selectors.notices_visible_to(request.user).select_related("issuer")
    tab = request.GET.get("tab", "inbox")
    context = {"tab": tab, "unit": unit}
    if tab == "issued":
        context["notices"] = visible.filter(issuer=unit).order_by("-created_at")
    elif tab == "all":
        context["page"] = Paginator(visible.order_by("-window_start", "-id"), 30).get_page(
            request.GET.get("page")
        )
    else:
        context["receipts"] = selectors.inbox(request.user, unit)
    context["can_draft"] = Role.ADMIN in selectors.direct_roles(request.user, unit)
    return render(request, "campaigns/notice_list.html", context)


def _children_of(unit):
    return list(OrgUnit.objects.filter(parent=unit, is_active=True).order_by("path"))


def _rules_from(form, issuer):
    data = form.cleaned_data
    codes = {
        c.strip()
        for c in (data.get("codes") or "").replace("，", ",").split()
        for c in c.split(",")
        if c.strip()
    }
    codes |= set(data.get("units") or [])
    units = list(OrgUnit.objects.filter(code__in=codes))
    missing = codes - {u.code for u in units}
    if missing:
        raise ValidationError({"addressees": f"找不到单位代码：{'、'.join(sorted(missing))}"})
    return {"units": units, "kinds": data.get("kinds") or []}


def _editor_forms(issuer, notice=None, initial=None, post=None):
    """The notice form, three formsets and the addressees, opened on `notice` or bound to
    `post`; the notice form carries the version and values they were opened with."""
    if notice is not None:
        initial = {"doc_number": notice.doc_number}
        sections = [{"heading": s.heading, "text": s.text} for s in notice.sections.all()]
        periods = [{f: getattr(p, f) for f in services.PERIOD_FIELDS} for p in notice.periods.all()]
        quotas = [{f: getattr(q, f) for f in services.QUOTA_FIELDS} for q in notice.quotas.all()]
        rules = list(notice.addressee_rules.select_related("unit"))
        children = {u.code for u in _children_of(issuer)}
        addressees = {
            "units": [r.unit.code for r in rules if r.unit_id and r.unit.code in children],
            "kinds": [r.kind for r in rules if r.kind],
            "codes": "\n".join(
                r.unit.code for r in rules if r.unit_id and r.unit.code not in children
            ),
        }
    else:
        sections, periods, quotas, addressees = [], [], [], {}
    forms = {
        "form": NoticeForm(post, instance=notice, initial=initial),
        "sections": SectionFormSet(post, initial=sections, prefix="sections"),
        "periods": PeriodFormSet(post, initial=periods, prefix="periods"),
        "quotas": QuotaFormSet(post, initial=quotas, prefix="quotas"),
        "addressees": AddresseeForm(post, initial=addressees, children=_children_of(issuer)),
    }
    if notice is not None:
        edits.track(forms["form"], notice, *_parts(forms))
    return forms


def _parts(forms):
    return [forms[k] for k in ("sections", "periods", "quotas", "addressees")]


def _editor(request, issuer, notice=None, initial=None):
    """The draft editor: the notice form, three formsets and the addressees."""
    post = request.POST if request.method == "POST" else None
    forms = _editor_forms(issuer, notice, initial, post)
    if post is None or not all(f.is_valid() for f in forms.values()):
        return None, forms
    form = forms["form"]
    try:
        saved = services.save_draft(
            issuer=issuer,
            by=request.user,
            notice=notice,
            fields={f: form.cleaned_data[f] for f in NoticeForm.Meta.fields},
            doc_number=form.cleaned_data["doc_number"],
            sections=filled(forms["sections"]),
            periods=filled(forms["periods"]),
            quotas=filled(forms["quotas"]),
            rules=_rules_from(forms["addressees"], issuer),
            version=form.cleaned_data.get("version"),
        )
    except ValidationError as e:
        add_service_errors(form, e)
        return None, forms
    except EditConflict as e:
        fresh = _editor_forms(issuer, e.obj)
        conflict = edits.resolve_form(
            form, fresh["form"], e.obj, *_parts(forms), fresh_others=_parts(fresh)
        )
        forms = _editor_forms(issuer, e.obj, post=conflict.data)
        forms["conflict"] = conflict
        return None, forms
    return saved, forms


def _suggested_doc_number(issuer):
    last = Notice.objects.filter(issuer=issuer).exclude(doc_prefix="").order_by("-id").first()
    if last is None:
        return ""
    year = timezone.localdate().year
    return f"{last.doc_prefix}〔{year}〕{services.propose_doc_serial(last.doc_prefix, year)}号"


@login_required
def notice_create(request):
    issuer = request.unit
    if issuer is None or Role.ADMIN not in selectors.direct_roles(request.user, issuer):
        raise PermissionDenied("只有本单位的管理员可以起草通知。")
    initial = {"doc_number": _suggested_doc_number(issuer)}
    notice, forms = _editor(request, issuer, initial=initial)
    if notice is not None:
        messages.success(request, "草稿已保存。")
        return redirect("notice_detail", pk=notice.pk)
    return render(
        request, "campaigns/notice_form.html", {**forms, "issuer": issuer, "title": "起草通知"}
    )


@login_required
def notice_edit(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    if not selectors.can_edit(request.user, notice):
        raise PermissionDenied("只有发文单位的管理员可以修改草稿。")
    saved, forms = _editor(request, notice.issuer, notice=notice)
    if saved is not None:
        messages.success(request, "草稿已保存。")
        return redirect("notice_detail", pk=notice.pk)
    context = {**forms, "issuer": notice.issuer, "notice": notice, "title": "修改通知"}
    context["attachment_form"] = AttachmentForm()
    return render(request, "campaigns/notice_form.html", context)


def _warnings(notice):
    out = []
    for period in notice.periods.all():
        out += [f"“{period.name}”：{w}" for w in cutoff_warnings(period.cutoff)]
        if notice.is_draft and period.cutoff <= timezone.now():
            out.append(f"“{period.name}”的截止时间已过。")
    for quota in notice.quotas.all():
        if quota.start_date < notice.window_start:
            out.append(f"任务指标“{quota}”的开始日期早于活动开始日期。")
    return out


@login_required
def notice_detail(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    manage = selectors.can_manage_issued(request.user, notice)
    receipts = selectors.recipient_units_for(request.user, notice)
    context = {
        "notice": notice,
        "sections": notice.sections.all(),
        "periods": notice.periods.annotate(
            n_expected=Count("expected", filter=Q(expected__excused_at=None)),
            n_delivered=Count(
                "expected",
                filter=Q(expected__excused_at=None, expected__delivered_at__isnull=False),
            ),
        ),
        "quotas": notice.quotas.all(),
        "attachments": notice.attachments.all(),
        "can_edit": selectors.can_edit(request.user, notice),
        "can_manage": manage,
        "my_receipts": [
            (r, selectors.can_sign(request.user, r), selectors.can_derive(request.user, r))
            for r in receipts
        ],
        "warnings": _warnings(notice) if manage else [],
        "derived": selectors.notices_visible_to(request.user)
        .filter(parent=notice)
        .select_related("issuer"),
    }
    if manage and not notice.is_draft:
        recipients = notice.recipients.select_related("unit", "signed_by")
        context["recipients"] = recipients
        context["signed_count"] = sum(1 for r in recipients if r.signed_at)
    visible = selectors.notices_visible_to(request.user)
    if notice.parent_id and visible.filter(pk=notice.parent_id).exists():
        context["diff"] = notice_diff(notice.parent, notice)
    return render(request, "campaigns/notice_detail.html", context)


def _post(request, pk, action, success):
    """Run a service on a visible notice and come back to it with a message."""
    notice = selectors.get_notice_for_user(request.user, pk)
    try:
        result = action(notice)
    except ValidationError as e:
        error_messages(request, e)
        return redirect("notice_detail", pk=notice.pk)
    messages.success(request, success)
    return result or redirect("notice_detail", pk=notice.pk)


@login_required
@require_POST
def notice_issue(request, pk):
    return _post(
        request,
        pk,
        lambda n: services.issue_notice(notice=n, by=request.user) and None,
        "通知已印发，主送单位已收到。",
    )


@login_required
@require_POST
def notice_close(request, pk):
    return _post(
        request,
        pk,
        lambda n: services.close_notice(notice=n, by=request.user) and None,
        "通知已结束。",
    )


def _my_receipt(request, notice):
    code = request.POST.get("unit", "")
    for r in selectors.recipient_units_for(request.user, notice):
        if r.unit.code == code:
            return r
    raise Http404("该单位不是这份通知的主送单位。")


@login_required
@require_POST
def notice_sign(request, pk):
    def sign(notice):
        services.sign_notice(recipient=_my_receipt(request, notice), by=request.user)

    return _post(request, pk, sign, "已签收。")


@login_required
@require_POST
def notice_derive(request, pk):
    def derive(notice):
        derived = services.derive_notice(
            parent=notice, recipient=_my_receipt(request, notice), by=request.user
        )
        return redirect("notice_edit", pk=derived.pk)

    return _post(
        request, pk, derive, "已根据上级通知生成草稿，请填写本单位的文号并修改需要调整的内容。"
    )


def _back_to_editor(request, notice):
    name = "notice_edit" if selectors.can_edit(request.user, notice) else "notice_detail"
    return redirect(name, pk=notice.pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return _back_to_editor(request, notice)
    try:
        services.add_attachment(
            notice=notice,
            upload=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
            by=request.user,
        )
    except ValidationError as e:
        error_messages(request, e)
    else:
        messages.success(request, "附件已上传。")
    return _back_to_editor(request, notice)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_id):
    notice = selectors.get_notice_for_user(request.user, pk)
    attachment = notice.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("没有找到该附件。")
    try:
        services.remove_attachment(attachment=attachment, by=request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, "附件已删除。")
    return _back_to_editor(request, notice)


@login_required
def attachment_download(request, pk, attachment_id):
    notice = selectors.get_notice_for_user(request.user, pk)
    attachment = NoticeAttachment.objects.filter(notice=notice, pk=attachment_id).first()
    if attachment is None:
        raise Http404("没有找到该附件。")
    suffix = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else ""
    filename = (
        attachment.name if attachment.name.endswith(suffix) else f"{attachment.name}.{suffix}"
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=filename)


@login_required
def expected_list(request, pk):
    """The frozen expected reporters of each deliverable, for the issuer to add or excuse."""
    notice = selectors.get_notice_for_user(request.user, pk)
    if not selectors.can_manage_issued(request.user, notice) or notice.is_draft:
        raise Http404("没有找到该页面。")
    rows = (
        ExpectedReporter.objects.filter(notice=notice)
        .select_related("unit", "period", "quota")
        .order_by("period__cutoff", "quota_id", "unit_path")
    )
    groups = {}
    for row in rows:
        groups.setdefault(row.period or row.quota, []).append(row)
    return render(
        request,
        "campaigns/expected.html",
        {"notice": notice, "groups": groups, "form": ReasonForm()},
    )


@login_required
@require_POST
def expected_excuse(request, pk, expected_id):
    notice = selectors.get_notice_for_user(request.user, pk)
    row = ExpectedReporter.objects.filter(notice=notice, pk=expected_id).first()
    if row is None:
        raise Http404("没有找到该单位。")
    try:
        services.excuse_expected(
            expected=row, reason=request.POST.get("reason", ""), by=request.user
        )
    except ValidationError as e:
        error_messages(request, e)
    else:
        messages.success(request, f"已将“{row.unit.name}”设为免报。")
    return redirect("notice_expected", pk=notice.pk)


@login_required
@require_POST
def expected_add(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    target = {}
    deliverable = request.POST.get("deliverable", "")
    if deliverable.startswith("period-"):
        target["period"] = notice.periods.filter(pk=deliverable[7:]).first()
    elif deliverable.startswith("quota-"):
        target["quota"] = notice.quotas.filter(pk=deliverable[6:]).first()
    unit = (
        org_selectors.units_visible_to(request.user)
        .filter(code=request.POST.get("unit", "").strip())
        .first()
    )
    try:
        if not any(target.values()):
            raise ValidationError("请选择报送批次或任务指标。")
        if unit is None:
            raise ValidationError("找不到该单位代码。")
        services.add_expected(
            notice=notice,
            unit=unit,
            reason=request.POST.get("reason", ""),
            by=request.user,
            **target,
        )
    except ValidationError as e:
        error_messages(request, e)
    else:
        messages.success(request, f"已将“{unit.name}”加入应报单位。")
    return redirect("notice_expected", pk=notice.pk)


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(request, "campaigns/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    Notification.objects.filter(user=request.user, read_at=None).update(read_at=timezone.now())
    return redirect("notifications")


@login_required
def notification_open(request, pk):
    item = Notification.objects.filter(user=request.user, pk=pk).first()
    if item is None:
        raise Http404("没有找到该消息。")
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    # Only our own paths: a notification must never send anyone off-site.
    if not item.url.startswith("/") or item.url.startswith("//"):
        return redirect("notifications")
    return redirect(item.url)
