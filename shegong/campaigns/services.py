"""Every write to notices: drafting, issuing, signing, re-issuing, expected reporters.

Each function is one transaction with its audit row; notifications go out on commit.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shegong.audit.services import changed, record_event
from shegong.edits import check_version
from shegong.orgs import tree
from shegong.orgs.models import OrgUnit, Role

from . import notifications, selectors, tallies
from .models import (
    AddresseeRule,
    ExpectedReporter,
    Notice,
    NoticeAttachment,
    NoticeRecipient,
    NoticeSection,
    NoticeStatus,
    Quota,
    ReporterScope,
    ReportingPeriod,
    parse_doc_number,
)

NOTICE_FIELDS = [
    "title",
    "addressee_text",
    "theme",
    "goals",
    "window_start",
    "window_end",
    "reporter_scope",
    "reporter_kinds",
    "require_safety_plans",
    "contact_person",
    "contact_phone",
    "contact_email",
    "signed_date",
]
PERIOD_FIELDS = ["kind", "name", "start_date", "end_date", "cutoff", "submit_to"]
QUOTA_FIELDS = ["metric", "target", "start_date", "end_date", "kinds"]
BATCH = 2000


def _require_issuer_admin(by, notice):
    if by is not None and not selectors.can_manage_issued(by, notice):
        raise PermissionDenied("只有发文单位的管理员可以进行此操作。")


def propose_doc_serial(prefix, year):
    """The next free serial number for a 机关代字 and year."""
    last = Notice.objects.filter(doc_prefix=prefix, doc_year=year).aggregate(n=Max("doc_serial"))
    return (last["n"] or 0) + 1


def _set_doc_number(notice, text):
    text = (text or "").strip()
    if not text:
        notice.doc_prefix, notice.doc_year, notice.doc_serial = "", None, None
        return
    try:
        prefix, year, serial = parse_doc_number(text)
    except ValidationError as e:
        raise ValidationError({"doc_number": e.messages}) from None
    taken = Notice.objects.filter(doc_prefix=prefix, doc_year=year, doc_serial=serial)
    if taken.exclude(pk=notice.pk).exists():
        suggestion = f"{prefix}〔{year}〕{propose_doc_serial(prefix, year)}号"
        raise ValidationError({"doc_number": f"文号已被使用，下一个可用的文号是“{suggestion}”。"})
    notice.doc_prefix, notice.doc_year, notice.doc_serial = prefix, year, serial


def _check_units_below(issuer, units):
    for unit in units:
        if not unit.path.startswith(issuer.path) or unit.pk == issuer.pk:
            raise ValidationError({"addressees": f"“{unit.name}”不是本单位的下级单位。"})


def _snapshot(notice):
    data = {f: getattr(notice, f) for f in NOTICE_FIELDS}
    data["doc_number"] = notice.doc_number
    data["sections"] = [s.heading for s in notice.sections.all()]
    data["periods"] = [
        [p.name, timezone.localtime(p.cutoff).isoformat()] for p in notice.periods.all()
    ]
    data["quotas"] = [[q.metric, q.target, q.kinds] for q in notice.quotas.all()]
    data["addressees"] = [str(r) for r in notice.addressee_rules.select_related("unit")]
    return data


def _replace_children(notice, sections, periods, quotas, rules):
    notice.sections.all().delete()
    NoticeSection.objects.bulk_create(
        NoticeSection(notice=notice, order=i, heading=s["heading"], text=s["text"])
        for i, s in enumerate(sections)
    )
    notice.periods.all().delete()
    for p in periods:
        period = ReportingPeriod(notice=notice, **{f: p[f] for f in PERIOD_FIELDS if f in p})
        period.full_clean(exclude=["notice"])
        period.save()
    notice.quotas.all().delete()
    for q in quotas:
        quota = Quota(notice=notice, **{f: q[f] for f in QUOTA_FIELDS})
        if not quota.kinds:
            raise ValidationError({"quotas": f"任务指标“{quota}”须选择适用的单位类型。"})
        quota.full_clean(exclude=["notice"])
        quota.save()
    notice.addressee_rules.all().delete()
    units, kinds = rules.get("units", []), rules.get("kinds", [])
    _check_units_below(notice.issuer, units)
    AddresseeRule.objects.bulk_create(
        [AddresseeRule(notice=notice, unit=u) for u in units]
        + [AddresseeRule(notice=notice, kind=k) for k in kinds]
    )


@transaction.atomic
def save_draft(
    *,
    issuer,
    by,
    fields,
    doc_number="",
    sections=(),
    periods=(),
    quotas=(),
    rules=None,
    notice=None,
    parent=None,
    version=None,
):
    """Create or replace a draft notice with its body, deliverables and addressees.
    `version` is the one the editor was opened at: a newer stored draft refuses the save."""
    if notice is None:
        notice = Notice(issuer=issuer, parent=parent, created_by=by)
        before = None
    else:
        Notice.objects.select_for_update().filter(pk=notice.pk).exists()  # lock, then read
        notice.refresh_from_db()
        if not notice.is_draft:
            raise ValidationError("通知已印发，不能再修改。")
        check_version(notice, version)
        before = _snapshot(notice)
    if by is not None and Role.ADMIN not in selectors.direct_roles(by, issuer):
        raise PermissionDenied("只有本单位的管理员可以起草和签发通知。")
    for key in NOTICE_FIELDS:
        if key in fields:
            setattr(notice, key, fields[key])
    _set_doc_number(notice, doc_number)
    notice.full_clean(exclude=["issuer", "parent"])
    notice.save()
    _replace_children(notice, sections, periods, quotas, rules or {})
    after = _snapshot(notice)
    if before is None:
        record_event(action="campaigns.notice_drafted", by=by, unit=issuer, obj=notice, after=after)
    else:
        old, new = changed(before, after)
        if new:
            notice.version += 1
            notice.save(update_fields=["version"])
            record_event(
                action="campaigns.notice_edited",
                by=by,
                unit=issuer,
                obj=notice,
                before=old,
                after=new,
            )
    return notice


ALLOWED_ATTACHMENTS = (
    ".doc",
    ".docx",
    ".wps",
    ".xls",
    ".xlsx",
    ".et",
    ".ods",
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".rar",
    ".txt",
    ".ofd",
)


@transaction.atomic
def add_attachment(*, notice, upload, by, name=""):
    _require_issuer_admin(by, notice)
    if not notice.is_draft:
        raise ValidationError("通知已印发，不能再添加附件。")
    limit = settings.NOTICE_ATTACHMENT_MAX_MB * 1024 * 1024
    filename = upload.name.rsplit("/", 1)[-1]
    if upload.size > limit:
        raise ValidationError(
            {
                "file": f"附件“{filename}”大小为 {upload.size / 1024 / 1024:.1f} MB，"
                f"超过上限 {settings.NOTICE_ATTACHMENT_MAX_MB} MB，请压缩或拆分后再上传。"
            }
        )
    if not filename.lower().endswith(ALLOWED_ATTACHMENTS):
        raise ValidationError(
            {"file": f"附件“{filename}”的类型不支持，请上传 Word、Excel、WPS、PDF、图片或压缩包。"}
        )
    attachment = NoticeAttachment.objects.create(
        notice=notice, name=(name or filename)[:200], file=upload, size=upload.size
    )
    record_event(
        action="campaigns.attachment_added",
        by=by,
        unit=notice.issuer,
        obj=notice,
        after={"name": attachment.name, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment, by):
    notice = attachment.notice
    _require_issuer_admin(by, notice)
    if not notice.is_draft:
        raise ValidationError("通知已印发，不能再删除附件。")
    record_event(
        action="campaigns.attachment_removed",
        by=by,
        unit=notice.issuer,
        obj=notice,
        before={"name": attachment.name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


def resolve_addressees(notice):
    """The units a notice goes to: chosen units, plus every active unit of a chosen kind
    below the issuer."""
    units = {r.unit for r in notice.addressee_rules.select_related("unit") if r.unit_id}
    kinds = [r.kind for r in notice.addressee_rules.all() if r.kind]
    if kinds:
        below = OrgUnit.objects.filter(tree.descendants(notice.issuer.path), kind__in=kinds)
        units.update(below.filter(is_active=True))
    return sorted((u for u in units if u.is_active), key=lambda u: u.path)


def _units_below(roots, kinds):
    """Active units of `kinds` in the subtrees of `roots` (roots included), by path prefix.

    A notice may go to thousands of units; filtering by prefix in Python keeps this to one
    range scan of the common ancestor instead of thousands of OR-ed ranges.
    """
    paths = {u.path for u in roots}
    if not paths:
        return []
    common = min(paths)
    while not all(p.startswith(common) for p in paths):
        common = common[: -tree.SEGMENT]
    rows = OrgUnit.objects.filter(tree.subtree(common), kind__in=kinds, is_active=True)
    out = []
    for pk, path in rows.values_list("pk", "path").iterator(chunk_size=BATCH):
        if any(path[:i] in paths for i in range(tree.SEGMENT, len(path) + 1, tree.SEGMENT)):
            out.append((pk, path))
    return out


def _freeze(notice, recipients):
    """Create the expected-reporter rows of every period and quota."""
    if notice.reporter_scope == ReporterScope.ADDRESSEES:
        period_units = [(u.pk, u.path) for u in recipients]
    else:
        period_units = _units_below(recipients, notice.reporter_kinds)
    rows = [
        ExpectedReporter(notice=notice, period=p, unit_id=pk, unit_path=path)
        for p in notice.periods.all()
        for pk, path in period_units
    ]
    for quota in notice.quotas.all():
        rows += [
            ExpectedReporter(notice=notice, quota=quota, unit_id=pk, unit_path=path)
            for pk, path in _units_below(recipients, quota.kinds)
        ]
    ExpectedReporter.objects.bulk_create(rows, batch_size=BATCH)
    tallies.freeze(rows)
    return len(rows)


@transaction.atomic
def issue_notice(*, notice, by):
    """印发: deliver to every addressee's inbox and freeze the expected reporters."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    _require_issuer_admin(by, notice)
    if not notice.is_draft:
        raise ValidationError("该通知已经印发。")
    problems = []
    if not notice.doc_number:
        problems.append("请填写文号。")
    recipients = resolve_addressees(notice)
    if not recipients:
        problems.append("请选择主送单位。")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    NoticeRecipient.objects.bulk_create(
        [NoticeRecipient(notice=notice, unit=u, delivered_at=now) for u in recipients],
        batch_size=BATCH,
    )
    frozen = _freeze(notice, recipients)
    notice.status, notice.issued_at, notice.issued_by = NoticeStatus.ISSUED, now, by
    notice.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    record_event(
        action="campaigns.notice_issued",
        by=by,
        unit=notice.issuer,
        obj=notice,
        after={
            "doc_number": notice.doc_number,
            "recipients": len(recipients),
            "expected_reporters": frozen,
        },
    )
    notifications.notify_units(
        recipients,
        roles=[Role.ADMIN, Role.REVIEWER],
        text=f"收到{notice.issuer.name}的通知：{notice.doc_number}《{notice.title}》，请签收。",
        url=f"/notices/{notice.pk}/",
    )
    return notice


