"""Account writes. Who may call them is decided one level up (orgs.services), where
memberships are known; these functions validate and audit the change itself."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.audit.services import record_event

User = get_user_model()


def _validate_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from None


@transaction.atomic
def create_user(*, username, full_name, mobile, password, by, unit=None, platform_role=""):
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"账号“{username}”已存在。"})
    user = User(
        username=username,
        full_name=full_name.strip(),
        mobile=mobile.strip(),
        platform_role=platform_role,
        must_change_password=True,
    )
    user.full_clean(exclude=["password"])
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    record_event(
        action="accounts.user_created",
        by=by,
        unit=unit,
        obj=user,
        after={"username": user.username, "full_name": user.full_name, "mobile": user.mobile},
    )
    return user


@transaction.atomic
def change_own_password(*, user, old_password, new_password):
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "原密码不正确。"})
    if old_password == new_password:
        raise ValidationError({"password": "新密码不能与原密码相同。"})
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record_event(action="accounts.password_changed", by=user, obj=user)
    return user


@transaction.atomic
def reset_password(*, user, new_password, by, unit=None):
    """Set a temporary password that the user must change at the next login."""
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record_event(action="accounts.password_reset", by=by, unit=unit, obj=user)
    return user


@transaction.atomic
def set_active(*, user, active, by, unit=None):
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        record_event(
            action="accounts.user_enabled" if active else "accounts.user_disabled",
            by=by,
            unit=unit,
            obj=user,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return user


@transaction.atomic
def update_profile(*, user, full_name, mobile, by, unit=None):
    before = {"full_name": user.full_name, "mobile": user.mobile}
    user.full_name, user.mobile = full_name.strip(), mobile.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "mobile"])
    after = {"full_name": user.full_name, "mobile": user.mobile}
    if before != after:
        record_event(
            action="accounts.user_updated", by=by, unit=unit, obj=user, before=before, after=after
        )
    return user


@transaction.atomic
def unlock(*, username, by):
    """Lift a login lock before its cool-off ends (安全管理员)."""
    from axes.utils import reset

    removed = reset(username=username)
    record_event(action="accounts.unlocked", by=by, username=username, after={"user": username})
    return removed
