"""Encryption at rest of the private signing keys (Fernet, with fallback keys for rotation)."""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_HKDF_INFO = b"geog-signing-keys"


def _derived(secret: str) -> Fernet:
    # A key of its own for this purpose, so the SECRET_KEY itself never encrypts anything.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> MultiFernet:
    # The first key encrypts; every key decrypts, so a key can be rotated without downtime.
    if settings.GEOG_KEY_ENCRYPTION_KEY:
        keys = [settings.GEOG_KEY_ENCRYPTION_KEY, *settings.GEOG_KEY_ENCRYPTION_KEY_FALLBACKS]
        return MultiFernet([Fernet(key) for key in keys])
    fallbacks = [Fernet(key) for key in settings.GEOG_KEY_ENCRYPTION_KEY_FALLBACKS]
    derived = [_derived(secret) for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
    return MultiFernet([derived[0], *fallbacks, *derived[1:]])


def private_key_encrypt(pem: bytes) -> str:
    """The Fernet token of a PEM private key."""
    return _fernet().encrypt(pem).decode()


def private_key_decrypt(token: str) -> bytes:
    """The PEM private key from its Fernet token."""
    return _fernet().decrypt(token.encode())


def private_key_reencrypt(token: str) -> str:
    """The same private key encrypted under the current key."""
    return _fernet().rotate(token.encode()).decode()
