"""Every write to volunteers and the time bank: one transaction each, with its audit row.

The ledger is append-only. Each entry is written with the volunteer's row locked
(select_for_update), so two clerks spending the same hours at once cannot both succeed,
and the balance it leaves is checked (never below zero) before anything is stored."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from shegong.activities.validation import MOBILE
from shegong.audit.services import record_event

from . import selectors
from .models import Entry, EntryKind, SignUp, Team, Volunteer

PHONE = re.compile(r"^[0-9][0-9-]{6,19}$")
MAX_HOURS = Decimal("24.0")  # one sign-up: a day of service at most
MAX_SPEND = Decimal("99999.9")


def _require_station(by, station):
    if not selectors.can_enter(by, station):
        raise PermissionDenied("只有本站的填报员或管理员可以登记志愿者和记录时长。")


def _text(data, key, limit, label, required=False):
    value = (data.get(key) or "").strip()
    if required and not value:
        raise ValidationError({key: f"请填写{label}。"})
    if len(value) > limit:
        raise ValidationError({key: f"{label}不超过 {limit} 个字。"})
    return value


def hours_value(value, field="hours", limit=MAX_HOURS):
    """Hours as Decimal with one decimal place, > 0 and at most `limit`."""
    try:
        hours = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: "小时数须为数字，如 2 或 1.5。"}) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationError({field: "小时数须大于 0。"})
    if hours != hours.quantize(Decimal("0.1")):
        raise ValidationError({field: "小时数最多保留 1 位小数，如 1.5。"})
    if hours > limit:
        raise ValidationError({field: f"小时数不能超过 {limit}。"})
    return hours.quantize(Decimal("0.1"))


@transaction.atomic
def save_team(*, station, by, data, team=None):
    _require_station(by, station)
    name = _text(data, "name", 100, "队伍名称", required=True)
    leader = _text(data, "leader_name", 50, "队长")
    phone = _text(data, "phone", 20, "联系电话")
    if phone and not PHONE.match(phone):
        raise ValidationError({"phone": "联系电话只能包含数字和连字符，如 13812345678。"})
    clash = Team.objects.filter(station=station, name=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError({"name": f"本站已有名为“{name}”的队伍。"})
    if team is None:
        team = Team(station=station, station_path=station.path)
        action = "volunteers.team_created"
    else:
        if team.station_id != station.pk:
            raise PermissionDenied("只能修改本站的队伍。")
        action = "volunteers.team_changed"
    team.name, team.leader_name, team.phone = name, leader, phone
    team.save()
    record_event(
        action=action, by=by, unit=station, obj=team, after={"队伍名称": name, "队长": leader}
    )
    return team


@transaction.atomic
def save_volunteer(*, station, by, data, volunteer=None):
    """Register a volunteer at `station` (or change one). The phone is an 11-digit mobile."""
    _require_station(by, station)
    name = _text(data, "name", 50, "姓名", required=True)
    phone = re.sub(r"[\s-]", "", data.get("phone") or "")
    if not MOBILE.fullmatch(phone):
        raise ValidationError({"phone": "手机号码须为 11 位大陆手机号，如 13812345678。"})
    team = data.get("team")
    if team is not None and team.station_id != station.pk:
        raise ValidationError({"team": "只能选择本站的志愿服务队。"})
    skills = _text(data, "skills", 200, "特长")
    registered_on = data.get("registered_on")
    if registered_on is None:
        raise ValidationError({"registered_on": "请填写注册日期。"})
    clash = Volunteer.objects.filter(station=station, phone=phone)
    if volunteer is not None:
        clash = clash.exclude(pk=volunteer.pk)
    if clash.exists():
        raise ValidationError({"phone": "本站已有使用该手机号码的志愿者。"})
    if volunteer is None:
        volunteer = Volunteer(station=station, station_path=station.path)
        action = "volunteers.created"
    else:
        if volunteer.station_id != station.pk:
            raise PermissionDenied("只能修改本站的志愿者。")
        action = "volunteers.changed"
    volunteer.name, volunteer.phone, volunteer.team = name, phone, team
    volunteer.skills, volunteer.registered_on = skills, registered_on
    volunteer.is_active = bool(data.get("is_active", True))
    volunteer.save()
    # The audit row keeps no phone number: the log is read by auditors, not by the station.
    record_event(
        action=action,
        by=by,
        unit=station,
        obj=volunteer,
        after={"姓名": name, "队伍": str(team or ""), "在册": volunteer.is_active},
    )
    return volunteer


@transaction.atomic
def sign_up(*, volunteer, activity, by):
    """Sign `volunteer` up to `activity`, an activity of the volunteer's own station."""
    station = volunteer.station
    _require_station(by, station)
    if activity.unit_id != station.pk or activity.deleted_at is not None:
        raise ValidationError({"activity": "只能报名本站登记的活动。"})
    if not volunteer.is_active:
        raise ValidationError({"activity": f"{volunteer.name} 已不在册，不能报名活动。"})
    if SignUp.objects.filter(volunteer=volunteer, activity=activity).exists():
        raise ValidationError({"activity": f"{volunteer.name} 已报名该活动。"})
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(volunteer=volunteer, activity=activity, by=by)
    except IntegrityError:
        raise ValidationError({"activity": f"{volunteer.name} 已报名该活动。"}) from None
    record_event(
        action="volunteers.signed_up",
        by=by,
        unit=station,
        obj=signup,
        after={"志愿者": volunteer.name, "活动": activity.name},
    )
    return signup


