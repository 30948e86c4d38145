"""The life of one uploaded Attachment 1 file: upload → read (preview) → confirm → stored.

Reading and storing run as background tasks (django-tasks): with the embedded default they
run at once inside the request; in production a `db_worker` runs them and the page polls the
progress bar.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from shegong.audit.services import record_event

from . import selectors, table_import
from .models import ActivityImport, ImportStatus


def _plan(imp):
    with imp.file.open("rb") as f:
        data = f.read()
    year = imp.year or (imp.notice.window_start.year if imp.notice else None)

    def progress(done, total):
        ActivityImport.objects.filter(pk=imp.pk).update(done=done, total=total)

    return table_import.plan_import(
        data, unit=imp.unit, year=year, route=imp.route, choices=imp.choices, progress=progress
    )


@task()
def read_import(import_id):
    imp = ActivityImport.objects.select_related("unit", "notice").get(pk=import_id)
    plan = _plan(imp)
    imp.summary = table_import.as_json(plan, preview=True)
    # A consolidated table with organisers not yet given a unit stays open for the clerk's
    # choices, even while none of its rows can be stored.
    unmapped = plan.route and any(m.unit is None for m in plan.matches.values())
    preview = plan.verdict == "import" or unmapped
    imp.status = ImportStatus.PREVIEW if preview else ImportStatus.REFUSED
    imp.done = imp.total = len(plan.accepted)
    imp.save(update_fields=["summary", "status", "done", "total"])


def reread(*, imp, choices, by):
    """The clerk changed the preview's choices (organiser → unit, exact repeats kept): keep
    them and read the file again with them."""
    _claim(imp, by, status=ImportStatus.READING, choices=choices, done=0)
    read_import.enqueue(imp.pk)
    imp.refresh_from_db()
    return imp


@task()
def store_import(import_id):
    imp = ActivityImport.objects.select_related("unit", "notice", "by").get(pk=import_id)
    # Read again: the register may have changed since the preview (another upload, an edit).
    plan = _plan(imp)
    try:
        with transaction.atomic():
            new, changed = table_import.apply_plan(
                plan, by=imp.by, notice=imp.notice, source=imp.filename, obj=imp
            )
            imp.summary = table_import.as_json(plan, preview=True)
            imp.status, imp.finished_at = ImportStatus.DONE, timezone.now()
            imp.new_count, imp.changed_count = new, changed
            imp.done = imp.total = len(plan.accepted)
            imp.save()
    except (ValidationError, PermissionDenied) as e:
        # Nothing was stored (the transaction rolled back); say why on the import page.
        imp.refresh_from_db()
        imp.status = ImportStatus.REFUSED
        reason = "；".join(e.messages) if isinstance(e, ValidationError) else str(e)
        imp.summary = {**imp.summary, "message": f"导入未完成，未保存任何活动：{reason}"}
        imp.save(update_fields=["status", "summary"])


def _claim(imp, by, **changes):
    """Move a previewed import on, once: only from its preview, and only by whoever
    uploaded it or may enter its unit's data."""
    if imp.by_id != by.pk and not selectors.can_enter(by, imp.unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以导入活动。")
    claimed = ActivityImport.objects.filter(pk=imp.pk, status=ImportStatus.PREVIEW)
    if not claimed.update(**changes):
        raise ValidationError("这个文件已经导入或不能导入。")


def start_import(*, unit, upload, by, notice=None, year=None, route=False):
    """Keep the uploaded file and read it; returns the ActivityImport to show."""
    if not selectors.can_enter(by, unit):
        raise PermissionDenied("只有本单位的填报员或管理员可以导入活动。")
    if upload.size > settings.IMPORT_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {"file": f"文件大小超过 {settings.IMPORT_MAX_MB} MB，请删去多余内容或分成几个文件。"}
        )
    imp = ActivityImport(
        unit=unit, notice=notice, by=by, filename=upload.name[:200], year=year, route=route
    )
    imp.file.save(upload.name, upload, save=False)
    imp.save()
    record_event(
        action="activities.import_uploaded", by=by, unit=unit, obj=imp, after={"文件": upload.name}
    )
    read_import.enqueue(imp.pk)
    imp.refresh_from_db()
    return imp


def confirm_import(*, imp, by):
    if not (imp.summary or {}).get("n_accepted"):
        raise ValidationError("还没有可以导入的行：请先在“单位对照”中选择单位，再重新预览。")
    _claim(imp, by, status=ImportStatus.IMPORTING, done=0)
    store_import.enqueue(imp.pk)
    imp.refresh_from_db()
    return imp


def imports_visible_to(user, unit):
    """The unit's uploads, for those who may enter its data."""
    if not selectors.can_enter(user, unit):
        return ActivityImport.objects.none()
    return ActivityImport.objects.filter(unit=unit)
