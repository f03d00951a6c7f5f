"""Writes for Geog: organizations, signing keys, long-lived tokens and token exchange."""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SIGNING_KEY_PURPOSE, ApiToken, Organization, SigningKey
from accounts.principal import GeogPrincipal
from accounts.tokens import (
    LONG_LIVED_PREFIX,
    SHORT_LIVED_PREFIX,
    geog_token_encode,
    public_jwk,
    signing_keys_changed,
)
from accounts.verification_cache import token_entry_revoke
from encryption.cipher import secret_encrypt
from rows.saving import row_save

RSA_KEY_BITS = 2048


@dataclass(frozen=True)
class ExchangedToken:
    access_token: str
    expires_in: int
    expires_at: datetime
    scope: str


@transaction.atomic
def organization_create(
    *,
    slug: str,
    name: str | None = None,
    tier: str = Organization.Tier.FREE,
    tiles_per_window: int | None = None,
    api_per_window: int | None = None,
    places_per_window: int | None = None,
) -> Organization:
    """A new organization; its name defaults to its slug."""
    organization = Organization(
        slug=slug,
        name=name or slug,
        tier=tier,
        tiles_per_window=tiles_per_window,
        api_per_window=api_per_window,
        places_per_window=places_per_window,
    )
    return row_save(organization)


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    """Change an organization's fields; verification caches see the change on the next request."""
    for name, value in fields.items():
        setattr(organization, name, value)
    # The save drops the cached tier and limits (accounts.organization_signals).
    return row_save(organization)


@transaction.atomic
def signing_key_rotate() -> SigningKey:
    """A new active signing key; the previous one is retired but stays published."""
    now = timezone.now()
    SigningKey.objects.select_for_update().filter(is_active=True).update(
        is_active=False, retired_at=now
    )
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    kid = f"{now:%Y%m%d}-{secrets.token_hex(6)}"
    signing_key = SigningKey(
        kid=kid,
        private_key_encrypted=secret_encrypt(pem.decode("ascii"), purpose=SIGNING_KEY_PURPOSE),
        public_jwk=public_jwk(private_key.public_key(), kid=kid),
        is_active=True,
    )
    row_save(signing_key)
    signing_keys_changed(kid)
    return signing_key


def signing_key_active() -> SigningKey:
    """The key new tokens are signed with, created on first use."""
    signing_key = SigningKey.objects.filter(is_active=True).first()
    if signing_key is not None:
        return signing_key
    try:
        return signing_key_rotate()
    except IntegrityError:
        # Another process created the first key at the same moment.
        return SigningKey.objects.get(is_active=True)


def scope_normalize(scopes: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> str:
    """Scopes as the space-separated claim, without duplicates, in a stable order."""
    return " ".join(sorted(set(scopes)))


@transaction.atomic
def api_token_create(
    *,
    organization: Organization,
    name: str,
    scopes: list[str] | tuple[str, ...],
    expires_in_days: int | None = None,
) -> tuple[ApiToken, str]:
    """A long-lived token and its JWT (the only time the JWT is available)."""
    days = expires_in_days if expires_in_days is not None else settings.GEOG_TOKEN_DEFAULT_DAYS
    signing_key = signing_key_active()
    issued_at = int(time.time())
    expires_at = issued_at + int(timedelta(days=days).total_seconds())
    api_token = ApiToken(
        public_id=f"{LONG_LIVED_PREFIX}{secrets.token_hex(12)}",
        organization=organization,
        name=name,
        scope=scope_normalize(scopes),
        signing_kid=signing_key.kid,
        expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
    )
    row_save(api_token)
    jwt_value = geog_token_encode(
        signing_key=signing_key,
        sub=api_token.public_id,
        organization_id=organization.pk,
        scope=api_token.scope,
        issued_at=issued_at,
        expires_at=expires_at,
    )
    return api_token, jwt_value


@transaction.atomic
def api_token_revoke(*, api_token: ApiToken) -> ApiToken:
    """Revoke a token; it is refused from the next request on. Revoking twice is harmless."""
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
    token_entry_revoke(api_token.public_id)
    return api_token


def api_token_mark_used(*, public_id: str) -> None:
    """Record that a token was used now."""
    ApiToken.objects.filter(public_id=public_id).update(last_used_at=timezone.now())


def api_token_exchange(*, principal: GeogPrincipal, ttl: int, scope: str | None) -> ExchangedToken:
    """A short-lived token for the caller's organization with the requested (or all) scopes.

    It carries its parent's id and never outlives the parent.
    """
    scope_value = scope_normalize(scope.split() if scope else principal.scopes)
    issued_at = int(time.time())
    expires_at = min(issued_at + ttl, principal.expires_at)
    jwt_value = geog_token_encode(
        signing_key=signing_key_active(),
        sub=f"{SHORT_LIVED_PREFIX}{secrets.token_hex(12)}",
        organization_id=principal.organization_id,
        scope=scope_value,
        issued_at=issued_at,
        expires_at=expires_at,
        parent=principal.token_id,
    )
    return ExchangedToken(
        access_token=jwt_value,
        expires_in=expires_at - issued_at,
        expires_at=datetime.fromtimestamp(expires_at, tz=UTC),
        scope=scope_value,
    )