@transaction.atomic
def sign_notice(*, recipient, by):
    """签收: the addressee unit acknowledges the notice (timestamped)."""
    recipient = (
        NoticeRecipient.objects.select_for_update()
        .select_related("unit", "notice")
        .get(pk=recipient.pk)
    )
    if by is not None and not selectors.can_sign(by, recipient):
        raise PermissionDenied("只有主送单位的管理员或审核员可以签收。")
    if recipient.signed_at:
        raise ValidationError("本单位已经签收过该通知。")
    recipient.signed_at, recipient.signed_by = timezone.now(), by
    recipient.save(update_fields=["signed_at", "signed_by"])
    record_event(
        action="campaigns.notice_signed",
        by=by,
        unit=recipient.unit,
        obj=recipient.notice,
        after={"unit": recipient.unit.code},
    )
    return recipient


@transaction.atomic
def derive_notice(*, parent, recipient, by):
    """转发: the addressee drafts its own notice from the parent, to change locally."""
    if recipient.notice_id != parent.pk:
        raise ValidationError("该单位不是这份通知的主送单位。")
    if by is not None and not selectors.can_derive(by, recipient):
        raise PermissionDenied("只有主送单位的管理员可以转发通知。")
    if parent.is_draft:
        raise ValidationError("草稿不能转发。")
    fields = {f: getattr(parent, f) for f in NOTICE_FIELDS}
    fields.update(
        addressee_text="", contact_person="", contact_phone="", contact_email="", signed_date=None
    )
    notice = save_draft(
        issuer=recipient.unit,
        parent=parent,
        by=by,
        fields=fields,
        sections=[{"heading": s.heading, "text": s.text} for s in parent.sections.all()],
        periods=[{f: getattr(p, f) for f in PERIOD_FIELDS} for p in parent.periods.all()],
        quotas=[{f: getattr(q, f) for f in QUOTA_FIELDS} for q in parent.quotas.all()],
    )
    return notice


