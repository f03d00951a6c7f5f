"""OAuth tokens at rest: Fernet ciphertexts under ENCRYPTION_KEY, readable under its fallbacks."""

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def encryption_key_problem() -> str | None:
    """Why tokens cannot be encrypted with the current settings, or None when they can."""
    for name, keys in (
        ("ENCRYPTION_KEY", [settings.ENCRYPTION_KEY] if settings.ENCRYPTION_KEY else []),
        ("ENCRYPTION_KEY_FALLBACKS", settings.ENCRYPTION_KEY_FALLBACKS),
    ):
        for key in keys:
            try:
                Fernet(key)
            except ValueError:
                return f"{name} is not a Fernet key (32 url-safe base64-encoded bytes)."
    if settings.ENCRYPTION_KEY or settings.DEBUG:
        return None
    return "ENCRYPTION_KEY must be set when DEBUG is off."


def _fernet() -> MultiFernet:
    problem = encryption_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    if settings.ENCRYPTION_KEY:
        current = Fernet(settings.ENCRYPTION_KEY)
    else:
        # Development only (DEBUG on): a key derived from SECRET_KEY, so the embedded default
        # runs without configuration. Tokens stored so become unreadable if SECRET_KEY changes.
        digest = hashlib.sha256(
            b"connections.token_cipher:" + settings.SECRET_KEY.encode()
        ).digest()
        current = Fernet(base64.urlsafe_b64encode(digest))
    # The first key encrypts; every key decrypts, so a key can be rotated without downtime.
    return MultiFernet([current, *(Fernet(key) for key in settings.ENCRYPTION_KEY_FALLBACKS)])


def token_encrypt(plaintext: str) -> str:
    """The ciphertext to store for a token; an empty token stays empty."""
    if not plaintext:
        return ""
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def token_decrypt(ciphertext: str) -> str:
    """The token behind a stored ciphertext, to call the provider on the owner's behalf."""
    if not ciphertext:
        return ""
    return _fernet().decrypt(ciphertext.encode("ascii")).decode()


def token_reencrypt(ciphertext: str) -> str:
    """The same token encrypted under the current key; an empty one stays empty."""
    if not ciphertext:
        return ""
    return _fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
