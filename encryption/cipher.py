"""Secrets at rest: Fernet keys derived from one master key, a key per purpose.

Every encrypted column names a purpose (`connections.oauth-token`, `accounts.signing-key`,
...). Its Fernet key is derived from `ENCRYPTION_KEY` by HKDF-SHA256 with the purpose as
`info`, so no two uses share a key and the master key itself never encrypts anything.
`ENCRYPTION_KEY_FALLBACKS` derive the same way and still decrypt: the master key rotates
without downtime, and `manage.py reencrypt_secrets` then moves every row to the current key.

With `DEBUG` on and no `ENCRYPTION_KEY` (the embedded default runs without configuration),
`SECRET_KEY` and its fallbacks stand in for the master key. With `DEBUG` off the service
refuses to start without `ENCRYPTION_KEY` (system check `encryption.E001`), and any use
raises ImproperlyConfigured: a production secret is never protected by `SECRET_KEY`.
"""

import base64
import binascii
import functools

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_MASTER_KEY_BYTES = 32


def _master_key(value: str) -> bytes:
    try:
        decoded = base64.urlsafe_b64decode(value.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        decoded = b""
    if len(decoded) != _MASTER_KEY_BYTES:
        raise ValueError("not 32 url-safe base64-encoded bytes")
    return decoded


def encryption_key_problem() -> str | None:
    """Why secrets cannot be encrypted with the current settings, or None when they can."""
    for name, keys in (
        ("ENCRYPTION_KEY", [settings.ENCRYPTION_KEY] if settings.ENCRYPTION_KEY else []),
        ("ENCRYPTION_KEY_FALLBACKS", settings.ENCRYPTION_KEY_FALLBACKS),
    ):
        for key in keys:
            try:
                _master_key(key)
            except ValueError:
                return f"{name} is not a Fernet key (32 url-safe base64-encoded bytes)."
    if settings.ENCRYPTION_KEY or settings.DEBUG:
        return None
    return "ENCRYPTION_KEY must be set when DEBUG is off."


def _master_keys() -> tuple[bytes, ...]:
    problem = encryption_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    if settings.ENCRYPTION_KEY:
        keys = [settings.ENCRYPTION_KEY, *settings.ENCRYPTION_KEY_FALLBACKS]
        return tuple(_master_key(key) for key in keys)
    # DEBUG only: secrets stored so become unreadable if SECRET_KEY changes without a fallback.
    return tuple(
        secret.encode() for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    )


@functools.cache
def _fernet(purpose: str, master_keys: tuple[bytes, ...]) -> MultiFernet:
    # The first key encrypts; every key decrypts.
    return MultiFernet([_derived(master, purpose=purpose) for master in master_keys])


def _derived(master: bytes, *, purpose: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
        master
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def secret_encrypt(plaintext: str, *, purpose: str) -> str:
    """The ciphertext to store for a secret; an empty secret stays empty."""
    if not plaintext:
        return ""
    return _fernet(purpose, _master_keys()).encrypt(plaintext.encode()).decode("ascii")


def secret_decrypt(ciphertext: str, *, purpose: str) -> str:
    """The secret behind a stored ciphertext; raises InvalidToken when no key reads it."""
    if not ciphertext:
        return ""
    return _fernet(purpose, _master_keys()).decrypt(ciphertext.encode("ascii")).decode()


def secret_reencrypt(ciphertext: str, *, purpose: str) -> str:
    """The same secret encrypted under the current key; an empty one stays empty."""
    if not ciphertext:
        return ""
    return _fernet(purpose, _master_keys()).rotate(ciphertext.encode("ascii")).decode("ascii")