@transaction.atomic
def close_notice(*, notice, by):
    _require_issuer_admin(by, notice)
    if notice.status != NoticeStatus.ISSUED:
        raise ValidationError("只有已印发的通知可以结束。")
    notice.status, notice.closed_at = NoticeStatus.CLOSED, timezone.now()
    notice.save(update_fields=["status", "closed_at", "updated_at"])
    record_event(action="campaigns.notice_closed", by=by, unit=notice.issuer, obj=notice)
    return notice


@transaction.atomic
def set_portal_figures(*, notice, by, on):
    """The issuer chooses whether the campaign's headline figures appear on the portal."""
    _require_issuer_admin(by, notice)
    if notice.status == NoticeStatus.DRAFT:
        raise ValidationError("通知印发后才能公开统计数字。")
    notice.portal_figures = bool(on)
    notice.save(update_fields=["portal_figures", "updated_at"])
    record_event(
        action="campaigns.portal_figures",
        by=by,
        unit=notice.issuer,
        obj=notice,
        after={"在门户网站公开统计数字": notice.portal_figures},
    )
    return notice


@transaction.atomic
def add_expected(*, notice, unit, reason, by, period=None, quota=None):
    """Add a unit to the expected reporters of one period or quota, with a reason."""
    _require_issuer_admin(by, notice)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写追加原因。"})
    if not unit.path.startswith(notice.issuer.path) or unit.pk == notice.issuer_id:
        raise ValidationError({"unit": f"“{unit.name}”不是发文单位的下级单位。"})
    target = {"period": period} if period is not None else {"quota": quota}
    if ExpectedReporter.objects.filter(unit=unit, **target).exists():
        raise ValidationError({"unit": f"“{unit.name}”已在应报单位名单中。"})
    row = ExpectedReporter.objects.create(
        notice=notice, unit=unit, unit_path=unit.path, added_reason=reason, **target
    )
    if period is not None:
        tallies.change(period.pk, unit.path, expected=1)
    record_event(
        action="campaigns.expected_added",
        by=by,
        unit=notice.issuer,
        obj=notice,
        after={"unit": unit.code, "deliverable": str(period or quota), "reason": reason},
    )
    return row


