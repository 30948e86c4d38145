"""API tokens: made and revoked here, looked up by the API's bearer check. A key is a
random secret; only its SHA-256 is stored, so a leaked table gives no usable key."""

import hashlib
import secrets
import string
from datetime import datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from shegong.audit.services import record_event

from .models import ApiToken

KEY_PREFIX = "sg_"
ALPHABET = string.ascii_letters + string.digits
SECRET_LENGTH = 40
SHOWN = 8  # characters of the key kept in clear, to tell tokens apart
TOUCH_EVERY = 60  # seconds: last_used_at is written at most once a minute


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@transaction.atomic
def create_token(*, user, name, by, expires_on=None, read_only=False):
    """A new token of `user`; returns (token, plain key). The key is not kept anywhere."""
    if by is not None and by.pk != user.pk:
        raise PermissionDenied("只能为自己创建接口令牌。")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写令牌名称，如“市级数据平台”。"})
    if len(name) > 100:
        raise ValidationError({"name": "令牌名称不超过 100 个字。"})
    expires_at = None
    if expires_on is not None:
        if expires_on <= timezone.localdate():
            raise ValidationError({"expires_on": "有效期须晚于今天。"})
        expires_at = timezone.make_aware(datetime.combine(expires_on, time.max))
    key = KEY_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(SECRET_LENGTH))
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:SHOWN],
        key_hash=hash_key(key),
        read_only=read_only,
        expires_at=expires_at,
    )
    record_event(
        action="accounts.token_created",
        by=by,
        obj=token,
        after={"名称": name, "前缀": token.prefix, "只读": read_only, "有效期": str(expires_on)},
    )
    return token, key


@transaction.atomic
def revoke_token(*, token, by):
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if by is not None and by.pk != token.user_id:
        raise PermissionDenied("只能作废自己的接口令牌。")
    if token.revoked_at is not None:
        raise ValidationError("该令牌已经作废。")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(action="accounts.token_revoked", by=by, obj=token, after={"前缀": token.prefix})
    return token


def find_token(key):
    """The token with this plain key (active or not), or None."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def touch(token):
    """Note the use, without a write on every request."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
