"""The banner that warns of a password about to expire (PASSWORD_EXPIRY_WARNING_DAYS
ahead), until the user changes it or closes the banner for this session."""

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import factor

DISMISSED = "password_expiry_dismissed"


def expiry_warning(user, now=None):
    """(days left, expiry date) when the warning is due, else None."""
    expires_at = user.password_expires_at()
    if expires_at is None:
        return None
    now = now or timezone.now()
    left = expires_at - now
    if left <= timedelta(0) or left > timedelta(days=settings.PASSWORD_EXPIRY_WARNING_DAYS):
        return None
    return math.ceil(left / timedelta(days=1)), timezone.localtime(expires_at).date()


def password_expiry(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or factor.pending(request):
        return {}
    if request.session.get(DISMISSED):
        return {}
    warning = expiry_warning(user)
    if warning is None:
        return {}
    days, date = warning
    return {"password_expiry": {"days": days, "date": date}}
