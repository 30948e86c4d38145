"""Every write to community funds: opening a fund, adding a ledger entry and reversing one.
Each runs in one transaction with its audit row; entries are never edited or deleted, and
the cash balance is checked under a lock on the fund's row."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.audit.services import record_event

from . import selectors
from .models import ANONYMOUS, EntryKind, Fund, FundEntry

MAX_AMOUNT = Decimal("999999999999.99")


def _text(value, limit, field, label, errors, required=False):
    value = (value or "").strip()
    if required and not value:
        errors[field] = f"请填写{label}。"
    elif len(value) > limit:
        errors[field] = f"{label}最多 {limit} 个字，现有 {len(value)} 个字。"
    return value


def _amount(value, errors):
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        errors["amount"] = "金额须为数字，单位元，最多两位小数。"
        return None
    if Decimal(str(value)) != amount:
        errors["amount"] = "金额最多两位小数（精确到分）。"
    elif amount <= 0:
        errors["amount"] = "金额须大于 0 元；更正错误请用“冲正”。"
    elif amount > MAX_AMOUNT:
        errors["amount"] = "金额过大，请核对。"
    return amount


@transaction.atomic
def open_fund(*, unit, name, opened_on, by):
    """设立 a fund at a station or community room."""
    if not selectors.can_open(by, unit):
        raise PermissionDenied("只有社会工作站或社会工作室本单位的填报员或管理员可以设立社区基金。")
    errors = {}
    name = _text(name, 100, "name", "基金名称", errors, required=True)
    if opened_on is None:
        errors["opened_on"] = "请填写设立日期。"
    elif opened_on > timezone.localdate():
        errors["opened_on"] = "设立日期不能晚于今天。"
    if name and Fund.objects.filter(unit=unit, name=name).exists():
        errors["name"] = f"本单位已有名为“{name}”的基金。"
    if errors:
        raise ValidationError(errors)
    fund = Fund.objects.create(
        unit=unit, unit_path=unit.path, name=name, opened_on=opened_on, created_by=by
    )
    record_event(
        action="funds.opened",
        by=by,
        unit=unit,
        obj=fund,
        after={"基金名称": name, "设立日期": opened_on},
    )
    return fund


def _check_running_balance(fund):
    """The cash balance after every entry, in date order, must not fall below zero: a
    back-dated spending may not be paid from money that came in later."""
    balance = Decimal("0.00")
    for e in fund.entries.order_by("date", "id"):
        balance += e.cash_effect
        if balance < 0:
            raise ValidationError(
                {
                    "amount": (
                        f"资金余额不足：按日期记账后，{e.date:%Y年%m月%d日}的余额将为 "
                        f"{balance:,.2f} 元。支出不能超过当时的资金余额。"
                    )
                }
            )
    return balance


def _lock(fund):
    return Fund.objects.select_for_update().get(pk=fund.pk)


@transaction.atomic
def add_entry(
    *,
    fund,
    kind,
    date,
    amount,
    by,
    donor="",
    anonymous=False,
    items="",
    purpose="",
    activity=None,
    note="",
):
    """记一笔: a cash donation (捐赠资金), a donation in kind at its valuation (捐赠物资) or
    a spending (支出). The donor may be 匿名; spending and in-kind donations may be linked
    to an activity of the fund unit's subtree."""
    fund = _lock(fund)
    if not selectors.can_keep(by, fund.unit):
        raise PermissionDenied("只有基金所在单位的填报员或管理员可以记账。")
    errors = {}
    if kind not in EntryKind.values:
        errors["kind"] = "请选择收支类别。"
    if date is None:
        errors["date"] = "请填写日期。"
    elif date > timezone.localdate():
        errors["date"] = "日期不能晚于今天。"
    elif date < fund.opened_on:
        errors["date"] = f"日期不能早于基金设立日期（{fund.opened_on:%Y年%m月%d日}）。"
    amount = _amount(amount, errors)
    note = _text(note, 200, "note", "备注", errors)
    given = {"donor": donor, "items": items, "purpose": purpose}
    donor = items = purpose = ""
    if kind in (EntryKind.CASH, EntryKind.INKIND):
        donor = (
            ANONYMOUS
            if anonymous
            else _text(given["donor"], 100, "donor", "捐赠方", errors, required=True)
        )
    if kind == EntryKind.INKIND:
        items = _text(given["items"], 200, "items", "物资名称及数量", errors, required=True)
    if kind == EntryKind.SPENDING:
        purpose = _text(given["purpose"], 200, "purpose", "用途", errors, required=True)
    if activity is not None:
        if kind == EntryKind.CASH:
            errors["activity"] = "捐赠资金不关联活动；用于活动的资金请记“支出”并关联活动。"
        elif activity.deleted_at is not None or not activity.org_path.startswith(fund.unit_path):
            errors["activity"] = "只能关联基金所在单位及其下级单位登记的活动。"
    if errors:
        raise ValidationError(errors)
    entry = FundEntry.objects.create(
        fund=fund,
        unit_path=fund.unit_path,
        kind=kind,
        date=date,
        amount=amount,
        donor=donor,
        items=items,
        purpose=purpose,
        activity=activity,
        note=note,
        by=by,
    )
    fund.balance = _check_running_balance(fund)
    fund.save(update_fields=["balance"])
    record_event(
        action="funds.entry",
        by=by,
        unit=fund.unit,
        obj=entry,
        after={
            "基金": fund.name,
            "类别": entry.get_kind_display(),
            "日期": date,
            "金额": amount,
            **({"捐赠方": donor} if donor else {}),
            **({"物资": items} if items else {}),
            **({"用途": purpose} if purpose else {}),
            **({"关联活动": activity.pk} if activity else {}),
            "余额": fund.balance,
        },
    )
    return entry


@transaction.atomic
def reverse_entry(*, entry, reason, by, date=None):
    """冲正: a new entry of the opposite amount, same kind, donor and activity, that cancels
    `entry` in every total. The original stays in the ledger, marked as reversed."""
    fund = _lock(entry.fund)
    if not selectors.can_keep(by, fund.unit):
        raise PermissionDenied("只有基金所在单位的填报员或管理员可以冲正。")
    entry = FundEntry.objects.get(pk=entry.pk)
    errors = {}
    reason = _text(reason, 200, "reason", "冲正原因", errors, required=True)
    if entry.is_reversal:
        errors["reason"] = "这是一笔冲正记录，不能再冲正；如需更正请重新记一笔。"
    elif FundEntry.objects.filter(reverses=entry).exists():
        errors["reason"] = "这笔记录已经冲正过了。"
    date = date or timezone.localdate()
    if date < entry.date:
        errors["date"] = "冲正日期不能早于原记录日期。"
    if errors:
        raise ValidationError(errors)
    reversal = FundEntry.objects.create(
        fund=fund,
        unit_path=fund.unit_path,
        kind=entry.kind,
        date=date,
        amount=-entry.amount,
        donor=entry.donor,
        items=entry.items,
        purpose=entry.purpose,
        activity=entry.activity,
        note=reason,
        reverses=entry,
        by=by,
    )
    try:
        fund.balance = _check_running_balance(fund)
    except ValidationError:
        raise ValidationError(
            {"reason": "冲正这笔收入后资金余额将为负数：请先冲正用这笔钱支付的支出。"}
        ) from None
    fund.save(update_fields=["balance"])
    record_event(
        action="funds.reversed",
        by=by,
        unit=fund.unit,
        obj=reversal,
        before={"记录": entry.pk, "金额": entry.amount},
        after={"冲正原因": reason, "金额": reversal.amount, "余额": fund.balance},
    )
    return reversal
