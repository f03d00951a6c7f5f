"""OAuth tokens at rest: Fernet ciphertexts keyed by ENCRYPTION_KEY."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def encryption_key_problem() -> str | None:
    """Why tokens cannot be encrypted with the current settings, or None when they can."""
    if settings.ENCRYPTION_KEY:
        try:
            Fernet(settings.ENCRYPTION_KEY)
        except ValueError:
            return "ENCRYPTION_KEY is not a Fernet key (32 url-safe base64-encoded bytes)."
        return None
    if settings.DEBUG:
        return None
    return "ENCRYPTION_KEY must be set when DEBUG is off."


def _fernet() -> Fernet:
    problem = encryption_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)
    if settings.ENCRYPTION_KEY:
        return Fernet(settings.ENCRYPTION_KEY)
    # Development only (DEBUG on): a key derived from SECRET_KEY, so the embedded default runs
    # without configuration. Tokens stored this way become unreadable if SECRET_KEY changes.
    digest = hashlib.sha256(b"connections.token_cipher:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


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
