"""Reminders before each cutoff and the late list after it.

`shegong send-reminders` runs this from cron (or a worker loop) every few minutes. Each
reminder is claimed by inserting its ReminderLog row, whose unique key (period, unit,
kind) makes a second run, or two runs at once, send nothing twice.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from shegong.orgs.models import Role

from .calendar import format_deadline
from .models import NoticeStatus, ReminderKind, ReminderLog, ReportingPeriod
from .notifications import notify_units

BEFORE = [
    (ReminderKind.BEFORE_2H, timedelta(hours=2)),
    (ReminderKind.BEFORE_24H, timedelta(hours=24)),
]
# Past cutoffs older than this get no late list: a new installation must not flood
# issuers with lists for last year's campaigns.
LATE_WINDOW = timedelta(days=3)
REMIND_ROLES = [Role.ADMIN, Role.FILLER]


@dataclass
class Sent:
    reminders: int = 0
    late_lists: int = 0
    details: list = field(default_factory=list)


def _claim(period, unit, kind):
    """Insert the log row; False if this reminder went out before."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(period=period, unit=unit, kind=kind)
    except IntegrityError:
        return False
    return True


def _outstanding(period):
    return period.expected.filter(delivered_at=None, excused_at=None).select_related("unit")


def remind_before(period, kind, sent):
    notice = period.notice
    text = (
        f"{notice.doc_number}《{notice.title}》的“{period.name}”将于"
        f"{format_deadline(period.cutoff)}截止，本单位尚未报送，请抓紧填报。"
    )
    for row in _outstanding(period):
        with transaction.atomic():
            if not _claim(period, row.unit, kind):
                continue
            notify_units([row.unit], roles=REMIND_ROLES, text=text, url=f"/notices/{notice.pk}/")
        sent.reminders += 1
        sent.details.append((kind, period.pk, row.unit.code))


def late_list(period, sent):
    notice = period.notice
    late = list(_outstanding(period).order_by("unit_path"))
    if not late:
        return
    with transaction.atomic():
        if not _claim(period, notice.issuer, ReminderKind.LATE):
            return
        names = "、".join(
            f"{r.unit.name}（{r.unit.contact_person or '—'} {r.unit.contact_phone or ''}）".strip()
            for r in late
        )
        text = (
            f"“{period.name}”已于{format_deadline(period.cutoff)}截止，"
            f"{len(late)} 个单位未报送：{names}"
        )
        notify_units(
            [notice.issuer],
            roles=[Role.ADMIN, Role.REVIEWER],
            text=text,
            url=f"/notices/{notice.pk}/",
            subject=f"逾期未报：{period.name}（{len(late)} 个单位）",
        )
    sent.late_lists += 1
    sent.details.append((ReminderKind.LATE, period.pk, notice.issuer.code))


def send_reminders(now=None):
    """Send whatever is due at `now`; returns what was sent."""
    now = now or timezone.now()
    sent = Sent()
    periods = ReportingPeriod.objects.filter(
        notice__status=NoticeStatus.ISSUED,
        cutoff__gt=now - LATE_WINDOW,
        cutoff__lte=now + timedelta(hours=24),
        locked_at=None,
    ).select_related("notice", "notice__issuer")
    for period in periods:
        if period.cutoff <= now:
            late_list(period, sent)
            continue
        left = period.cutoff - now
        # Only the closest reminder: a cron started 1 h before a cutoff sends the 2 h one.
        kind = next(kind for kind, window in BEFORE if left <= window)
        remind_before(period, kind, sent)
    return sent
