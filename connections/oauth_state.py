"""OAuth state: signed, expiring, single-use, and bound to the caller who asked for it.

The state is a Fernet token (AES with an HMAC-SHA256 signature) under a key derived from
SECRET_KEY: it travels through the provider's consent URL, so the caller's `sub` and email in
it are encrypted, not just signed.
"""

import base64
import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from authn.auth0_user import Auth0User
from connections.models import OAuthStateNonce
from errors import catalog
from errors.exceptions import ApiError

_KEY_SALT = "connections.oauth_state"
_RETURN_TO_MAX_LENGTH = 1024
# A relative path on this site only: "//host" and "/\host" are read by browsers as other hosts.
_RETURN_TO_UNSAFE = re.compile(r"[\\\x00-\x20\x7f]")


@dataclass(frozen=True)
class OAuthState:
    provider: str
    sub: str
    email: str | None
    nonce: str
    expires_at: int
    return_to: str | None


def return_to_check(return_to: str | None) -> str | None:
    """`return_to` when it is a path on this site, else 400 `Invalid OAuth return_to path`."""
    if return_to is None:
        return None
    if (
        not return_to.startswith("/")
        or return_to.startswith("//")
        or len(return_to) > _RETURN_TO_MAX_LENGTH
        or _RETURN_TO_UNSAFE.search(return_to)
    ):
        raise ApiError(catalog.OAUTH_RETURN_TO_INVALID)
    return return_to


def oauth_state_issue(*, provider: str, user: Auth0User, return_to: str | None = None) -> str:
    """A signed state for `provider`, bound to the caller, valid for OAUTH_STATE_TTL_SECONDS."""
    payload = {
        "provider": provider,
        "sub": user.sub,
        "email": user.email,
        "nonce": secrets.token_urlsafe(24),
        "exp": int(time.time()) + settings.OAUTH_STATE_TTL_SECONDS,
        "return_to": return_to_check(return_to),
    }
    return _state_cipher().encrypt(json.dumps(payload).encode()).decode("ascii")


def oauth_state_consume(*, provider: str, state: str | None, user: Auth0User) -> OAuthState:
    """Verify a state for this provider and caller, and spend it so it cannot be replayed."""
    if not state:
        raise ApiError(catalog.OAUTH_STATE_MISSING)
    parsed = _state_parse(state)
    if time.time() >= parsed.expires_at:
        raise ApiError(catalog.OAUTH_STATE_EXPIRED)
    if parsed.provider != provider:
        raise ApiError(catalog.OAUTH_STATE_PROVIDER_MISMATCH)
    if parsed.sub != user.sub:
        raise ApiError(catalog.OAUTH_STATE_USER_MISMATCH)
    if parsed.email and user.email and parsed.email.lower() != user.email.lower():
        raise ApiError(catalog.OAUTH_STATE_EMAIL_MISMATCH)
    _nonce_spend(nonce=parsed.nonce, expires_at=parsed.expires_at)
    return parsed


def _state_cipher() -> MultiFernet:
    # SECRET_KEY_FALLBACKS keep states issued just before a key rotation readable.
    secrets_in_use = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(_KEY_SALT, "fernet", secret, algorithm="sha256").digest()
                )
            )
            for secret in secrets_in_use
        ]
    )


def _state_parse(state: str) -> OAuthState:
    try:
        payload = json.loads(_state_cipher().decrypt(state.encode()))
    except (InvalidToken, UnicodeError, ValueError):
        raise ApiError(catalog.OAUTH_STATE_INVALID) from None
    fields = {
        "provider": str,
        "sub": str,
        "nonce": str,
        "exp": int,
        "email": (str, type(None)),
        "return_to": (str, type(None)),
    }
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(name), kind) for name, kind in fields.items()
    ):
        raise ApiError(catalog.OAUTH_STATE_INVALID)
    return OAuthState(
        provider=payload["provider"],
        sub=payload["sub"],
        email=payload["email"],
        nonce=payload["nonce"],
        expires_at=payload["exp"],
        return_to=payload["return_to"],
    )


@transaction.atomic
def _nonce_spend(*, nonce: str, expires_at: int) -> None:
    # Spent nonces of expired states can go: such a state is refused as expired anyway.
    OAuthStateNonce.objects.filter(expires_at__lt=timezone.now()).delete()
    spent = OAuthStateNonce(nonce=nonce, expires_at=datetime.fromtimestamp(expires_at, tz=UTC))
    spent.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # The unique index decides between concurrent replays, across every process.
        with transaction.atomic():
            spent.save()
    except IntegrityError:
        raise ApiError(catalog.OAUTH_STATE_INVALID) from None
