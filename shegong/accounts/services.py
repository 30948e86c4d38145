"""Account writes. Who may call them is decided one level up (orgs.services), where
memberships are known; these functions validate and audit the change itself."""

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.audit.services import record_event

from . import factor
from .models import PasswordHistory, PlatformRole

User = get_user_model()


def _validate_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from None


def _refuse_recent_password(user, password):
    """None of the last PASSWORD_HISTORY_COUNT passwords (the current one included) may
    be set again. Each is a hash check, so the history is kept short."""
    count = settings.PASSWORD_HISTORY_COUNT
    if count <= 0:
        return
    recent = list(user.password_history.values_list("password", flat=True)[:count])
    hashes = dict.fromkeys([user.password, *recent]) if user.password else dict.fromkeys(recent)
    if any(check_password(password, h) for h in hashes):
        raise ValidationError({"password": f"不能使用最近 {count} 次用过的密码。"})


def _set_password(user, password):
    """Set the password and keep its hash (the old one too, for accounts that predate the
    history), trimmed to the last PASSWORD_HISTORY_COUNT."""
    old = user.password
    user.set_password(password)
    history = user.password_history
    if old and not history.exists():
        PasswordHistory.objects.create(user=user, password=old)
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(history.values_list("pk", flat=True)[max(settings.PASSWORD_HISTORY_COUNT, 1) :])
    PasswordHistory.objects.filter(pk__in=stale).delete()


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
    user.save()
    _set_password(user, password)
    user.save(update_fields=["password"])
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
    _refuse_recent_password(user, new_password)
    _set_password(user, new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    record_event(action="accounts.password_changed", by=user, obj=user)
    return user


@transaction.atomic
def reset_password(*, user, new_password, by, unit=None):
    """Set a temporary password that the user must change at the next login."""
    _validate_password(new_password, user)
    _refuse_recent_password(user, new_password)
    _set_password(user, new_password)
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


@transaction.atomic
def unlock_address(*, ip_address, by):
    """Lift the lock on an address (安全管理员): every failure counted from it."""
    from axes.utils import reset

    removed = reset(ip=ip_address)
    record_event(action="accounts.address_unlocked", by=by, after={"ip_address": ip_address})
    return removed


# --- second factor ------------------------------------------------------------------------

WRONG_CODE = "验证码不正确，请输入验证器上当前显示的 6 位数字，或一个未用过的恢复码。"


def begin_enrolment(*, user):
    """The not yet confirmed key the enrolment page shows: the same one until confirmed,
    so reloading the page does not invalidate a code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def _new_recovery_codes(user):
    # The same device keeps the session verified that signed in with one of its codes.
    device = StaticDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name="恢复码")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(*, user, code):
    """Confirm the key with one code from the app; returns (device, recovery codes), the
    codes in clear this once only."""
    if factor.enrolled(user):
        raise ValidationError("您已启用双因素认证。")
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("id")
        .first()
    )
    if device is None or not device.verify_token(factor.normalise(code)):
        raise ValidationError({"code": WRONG_CODE})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _new_recovery_codes(user)
    record_event(action="accounts.otp_enrolled", by=user, obj=user)
    return device, codes


@transaction.atomic
def verify_second_factor(*, user, code):
    """The device that accepts `code`: 6 digits from the app, or a recovery code, which
    is used up. Raises ValidationError otherwise."""
    code = factor.normalise(code)
    if len(code) == 6 and code.isdigit():
        devices, method = TOTPDevice.objects.filter(user=user, confirmed=True), "totp"
    else:
        devices, method = StaticDevice.objects.filter(user=user, confirmed=True), "recovery"
    for device in devices.select_for_update():
        if device.verify_token(code):
            after = {"method": method}
            if method == "recovery":
                after["left"] = factor.recovery_codes_left(user)
            record_event(action="accounts.otp_verified", by=user, obj=user, after=after)
            return device
    raise ValidationError({"code": WRONG_CODE})


@transaction.atomic
def record_code_failure(*, user, stage):
    """A wrong code at enrolment or verification (its own transaction: the failed
    attempt rolled back, this row stays)."""
    record_event(action="accounts.otp_failed", by=user, obj=user, after={"stage": stage})


@transaction.atomic
def regenerate_recovery_codes(*, user):
    if not factor.enrolled(user):
        raise ValidationError("请先启用双因素认证。")
    codes = _new_recovery_codes(user)
    record_event(action="accounts.otp_recovery_regenerated", by=user, obj=user)
    return codes


def _delete_devices(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def disable_second_factor(*, user, password):
    """Someone who may go without it turns the second factor off (password confirmed)."""
    if factor.required_for(user):
        raise ValidationError("您的账号必须使用双因素认证，不能停用。")
    if not user.check_password(password or ""):
        raise ValidationError({"password": "密码不正确。"})
    _delete_devices(user)
    record_event(action="accounts.otp_disabled", by=user, obj=user)


@transaction.atomic
def reset_second_factor(*, user, by):
    """安全管理员 removes a user's authenticator and recovery codes (a lost phone): the
    user sets up a new one at the next sign-in."""
    if by.platform_role != PlatformRole.SECURITY:
        raise PermissionDenied("只有安全管理员可以重置双因素认证。")
    _delete_devices(user)
    record_event(action="accounts.otp_reset", by=by, obj=user, after={"user": user.username})
    return user
