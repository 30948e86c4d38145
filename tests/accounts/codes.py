"""Authenticator codes for tests, computed from a device's key as an app would."""

from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts import services


def _totp(device, offset=0):
    return TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)


def code_now(device):
    return f"{_totp(device).token():06d}"


def fresh_code(device):
    """A code the device has not accepted yet: this step's, or the next step's when this
    step's code was used already (one step ahead is within the tolerance)."""
    device.refresh_from_db()
    step = max(_totp(device).t(), device.last_t + 1)
    return f"{hotp(device.bin_key, step, device.digits):06d}"


def wrong_code(device):
    """Six digits that no step within the tolerance accepts."""
    valid = {_totp(device, k).token() for k in range(-2, 3)}
    return next(f"{n:06d}" for n in range(0, 1_000_000, 111_111) if n not in valid)


def enrolled(user):
    """`user` with a confirmed authenticator and recovery codes, set up as the enrolment
    page would; returns (device, recovery codes)."""
    device = services.begin_enrolment(user=user)
    services.confirm_enrolment(user=user, code=code_now(device))
    device = TOTPDevice.objects.get(pk=device.pk)
    codes = services.regenerate_recovery_codes(user=user)
    return device, codes
