"""The second factor (django-otp): who must have one, whether this session has passed it,
and what the enrolment page shows (the secret in groups of four, the QR code inline)."""

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def required_for(user):
    """Unit 管理员 (in any unit) and the three platform roles must use a second factor."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    if user.platform_role:
        return True
    from shegong.orgs.models import Membership, Role

    # The request's memberships when already loaded (orgs.selectors.memberships_of);
    # otherwise one query, without leaving a cache on a user object someone else holds.
    cached = getattr(user, "_shegong_memberships", None)
    if cached is not None:
        return any(m.role == Role.ADMIN for m in cached)
    return Membership.objects.filter(user=user, role=Role.ADMIN, unit__is_active=True).exists()


def with_status(users):
    """`users` annotated with factor_enrolled and factor_required, the rule of
    required_for for a whole page of accounts at once."""
    from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

    from shegong.orgs.models import Membership, Role

    enrolled_ = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    unit_admin = Exists(
        Membership.objects.filter(user=OuterRef("pk"), role=Role.ADMIN, unit__is_active=True)
    )
    required = Case(
        When(~Q(platform_role=""), then=Value(True)),
        When(unit_admin, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    if not settings.OTP_REQUIRED:
        required = Value(False, output_field=BooleanField())
    return users.annotate(factor_enrolled=enrolled_, factor_required=required)


def enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


NO_FACTOR = "second_factor_none"


def pending(request):
    """True while a signed-in user still owes this session its second factor: they have
    one, or must have one, and have not given a code since the password. Someone with no
    factor and no duty to have one is remembered for the session (one query fewer a page);
    enrolling later is asked of the next sign-in."""
    cached = getattr(request, "_second_factor_pending", None)
    if cached is None:
        user = request.user
        if not user.is_authenticated or user.is_verified():
            cached = False
        elif required_for(user):
            cached = True
        elif request.session.get(NO_FACTOR) == user.pk:
            cached = False
        else:
            cached = enrolled(user)
            if not cached:
                request.session[NO_FACTOR] = user.pk
        request._second_factor_pending = cached
    return cached


def secret(device):
    """The key as authenticator apps take it when typed in: base32, without padding."""
    return b32encode(device.bin_key).decode().rstrip("=")


def grouped(text, size=4):
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def qr_data_uri(device):
    """The otpauth:// address as an inline SVG image: nothing is fetched from elsewhere."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalise(code):
    """Codes as people type them: spaces, dashes and capitals are ignored."""
    return "".join(c for c in (code or "") if c.isalnum()).lower()


def show_recovery_code(code):
    return f"{code[:4]}-{code[4:]}"
