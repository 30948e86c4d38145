"""Personal fields encrypted at rest (Fernet, key FIELD_ENCRYPTION_KEY) and a keyed hash
of the ID number, so a station finds duplicates without decrypting anything."""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key):
    return Fernet(key.encode() if isinstance(key, str) else key)


def _key():
    return settings.FIELD_ENCRYPTION_KEY


def encrypt(text):
    return _fernet(_key()).encrypt(text.encode()).decode()


def decrypt(token):
    try:
        return _fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken:
        # Wrong or lost key: say so rather than show ciphertext as a name.
        return "（无法解密）"


def id_hash(id_number):
    """HMAC-SHA256 of the normalised ID number, keyed by a key derived from the field key
    (so the hash is useless to anyone holding a dump of the table but not the key)."""
    raw = base64.urlsafe_b64decode(_key())
    subkey = hmac.new(raw, b"shegong casework id-number", hashlib.sha256).digest()
    return hmac.new(subkey, id_number.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees the clear text. Not searchable:
    look people up by the ID hash instead."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
