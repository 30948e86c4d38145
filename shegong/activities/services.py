"""Every write to the register and the visit log. The form, the importer and the API call
only these: one transaction each, a version row for every change, an audit row."""

import json
from collections import Counter
from json.encoder import encode_basestring

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.audit.services import record_event
from shegong.edits import check_version

from . import bulk, privacy, rollups, routing, selectors
from .models import Activity, ActivityAttachment, ActivityPhoto, ActivityVersion, Linkage, Visit
from .photos import clean_image
from .validation import LABELS, all_types, check_activity, domain_names, lists_read_once

STORED = [
    "name",
    "org_text",
    "participants",
    "date_start",
    "date_end",
    "place",
    "content",
    "domain_mask",
    "other_domains",
    "beneficiaries",
    "funds",
    "inkind",
    "remarks",
    "activity_type",
    "mode",
    "linkage",
    "filler_name",
    "filler_mobile",
]
VERSION_LABELS = {**LABELS, "domain_mask": "服务领域", "other_domains": "其他服务领域"}
LOCKED = "本活动所在批次的报表已审核通过，已锁定。如需修改，请联系上级审核员解锁。"


def _require_filler(by, unit):
    """填报员 or 管理员 of the unit itself enter its data (None = the system)."""
    if by is not None and not selectors.can_enter(by, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以登记。")


LINK_LABELS = Linkage.choices


def _shown(field, value, form_names=None):
    """A JSON-able, readable value for version rows and audit rows. An activity form given
    by id is named from `form_names` ({id: name})."""
    if value is None:
        return None
    if field == "domain_mask":
        return "、".join(domain_names(value))
    if field == "activity_type":
        return form_names[value] if isinstance(value, int) else str(value)
    if field == "linkage":
        return "、".join(label for bit, label in LINK_LABELS if value & bit)
    return str(value) if not isinstance(value, int | str) else value


CODED = {"domain_mask", "activity_type", "linkage"}  # stored as numbers, shown as names
KEYS = [(f, encode_basestring(VERSION_LABELS[f]), f in CODED) for f in STORED]


def _created(data, form_names=None):
    """The changes of a new activity's version row, as JSON text: every field it was given,
    from nothing ({"活动名称": [null, "…"], …}). Written out directly rather than through a
    dict and json.dumps: an import writes 10,000 of them, and this takes a third the time."""
    parts = []
    for f, key, coded in KEYS:
        value = data.get(f)
        if not value:
            continue
        if coded:
            value = _shown(f, value, form_names)
        shown = value if type(value) is int else encode_basestring(str(value))
        parts.append(f"{key}: [null, {shown}]")
    return "{" + ", ".join(parts) + "}"


def _values(activity):
    return {f: getattr(activity, f) for f in STORED}


def _raise(checked):
    raise ValidationError(checked.errors)


def _version(activity, action, changes, by):
    ActivityVersion.objects.create(
        activity=activity, version=activity.version, action=action, changes=changes, by=by
    )


def _clean_photos(uploads):
    if len(uploads) > settings.PHOTOS_PER_ACTIVITY:
        raise ValidationError(
            {"photos": f"每个活动最多上传 {settings.PHOTOS_PER_ACTIVITY} 张照片。"}
        )
    try:
        return [clean_image(upload) for upload in uploads]
    except ValidationError as e:
        raise ValidationError({"photos": e.messages}) from None


def _save_photo(activity, cleaned, caption=""):
    content, width, height = cleaned
    photo = ActivityPhoto(activity=activity, caption=caption[:200], width=width, height=height)
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


@transaction.atomic
def record_activity(*, unit, data, by, notice=None, partners=(), photos=()):
    """Register one activity (with its photos); returns it with `.warnings` from the checks."""
    _require_filler(by, unit)
    checked = check_activity(data, notice=notice)
    if not checked.ok:
        _raise(checked)
    changes = json.loads(_created(checked.data))
    cleaned = _clean_photos(photos)
    activity = Activity(unit=unit, org_path=unit.path, notice=notice, created_by=by, **checked.data)
    activity.save()
    rollups.record(added=[rollups.group_of(activity)])
    if partners:
        activity.partners.set(partners)
    for item in cleaned:
        _save_photo(activity, item)
    if cleaned:
        changes["照片"] = [None, f"{len(cleaned)} 张"]
    _version(activity, "created", changes, by)
    record_event(action="activities.recorded", by=by, unit=unit, obj=activity, after=changes)
    activity.warnings = checked.warnings
    return activity


STALE = "登记簿在预览之后有了变化（有活动被修改、锁定或删除），本次未保存任何活动，请重新上传预览。"


def _require_route(by, unit, targets):
    """An import stores into `unit` or, for a bureau's consolidated table, into units of
    its subtree; the user must enter data for `unit` itself."""
    _require_filler(by, unit)
    outside = [t for t in targets if not t.path.startswith(unit.path)]
    if outside:
        raise PermissionDenied(f"“{outside[0].name}”不是本单位或下级单位，不能导入。")


def stored_values(data):
    """check_activity's data with the activity form by its id, as the bulk writes take it
    and the importer's matching compares it (in place)."""
    form = data.get("activity_type")
    data["activity_type"] = form.pk if form is not None else None
    return data


def _form_names():
    return {t.pk: t.name for t in all_types()}


def _new_rows(new, *, by, notice, at):
    """The activities table rows of `new` (unit, values) for bulk.insert."""
    notice_id = notice.pk if notice else None
    by_id = by.pk if by else None
    return [
        (unit.pk, unit.path, notice_id, *(v[f] for f in STORED), 1, "", by_id, at, at)
        for unit, v in new
    ]


NEW_COLUMNS = [
    "unit_id",
    "org_path",
    "notice_id",
    *(f + "_id" if f == "activity_type" else f for f in STORED),
    "version",
    "locked_reason",
    "created_by_id",
    "created_at",
    "updated_at",
]
VERSION_COLUMNS = ["activity_id", "version", "action", "changes", "by_id", "at"]


STORE_CHUNK = 5000  # rows built and sent at a time: a 100,000-row import stays small


def _store_new(new, *, by, notice, at):
    """Insert checked values with their version rows; returns the new ids."""
    by_id = by.pk if by else None
    ids = []
    with lists_read_once():
        names = _form_names()
        for start in range(0, len(new), STORE_CHUNK):
            chunk = new[start : start + STORE_CHUNK]
            made = bulk.insert(Activity, NEW_COLUMNS, _new_rows(chunk, by=by, notice=notice, at=at))
            versions = [
                (pk, 1, "created", _created(v, names), by_id, at)
                for pk, (_, v) in zip(made, chunk, strict=True)
            ]
            bulk.insert(ActivityVersion, VERSION_COLUMNS, versions)
            ids += made
    rollups.record(added=[rollups.contribution(unit.path, v) for unit, v in new])
    return ids


def _store_changes(changed, fields, *, by, at):
    """Update stored activities to their new values in `fields`; refuses the lot when one
    was changed, locked or deleted since it was read."""
    names = _form_names()
    by_id = by.pk if by else None
    columns = [f + "_id" if f == "activity_type" else f for f in fields]
    rows, versions = [], []
    for _, stored, values in changed:  # inside import_activities' lists_read_once()
        rows.append(
            (*(values[f] for f in fields), stored.version + 1, at, stored.id, stored.version)
        )
        before = stored.values
        diff = {
            VERSION_LABELS[f]: [_shown(f, before[f], names), _shown(f, values[f], names)]
            for f in fields
            if before[f] != values[f]
        }
        changes = json.dumps(diff, ensure_ascii=False)
        versions.append((stored.id, stored.version + 1, "updated", changes, by_id, at))
    done = bulk.update(
        Activity,
        [*columns, "version", "updated_at"],
        rows,
        where="version = %s AND locked_at IS NULL AND deleted_at IS NULL",
    )
    if done != len(rows):
        raise ValidationError(STALE)
    bulk.insert(ActivityVersion, VERSION_COLUMNS, versions)
    rollups.record(
        added=[rollups.contribution(unit.path, v) for unit, _, v in changed],
        removed=[rollups.contribution(unit.path, s.values) for unit, s, _ in changed],
    )


@transaction.atomic
def import_activities(
    *, unit, new, changed=(), fields=(), organisers=None, by, notice=None, source="", obj=None
):
    """Store an imported table in one transaction. `new` are (unit, values) to add;
    `changed` are (unit, matching.Stored, values) to update in `fields`, the values being
    all that the activity holds after the change. Values are stored_values() of
    check_activity's data: the importer checks each row once, they are not checked again.
    Every unit is `unit` or below it (a bureau's consolidated table); the clerk's choices
    among its `organisers` (routing.match) are remembered for the next file. One version
    row per activity, the summaries in one upsert, one audit row for the whole import.
    Returns the new ids."""
    _require_route(by, unit, {u.pk: u for u, *_ in [*new, *changed]}.values())
    routing.remember(scope=unit, matches=organisers or {}, by=by)
    at = bulk.moment(timezone.now())
    ids = _store_new(new, by=by, notice=notice, at=at)
    with lists_read_once():
        _store_changes(changed, fields, by=by, at=at)
    per_unit = Counter(u.code for u, *_ in [*new, *changed])
    record_event(
        action="activities.imported",
        by=by,
        unit=unit,
        obj=obj,
        after={
            "文件": source,
            "新增": len(ids),
            "修改": len(changed),
            "单位": dict(per_unit),
            "新增编号": ids,
            "修改编号": [s.id for _, s, _ in changed],
        },
    )
    return ids


@transaction.atomic
def record_activities(*, unit, rows, by, notice=None, source=""):
    """Register many activities of one unit at once: every row is checked as record_activity
    checks it and gets its own version row; one audit row names the batch. All rows or
    none: the first invalid row raises and nothing is stored."""
    _require_filler(by, unit)
    new = []
    for data in rows:
        checked = check_activity(data, notice=notice)
        if not checked.ok:
            _raise(checked)
        new.append((unit, stored_values(checked.data)))
    ids = _store_new(new, by=by, notice=notice, at=bulk.moment(timezone.now()))
    record_event(
        action="activities.recorded_many",
        by=by,
        unit=unit,
        after={"来源": source, "条数": len(ids), "编号": ids},
    )
    return list(Activity.objects.filter(pk__in=ids).order_by("id"))


def _editable(activity):
    if activity.deleted_at:
        raise ValidationError("该活动已删除，不能修改。")
    if activity.locked_at:
        raise ValidationError(LOCKED)


@transaction.atomic
def update_activity(*, activity, data, by, notice=None, partners=None, version=None):
    """Change an activity; a version row keeps each field's old and new value. `version`
    is the one the form was opened at: a newer stored one refuses the save."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_filler(by, activity.unit)
    _editable(activity)
    check_version(activity, version)
    notice = notice if notice is not None else activity.notice
    checked = check_activity(data, notice=notice)
    if not checked.ok:
        _raise(checked)
    before, counted = _values(activity), rollups.group_of(activity)
    for key, value in checked.data.items():
        setattr(activity, key, value)
    changes = {
        VERSION_LABELS[f]: [_shown(f, before[f]), _shown(f, getattr(activity, f))]
        for f in STORED
        if before[f] != getattr(activity, f)
    }
    if activity.notice_id != (notice.pk if notice else None):
        changes["相关通知"] = [str(activity.notice or ""), str(notice or "")]
        activity.notice = notice
    if partners is not None:
        activity.partners.set(partners)
    if changes:
        activity.version += 1
        activity.save()
        rollups.record(added=[rollups.group_of(activity)], removed=[counted])
        _version(activity, "updated", changes, by)
        record_event(
            action="activities.updated",
            by=by,
            unit=activity.unit,
            obj=activity,
            before={k: v[0] for k, v in changes.items()},
            after={k: v[1] for k, v in changes.items()},
        )
    activity.warnings = checked.warnings
    return activity


@transaction.atomic
def delete_activity(*, activity, by, reason=""):
    """Mark deleted and keep: the history page still shows it and who deleted it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_filler(by, activity.unit)
    _editable(activity)
    rollups.record(removed=[rollups.group_of(activity)])
    activity.deleted_at = timezone.now()
    activity.version += 1
    activity.save(update_fields=["deleted_at", "version", "updated_at"])
    _version(activity, "deleted", {"删除原因": [None, reason or "—"]}, by)
    record_event(
        action="activities.deleted",
        by=by,
        unit=activity.unit,
        obj=activity,
        after={"reason": reason},
    )
    return activity


@transaction.atomic
def lock_activities(*, queryset, by, reason):
    """Lock the activities of an approved period report (called by reporting)."""
    now = timezone.now()
    rows = list(queryset.select_for_update().filter(locked_at=None, deleted_at=None))
    for activity in rows:
        activity.locked_at, activity.locked_reason = now, reason
        activity.version += 1
        activity.save(update_fields=["locked_at", "locked_reason", "version", "updated_at"])
        _version(activity, "locked", {"锁定": [None, reason]}, by)
    return len(rows)


@transaction.atomic
def unlock_activity(*, activity, by, reason):
    """A reviewer above (or at) the unit reopens a locked activity for correction."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if by is not None and not selectors.can_unlock(by, activity.unit):
        raise PermissionDenied("只有上级审核员可以解锁。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写解锁原因。"})
    if not activity.locked_at:
        raise ValidationError("该活动没有锁定。")
    activity.locked_at, activity.locked_reason = None, ""
    activity.version += 1
    activity.save(update_fields=["locked_at", "locked_reason", "version", "updated_at"])
    _version(activity, "unlocked", {"解锁原因": [None, reason]}, by)
    record_event(
        action="activities.unlocked",
        by=by,
        unit=activity.unit,
        obj=activity,
        after={"reason": reason},
    )
    return activity


@transaction.atomic
def add_photos(*, activity, uploads, by, caption=""):
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_filler(by, activity.unit)
    _editable(activity)
    if activity.photos.count() + len(uploads) > settings.PHOTOS_PER_ACTIVITY:
        raise ValidationError(f"每个活动最多上传 {settings.PHOTOS_PER_ACTIVITY} 张照片。")
    saved = [_save_photo(activity, item, caption) for item in _clean_photos(uploads)]
    activity.version += 1
    activity.save(update_fields=["version", "updated_at"])
    _version(activity, "updated", {"照片": [None, f"新增 {len(saved)} 张"]}, by)
    record_event(action="activities.photo_added", by=by, unit=activity.unit, obj=activity)
    return saved


@transaction.atomic
def add_attachment(*, activity, kind, upload, by):
    """防控方案 / 应急预案 of an offline activity."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _require_filler(by, activity.unit)
    _editable(activity)
    limit = settings.NOTICE_ATTACHMENT_MAX_MB * 1024 * 1024
    name = upload.name.rsplit("/", 1)[-1]
    if upload.size > limit:
        raise ValidationError(
            f"“{name}”超过上限 {settings.NOTICE_ATTACHMENT_MAX_MB} MB，请压缩后再上传。"
        )
    attachment = ActivityAttachment.objects.create(
        activity=activity, kind=kind, name=name[:200], file=upload
    )
    activity.version += 1
    activity.save(update_fields=["version", "updated_at"])
    _version(activity, "updated", {attachment.get_kind_display(): [None, name]}, by)
    record_event(action="activities.attachment_added", by=by, unit=activity.unit, obj=activity)
    return attachment


def missing_safety_plans(activity):
    """Which of the 防控方案/应急预案 an offline activity still lacks, when its notice asks."""
    from .models import AttachmentKind, Mode

    if not (activity.notice and activity.notice.require_safety_plans):
        return []
    if activity.mode == Mode.ONLINE:
        return []
    have = set(activity.attachments.values_list("kind", flat=True))
    return [label for kind, label in AttachmentKind.choices if kind not in have]


# --- family visits ----------------------------------------------------------------------

VISIT_FIELDS = [
    "date",
    "household_name",
    "household_address",
    "household_phone",
    "group",
    "visitors",
    "purpose",
    "outcome",
    "follow_up",
    "activity",
]


def _masked(visit):
    """What the audit log keeps of a visit: no personal information in clear."""
    return {
        "date": visit.date,
        "household": privacy.mask_name(visit.household_name),
        "phone": privacy.mask_phone(visit.household_phone),
        "group": visit.group,
    }


def _check_visit(visit):
    if visit.activity_id and visit.activity.unit_id != visit.unit_id:
        raise ValidationError({"activity": "只能关联本单位的活动。"})
    visit.full_clean(exclude=["unit", "org_path", "created_by"])


@transaction.atomic
def record_visit(*, unit, data, by):
    _require_filler(by, unit)
    unknown = set(data) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown visit fields: {sorted(unknown)}")
    visit = Visit(unit=unit, org_path=unit.path, created_by=by, **data)
    _check_visit(visit)
    visit.save()
    record_event(action="visits.recorded", by=by, unit=unit, obj=visit, after=_masked(visit))
    return visit


@transaction.atomic
def update_visit(*, visit, data, by, version=None):
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require_filler(by, visit.unit)
    if visit.deleted_at:
        raise ValidationError("该走访记录已删除，不能修改。")
    check_version(visit, version)
    old = Visit.objects.get(pk=visit.pk)
    for key in VISIT_FIELDS:
        if key in data:
            setattr(visit, key, data[key])
    _check_visit(visit)
    visit.version += 1
    visit.save()
    record_event(
        action="visits.updated",
        by=by,
        unit=visit.unit,
        obj=visit,
        before=_masked(old),
        after=_masked(visit),
    )
    return visit


@transaction.atomic
def delete_visit(*, visit, by):
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    _require_filler(by, visit.unit)
    visit.deleted_at = timezone.now()
    visit.save(update_fields=["deleted_at", "updated_at"])
    record_event(action="visits.deleted", by=by, unit=visit.unit, obj=visit, before=_masked(visit))
    return visit
