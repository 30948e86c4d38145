"""The rater's phone number: checked as an 11-digit mainland mobile and kept only as a keyed
hash (HMAC-SHA256 with SECRET_KEY), which tells two ratings from one phone apart from others
without storing, or letting anyone recover, the number itself."""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError

from shegong.activities.validation import MOBILE

SALT = b"shegong.ratings.phone"


def normalise(phone):
    """The 11 digits of a mainland mobile (spaces, dashes and +86 allowed), or an error."""
    digits = re.sub(r"[\s-]", "", phone or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not MOBILE.fullmatch(digits):
        raise ValidationError({"phone": "请填写 11 位手机号码，如 13812345678。"})
    return digits


def phone_hash(phone):
    key = hmac.new(settings.SECRET_KEY.encode(), SALT, hashlib.sha256).digest()
    return hmac.new(key, normalise(phone).encode(), hashlib.sha256).hexdigest()
