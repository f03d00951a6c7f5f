"""Bearer authentication for the Geog API with self-issued tokens."""

import base64
import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import BaseAuthentication

from accounts.local_verifications import local_verifications
from accounts.models import Organization
from accounts.principal import GeogPrincipal
from accounts.selectors import (
    ORGANIZATION_LIMIT_FIELDS,
    api_token_find,
    organization_limits,
)
from accounts.services import api_token_mark_used
from accounts.tokens import LONG_LIVED_PREFIX, SHORT_LIVED_PREFIX, geog_claims_verify
from accounts.verification_cache import (
    ORGANIZATION_CHANGED_MARKER,
    ORGANIZATION_ENTRY_SECONDS,
    PARENT_LIVE,
    TOKEN_ENTRY_SECONDS,
    last_used_guard_key,
    organization_cache_key,
    parent_cache_key,
    token_cache_key,
)
from errors import catalog
from errors.exceptions import ApiError
from rate_limits.counters import cache_unavailable_errors

logger = logging.getLogger(__name__)

LAST_USED_INTERVAL_SECONDS = 60


class GeogTokenAuthentication(BaseAuthentication):
    """Sets `request.user` to a `GeogPrincipal`; a known token costs one cache read."""

    raises = (
        catalog.AUTH_REQUIRED,
        catalog.GEOG_INVALID_TOKEN,
        catalog.GEOG_TOKEN_REVOKED,
        catalog.GEOG_TOKEN_EXPIRED,
        catalog.GEOG_JWKS_FETCH_FAILED,
    )

    def authenticate(self, request):
        # Read from META directly: building `request.headers` parses every header.
        parts = request.META.get("HTTP_AUTHORIZATION", "").split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise ApiError(catalog.AUTH_REQUIRED)
        token = parts[1]
        if not token.isascii():
            raise ApiError(catalog.GEOG_INVALID_TOKEN)
        return geog_principal_for_token(token), token

    def authenticate_header(self, request) -> str:
        return "Bearer"


def geog_principal_for_token(token: str) -> GeogPrincipal:
    """The principal of a valid token; ApiError with the contract's code otherwise."""
    sub, org_id, parent = _unverified_subject(token)
    token_key, org_key = token_cache_key(sub), organization_cache_key(org_id)
    guard_key = last_used_guard_key(sub)
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = int(time.time())

    # The process copy answers a token it has seen without a round trip to the shared cache.
    local = local_verifications()
    entry, limits, used = local.get_many((token_key, org_key, guard_key))
    used_recently = used is not None
    # Anything read from here on is kept only if no invalidation arrives in the meantime.
    since = local.generation
    if not _vouches(entry, digest) or limits is None:
        cached = _cache_read([token_key, org_key, guard_key])
        entry = cached.get(token_key)
        shared = _vouches(entry, digest)
        if not shared:
            entry = _token_entry_verified(token, digest)
            ttl = min(TOKEN_ENTRY_SECONDS, entry["exp"] - now)
            # Refused when a revocation marker is there: the row read may predate it.
            shared = _cache_add(token_key, entry, ttl)
        if shared:
            local.put(token_key, entry, min(TOKEN_ENTRY_SECONDS, entry["exp"] - now), since=since)
        limits = cached.get(org_key)
        if limits is None or limits == ORGANIZATION_CHANGED_MARKER:
            limits = _organization_limits(org_id)
            # Refused while a change marker is there: the row read may predate the change.
            _cache_add(org_key, limits, ORGANIZATION_ENTRY_SECONDS)
        local.put(org_key, limits, ORGANIZATION_ENTRY_SECONDS, since=since)
        used_recently = guard_key in cached
    if entry["exp"] <= now:
        raise ApiError(catalog.GEOG_TOKEN_EXPIRED)
    # A short-lived token ends with its parent; another issuer's (remote mode) has no rows here.
    if sub.startswith(SHORT_LIVED_PREFIX) and not settings.GEOG_JWKS_URL:
        _parent_live_check(parent, org_id, since=since)

    if entry["tracked"] and not used_recently:
        _last_used_record(sub, guard_key, now)
        local.put(guard_key, {"at": now}, LAST_USED_INTERVAL_SECONDS, since=since)

    return GeogPrincipal(
        token_id=sub,
        organization_id=org_id,
        scopes=frozenset(entry["scope"].split()),
        tier=limits["tier"],
        is_short_lived=sub.startswith(SHORT_LIVED_PREFIX),
        expires_at=entry["exp"],
        tiles_per_window=limits["tiles_per_window"],
        api_per_window=limits["api_per_window"],
        places_per_window=limits["places_per_window"],
        parent_token_id=parent if isinstance(parent, str) else None,
    )