@transaction.atomic
def cancel_sign_up(*, signup, by):
    """Withdraw a sign-up whose hours have not been credited."""
    station = signup.volunteer.station
    _require_station(by, station)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.entry_id is not None:
        raise ValidationError("已记录服务时长的报名不能取消；如记错，请先冲正该笔时长。")
    record_event(
        action="volunteers.sign_up_cancelled",
        by=by,
        unit=station,
        obj=signup,
        after={"志愿者": signup.volunteer.name, "活动": signup.activity.name},
    )
    signup.delete()


def _post(*, volunteer, by, kind, hours, delta, note="", activity=None, reverses=None):
    """Append one entry to a locked volunteer's ledger, refusing a negative balance."""
    balance = volunteer.balance + delta
    if balance < 0:
        raise ValidationError(
            {
                "hours": f"{volunteer.name} 的时间余额为 {volunteer.balance} 小时，"
                f"不足 {abs(delta)} 小时，余额不能为负数。"
            }
        )
    entry = Entry.objects.create(
        volunteer=volunteer,
        station_path=volunteer.station_path,
        kind=kind,
        hours=hours,
        delta=delta,
        balance_after=balance,
        activity=activity,
        note=note,
        reverses=reverses,
        by=by,
    )
    volunteer.balance = balance
    volunteer.save(update_fields=["balance"])
    return entry


def _locked(volunteer):
    return Volunteer.objects.select_for_update().select_related("station").get(pk=volunteer.pk)


@transaction.atomic
def record_hours(*, signup, hours, by, note=""):
    """Credit the hours a signed-up volunteer served at the activity (服务获得)."""
    station = signup.volunteer.station
    _require_station(by, station)
    hours = hours_value(hours)
    volunteer = _locked(signup.volunteer)
    signup = SignUp.objects.select_for_update().select_related("activity").get(pk=signup.pk)
    if signup.entry_id is not None:
        raise ValidationError(
            {"hours": "该报名已记录服务时长；如有错误，请先冲正原记录再重新记录。"}
        )
    if signup.activity.deleted_at is not None:
        raise ValidationError({"hours": "该活动已删除，不能记录服务时长。"})
    entry = _post(
        volunteer=volunteer,
        by=by,
        kind=EntryKind.EARNED,
        hours=hours,
        delta=hours,
        note=_text({"note": note}, "note", 200, "说明"),
        activity=signup.activity,
    )
    signup.hours, signup.entry = hours, entry
    signup.save(update_fields=["hours", "entry"])
    record_event(
        action="volunteers.hours_earned",
        by=by,
        unit=station,
        obj=entry,
        after={"志愿者": volunteer.name, "活动": signup.activity.name, "小时": hours},
    )
    return entry


@transaction.atomic
def spend_hours(*, volunteer, hours, note, by):
    """Debit hours for a service the volunteer received (兑换服务); never below zero."""
    _require_station(by, volunteer.station)
    hours = hours_value(hours, limit=MAX_SPEND)
    note = _text({"note": note}, "note", 200, "兑换的服务", required=True)
    volunteer = _locked(volunteer)
    entry = _post(
        volunteer=volunteer, by=by, kind=EntryKind.SPENT, hours=hours, delta=-hours, note=note
    )
    record_event(
        action="volunteers.hours_spent",
        by=by,
        unit=volunteer.station,
        obj=entry,
        after={"志愿者": volunteer.name, "小时": hours, "说明": note},
    )
    return entry


@transaction.atomic
def reverse_entry(*, entry, by, reason):
    """冲正: a new entry that undoes `entry`. An entry is reversed at most once, and a
    reversal is not itself reversed (record the right entry again instead)."""
    _require_station(by, entry.volunteer.station)
    reason = _text({"reason": reason}, "reason", 200, "冲正原因", required=True)
    volunteer = _locked(entry.volunteer)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError("冲正记录不能再冲正；如冲正有误，请重新记录正确的时长。")
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError("这笔记录已经冲正过，不能重复冲正。")
    try:
        with transaction.atomic():
            reversal = _post(
                volunteer=volunteer,
                by=by,
                kind=EntryKind.REVERSAL,
                hours=entry.hours,
                delta=-entry.delta,
                note=reason,
                activity=entry.activity,
                reverses=entry,
            )
    except IntegrityError:
        raise ValidationError("这笔记录已经冲正过，不能重复冲正。") from None
    # The sign-up of a reversed earned entry may be credited again with the right hours.
    SignUp.objects.filter(entry=entry).update(hours=None, entry=None)
    record_event(
        action="volunteers.entry_reversed",
        by=by,
        unit=volunteer.station,
        obj=reversal,
        after={"志愿者": volunteer.name, "冲正记录": entry.pk, "小时": entry.hours, "原因": reason},
    )
    return reversal