@transaction.atomic
def excuse_expected(*, expected, reason, by):
    """免报: the unit stays on the list but no longer counts as expected."""
    _require_issuer_admin(by, expected.notice)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写免报原因。"})
    if expected.excused_at:
        raise ValidationError("该单位已免报。")
    expected.excused_at, expected.excused_reason = timezone.now(), reason
    expected.save(update_fields=["excused_at", "excused_reason"])
    if expected.period_id:
        delivered = expected.delivered_at is not None
        on_time = delivered and expected.delivered_at <= expected.period.cutoff
        tallies.change(expected.period_id, expected.unit_path, -1, -int(delivered), -int(on_time))
    record_event(
        action="campaigns.expected_excused",
        by=by,
        unit=expected.notice.issuer,
        obj=expected.notice,
        after={
            "unit": expected.unit.code,
            "deliverable": str(expected.period or expected.quota),
            "reason": reason,
        },
    )
    return expected


@transaction.atomic
def mark_delivered(*, period, unit, at):
    """Record a unit's first delivery of a period (called by the reporting services in
    their own transaction). Later deliveries keep the first timestamp. Returns the
    expected-reporter row, or None when the unit is not expected to report the period."""
    row = (
        ExpectedReporter.objects.select_for_update()
        .filter(period=period, unit=unit, quota=None)
        .first()
    )
    if row is None or row.delivered_at is not None:
        return row
    row.delivered_at = at
    row.save(update_fields=["delivered_at"])
    if row.excused_at is None:
        tallies.change(period.pk, row.unit_path, delivered=1, on_time=int(at <= period.cutoff))
    return row
