"""The key schemes before one cipher, read only by the migrations that moved rows off them.

Until then OAuth tokens were encrypted with `ENCRYPTION_KEY` itself (or, with `DEBUG` on, a
SHA-256 of `SECRET_KEY`), and the Geog signing keys with `GEOG_KEY_ENCRYPTION_KEY` (or a key
derived from `SECRET_KEY`, which production silently used). The migrations read each stored
row under its old scheme and write it under its purpose's key (encryption.cipher).
"""

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from encryption.cipher import secret_decrypt, secret_encrypt

logger = logging.getLogger(__name__)


def legacy_oauth_token_fernet() -> MultiFernet:
    """The scheme of the connections' OAuth tokens and the first webhook secrets."""
    if settings.ENCRYPTION_KEY:
        current = Fernet(settings.ENCRYPTION_KEY)
    else:
        digest = hashlib.sha256(b"connections.token_cipher:" + settings.SECRET_KEY.encode())
        current = Fernet(base64.urlsafe_b64encode(digest.digest()))
    return MultiFernet([current, *(Fernet(key) for key in settings.ENCRYPTION_KEY_FALLBACKS)])


def legacy_signing_key_fernet() -> MultiFernet:
    """The scheme of the Geog private signing keys."""
    fallbacks = [Fernet(key) for key in settings.GEOG_KEY_ENCRYPTION_KEY_FALLBACKS]
    if settings.GEOG_KEY_ENCRYPTION_KEY:
        return MultiFernet([Fernet(settings.GEOG_KEY_ENCRYPTION_KEY), *fallbacks])
    derived = [
        _hkdf_fernet(secret, info=b"geog-signing-keys")
        for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]
    return MultiFernet([derived[0], *fallbacks, *derived[1:]])


def _hkdf_fernet(secret: str, *, info: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def legacy_rows_reencrypt(model, *, fields: list[str], purpose: str, legacy: MultiFernet) -> None:
    """Rewrite each row's ciphertexts from the legacy scheme to the purpose's key.

    A value the purpose's key already reads is left alone (the migration may run twice); one
    no key reads was unreadable before too, and is kept as it is, with a warning.
    """
    unreadable = 0
    for row in model._default_manager.order_by("pk").iterator():
        changed = []
        for field in fields:
            value = getattr(row, field)
            if not value or _readable(value, purpose=purpose):
                continue
            try:
                plaintext = legacy.decrypt(value.encode("ascii")).decode()
            except (InvalidToken, UnicodeEncodeError):
                unreadable += 1
                continue
            setattr(row, field, secret_encrypt(plaintext, purpose=purpose))
            changed.append(field)
        if changed:
            row.save(update_fields=changed)
    if unreadable:
        logger.warning(
            "secrets_unreadable", extra={"model": model._meta.label, "values": unreadable}
        )


def legacy_rows_restore(model, *, fields: list[str], purpose: str, legacy: MultiFernet) -> None:
    """The reverse of `legacy_rows_reencrypt`: each readable value back to the legacy scheme."""
    for row in model._default_manager.order_by("pk").iterator():
        changed = []
        for field in fields:
            value = getattr(row, field)
            if not value or not _readable(value, purpose=purpose):
                continue
            plaintext = secret_decrypt(value, purpose=purpose)
            setattr(row, field, legacy.encrypt(plaintext.encode()).decode("ascii"))
            changed.append(field)
        if changed:
            row.save(update_fields=changed)


def _readable(ciphertext: str, *, purpose: str) -> bool:
    try:
        secret_decrypt(ciphertext, purpose=purpose)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True
