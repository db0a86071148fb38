"""Encryption at rest for special-category data (health, disability), with Fernet (cryptography).

The keys come from FIELD_ENCRYPTION_KEY: Fernet keys (`python -c "from cryptography.fernet import Fernet;
print(Fernet.generate_key().decode())"`), comma-separated. The first encrypts; every one of them decrypts, so that
a key can be rotated: put the new key first and keep the old one after it, run `manage.py rotate_encryption_key`
(every stored value is encrypted again with the new key), then remove the old key (docs/deploy.md).
Production refuses to start without FIELD_ENCRYPTION_KEY; in development (DEBUG) one is derived from SECRET_KEY.

Encrypted values live in text fields whose name ends in `_encrypted`: `encrypted_fields()` finds them all.
"""

import base64
import hashlib
from collections.abc import Iterator
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models

SUFFIX = "_encrypted"


def keys() -> list[str]:
    configured = [key.strip() for key in getattr(settings, "FIELD_ENCRYPTION_KEY", "").split(",") if key.strip()]
    if configured:
        return configured
    digest = hashlib.sha256(f"welfare-field-encryption:{settings.SECRET_KEY}".encode()).digest()
    return [base64.urlsafe_b64encode(digest).decode()]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys()])


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def reencrypt(token: str) -> str:
    """The same value encrypted with the first key (unchanged when it already is)."""
    return _fernet().rotate(token.encode()).decode() if token else ""


def encrypted_fields() -> Iterator[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name.endswith(SUFFIX):
                yield model, field.name
