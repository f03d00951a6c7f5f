"""Encryption at rest of the private signing keys (Fernet)."""

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_HKDF_INFO = b"geog-signing-keys"


def _fernet() -> Fernet:
    if settings.GEOG_KEY_ENCRYPTION_KEY:
        return Fernet(settings.GEOG_KEY_ENCRYPTION_KEY)
    # A key of its own for this purpose, so the SECRET_KEY itself never encrypts anything.
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def private_key_encrypt(pem: bytes) -> str:
    """The Fernet token of a PEM private key."""
    return _fernet().encrypt(pem).decode()


def private_key_decrypt(token: str) -> bytes:
    """The PEM private key from its Fernet token."""
    return _fernet().decrypt(token.encode())