def _unverified_subject(token: str) -> tuple[str, int, object]:
    # Reading the payload directly costs a fraction of a full PyJWT decode; nothing here is
    # trusted until the cache entry for this exact token string (or verification) vouches.
    segments = token.split(".")
    if len(segments) != 3:
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    payload = segments[1]
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        raise ApiError(catalog.GEOG_INVALID_TOKEN) from None
    sub = claims.get("sub") if isinstance(claims, dict) else None
    org_id = claims.get("org_id") if isinstance(claims, dict) else None
    if not isinstance(sub, str) or not sub.startswith(LONG_LIVED_PREFIX):
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    if not isinstance(org_id, int) or isinstance(org_id, bool):
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    return sub, org_id, claims.get("parent")


def _vouches(entry: dict | None, digest: str) -> bool:
    # An entry vouches only for the exact string that was verified; a revocation marker has
    # no digest and sends the token back to full verification.
    return entry is not None and hmac.compare_digest(entry.get("digest", ""), digest)


def _token_entry_verified(token: str, digest: str) -> dict:
    claims = geog_claims_verify(token)
    sub = claims["sub"]
    # Remote mode trusts another issuer: there is no local token row to consult.
    tracked = not sub.startswith(SHORT_LIVED_PREFIX) and not settings.GEOG_JWKS_URL
    if tracked:
        api_token = api_token_find(public_id=sub)
        if api_token is None or api_token.organization_id != claims["org_id"]:
            raise ApiError(catalog.GEOG_INVALID_TOKEN)
        if api_token.revoked_at is not None:
            raise ApiError(catalog.GEOG_TOKEN_REVOKED)
    return {"digest": digest, "scope": claims["scope"], "exp": claims["exp"], "tracked": tracked}


def _parent_live_check(parent, organization_id: int, *, since: int) -> None:
    """Refuse a short-lived token whose parent is revoked, unknown or of another organization."""
    if (
        not isinstance(parent, str)
        or not parent.startswith(LONG_LIVED_PREFIX)
        or parent.startswith(SHORT_LIVED_PREFIX)
    ):
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    key = parent_cache_key(parent)
    local = local_verifications()
    if local.get(key) == PARENT_LIVE:
        return
    state = _cache_read([key]).get(key)
    if state is None:
        api_token = api_token_find(public_id=parent)
        if api_token is None or api_token.organization_id != organization_id:
            raise ApiError(catalog.GEOG_INVALID_TOKEN)
        if api_token.revoked_at is not None:
            raise ApiError(catalog.GEOG_TOKEN_REVOKED)
        # Refused when a revocation marker is there: the row read may predate it.
        if not _cache_add(key, PARENT_LIVE, TOKEN_ENTRY_SECONDS):
            return
        state = PARENT_LIVE
    if state != PARENT_LIVE:
        raise ApiError(catalog.GEOG_TOKEN_REVOKED)
    local.put(key, state, TOKEN_ENTRY_SECONDS, since=since)


def _organization_limits(organization_id: int) -> dict:
    limits = organization_limits(organization_id=organization_id)
    if limits is not None:
        return limits
    if settings.GEOG_JWKS_URL:
        # Tokens of another issuer may name organizations unknown here: free-tier defaults.
        return {"tier": Organization.Tier.FREE} | dict.fromkeys(ORGANIZATION_LIMIT_FIELDS[1:])
    raise ApiError(catalog.GEOG_INVALID_TOKEN)


def _last_used_record(sub: str, guard_key: str, now: int) -> None:
    try:
        # The guard is shared by every process, so the row is written at most once a minute.
        if not cache.add(guard_key, now, LAST_USED_INTERVAL_SECONDS):
            return
    except cache_unavailable_errors():
        logger.warning("geog_verification_cache_unavailable", exc_info=True)
        return
    api_token_mark_used(public_id=sub)


def _cache_read(keys: list[str]) -> dict:
    try:
        return cache.get_many(keys)
    except cache_unavailable_errors():
        logger.warning("geog_verification_cache_unavailable", exc_info=True)
        return {}


def _cache_add(key: str, value: dict, ttl: int) -> bool:
    """True when the shared cache now holds `value` (an existing entry or marker wins)."""
    try:
        return cache.add(key, value, ttl)
    except cache_unavailable_errors():
        logger.warning("geog_verification_cache_unavailable", exc_info=True)
        return False
