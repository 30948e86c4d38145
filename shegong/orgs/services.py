"""Every write to the unit tree and to memberships: one transaction each, with its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from shegong.accounts import services as account_services
from shegong.audit.services import changed, record_event, snapshot
from shegong.edits import check_version

from . import selectors, tree
from .models import Membership, OrgUnit, OrgUnitMove, Role

UNIT_FIELDS = [
    "name",
    "short_name",
    "kind",
    "division_code",
    "is_active",
    "contact_person",
    "contact_phone",
    "address",
]

# Other apps keep a copy of the unit path on their rows (for fast subtree filters);
# they register a function here and move_unit calls it in the same transaction.
# Each is called as hook(old_path=…, new_path=…).
path_copy_hooks = []


def _require_manager(by, unit):
    """`by` is None for the system itself (CLI loaders, demo data)."""
    if by is not None and not selectors.can_manage(by, unit):
        raise PermissionDenied("您不是该单位或其上级单位的管理员。")


def _child_path(parent):
    siblings = OrgUnit.objects.filter(parent=parent).order_by("-path")
    last = siblings.values_list("path", flat=True).first()
    return tree.next_child_path(parent.path if parent else "", last)


def _lock(unit):
    """Lock the row and re-read it: a caller's copy may predate a move of it or its ancestors."""
    if unit is not None:
        OrgUnit.objects.select_for_update().filter(pk=unit.pk).first()
        unit.refresh_from_db()


@transaction.atomic
def create_unit(*, parent, code, name, kind, by, **fields):
    if parent is None:
        if by is not None:
            raise PermissionDenied("只有系统可以创建顶级单位。")
    else:
        _require_manager(by, parent)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    _lock(parent)
    path = _child_path(parent)
    unit = OrgUnit(
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        path=path,
        depth=tree.depth_of(path),
        **fields,
    )
    unit.full_clean()
    unit.save()
    record_event(
        action="orgs.unit_created",
        by=by,
        unit=unit,
        obj=unit,
        after=snapshot(unit, ["code", "parent", *UNIT_FIELDS]),
    )
    return unit


@transaction.atomic
def update_unit(*, unit, data, by, version=None):
    _require_manager(by, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    check_version(unit, version)
    before = snapshot(unit, UNIT_FIELDS)
    for key, value in data.items():
        if key not in UNIT_FIELDS:
            raise TypeError(f"not an editable unit field: {key}")
        setattr(unit, key, value)
    unit.full_clean()
    # Never write path/depth/parent from this (possibly stale) instance: moves own them.
    old, new = changed(before, snapshot(unit, UNIT_FIELDS))
    if new:
        unit.version += 1
    unit.save(update_fields=[*UNIT_FIELDS, "version", "updated_at"])
    if new:
        record_event(action="orgs.unit_updated", by=by, unit=unit, obj=unit, before=old, after=new)
    return unit


@transaction.atomic
def move_unit(*, unit, new_parent, by, reason):
    """Re-attach `unit` (with its whole subtree) under `new_parent`, keeping a history row."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整原因。"})
    if new_parent is None:
        raise ValidationError({"new_parent": "请选择新的上级单位。"})
    _require_manager(by, unit)
    _require_manager(by, new_parent)
    _lock(new_parent)
    unit.refresh_from_db()
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"new_parent": "不能把单位调整到它自己或它的下级单位之下。"})
    if unit.parent_id == new_parent.pk:
        raise ValidationError({"new_parent": "该单位已经隶属于所选上级单位。"})
    old_parent, old_path = unit.parent, unit.path
    new_path = _child_path(new_parent)
    shift = tree.depth_of(new_path) - unit.depth
    tail = Substr("path", len(old_path) + 1)
    OrgUnit.objects.filter(tree.subtree(old_path)).update(
        path=Concat(Value(new_path), tail, output_field=tree.PathField()),
        depth=F("depth") + shift,
    )
    OrgUnit.objects.filter(pk=unit.pk).update(parent=new_parent)
    for hook in path_copy_hooks:
        hook(old_path=old_path, new_path=new_path)
    move = OrgUnitMove.objects.create(
        unit=unit,
        old_parent=old_parent,
        new_parent=new_parent,
        old_path=old_path,
        new_path=new_path,
        reason=reason,
        moved_by=by,
    )
    unit.refresh_from_db()
    record_event(
        action="orgs.unit_moved",
        by=by,
        unit=unit,
        obj=unit,
        before={"parent": old_parent.code if old_parent else None, "path": old_path},
        after={"parent": new_parent.code, "path": new_path, "reason": reason},
    )
    return move


@transaction.atomic
def grant_role(*, user, unit, role, by):
    _require_manager(by, unit)
    if role not in Role.values:
        raise ValidationError({"role": "请选择有效的角色。"})
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record_event(
            action="orgs.role_granted",
            by=by,
            unit=unit,
            obj=membership,
            after={"user": user.username, "unit": unit.code, "role": role},
        )
    return membership


@transaction.atomic
def revoke_role(*, membership, by):
    _require_manager(by, membership.unit)
    record_event(
        action="orgs.role_revoked",
        by=by,
        unit=membership.unit,
        obj=membership,
        before={
            "user": membership.user.username,
            "unit": membership.unit.code,
            "role": membership.role,
        },
    )
    membership.delete()


@transaction.atomic
def create_account(*, username, full_name, mobile, password, unit, role, by):
    """A new user with one membership; they must change the password at first login."""
    _require_manager(by, unit)
    user = account_services.create_user(
        username=username, full_name=full_name, mobile=mobile, password=password, by=by, unit=unit
    )
    grant_role(user=user, unit=unit, role=role, by=by)
    return user


def can_manage_account(by, user):
    """An admin may manage an account only if every unit it belongs to is under their care."""
    if by.pk == user.pk:
        return False
    if user.platform_role:
        return False
    units = [m.unit for m in Membership.objects.filter(user=user).select_related("unit")]
    return bool(units) and all(selectors.can_manage(by, u) for u in units)


def require_account_manager(by, user):
    if not can_manage_account(by, user):
        raise PermissionDenied("您无权管理该账号。")
