"""Geog JWTs: claims, RS256 signing with a `kid`, and verification against local or remote keys."""

import functools
import json
import logging
import threading
from time import monotonic

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from accounts.models import SIGNING_KEY_PURPOSE, SigningKey
from authn.token_header import token_header
from encryption.cipher import secret_decrypt
from errors import catalog
from errors.exceptions import ApiError
from rate_limits.counters import cache_unavailable_errors

logger = logging.getLogger(__name__)

ALGORITHM = "RS256"
TOKEN_TYPE = "api_token"  # noqa: S105 - the claim value, not a secret
LONG_LIVED_PREFIX = "tok_"
SHORT_LIVED_PREFIX = "tok_short_"
# Lifetimes of exchanged tokens: a retired key may still have valid ones this long.
EXCHANGE_TTL_MAX_SECONDS = 14400
EXCHANGE_TTL_DEFAULT_SECONDS = 3600
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "org_id", "scope", "token_type"]

# An unknown kid reloads every key at most once per this many seconds per process, unless a
# key was created meanwhile, so tokens with made-up kids cannot reach the database one by one.
KID_MISS_SECONDS = 30
SIGNING_KEYS_VERSION_KEY = "geog:auth:signing-keys:version"


class LocalKeyRing:
    """The public keys of this process by kid (they never change once created)."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPublicKey] = {}
        self.lock = threading.Lock()
        self.loaded_at: float | None = None
        self.version = None


@functools.cache
def local_key_ring() -> LocalKeyRing:
    """The process-wide key ring, filled from the database as kids are met."""
    return LocalKeyRing()


def geog_token_encode(
    *,
    signing_key: SigningKey,
    sub: str,
    organization_id: int,
    scope: str,
    issued_at: int,
    expires_at: int,
    parent: str | None = None,
) -> str:
    """A signed Geog token for the given subject and claims (`parent`: the token exchanged)."""
    claims = {
        "iss": settings.GEOG_ISSUER,
        "aud": settings.GEOG_AUDIENCE,
        "sub": sub,
        "org_id": organization_id,
        "scope": scope,
        "token_type": TOKEN_TYPE,
        "iat": issued_at,
        "exp": expires_at,
    }
    if parent is not None:
        claims["parent"] = parent
    private_key = serialization.load_pem_private_key(
        secret_decrypt(signing_key.private_key_encrypted, purpose=SIGNING_KEY_PURPOSE).encode(),
        password=None,
    )
    return jwt.encode(claims, private_key, algorithm=ALGORITHM, headers={"kid": signing_key.kid})


def geog_claims_verify(token: str) -> dict:
    """The claims of a Geog token whose signature, issuer, audience, expiry and type are valid."""
    header = token_header(token, malformed=catalog.GEOG_INVALID_TOKEN)
    kid = header.get("kid")
    if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    key = _remote_public_key(kid) if settings.GEOG_JWKS_URL else _local_public_key(kid)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            issuer=settings.GEOG_ISSUER,
            audience=settings.GEOG_AUDIENCE,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(catalog.GEOG_TOKEN_EXPIRED) from None
    except jwt.PyJWTError:
        raise ApiError(catalog.GEOG_INVALID_TOKEN) from None
    if (
        claims["token_type"] != TOKEN_TYPE
        or not isinstance(claims["sub"], str)
        or not claims["sub"].startswith(LONG_LIVED_PREFIX)
        or not isinstance(claims["org_id"], int)
        or not isinstance(claims["scope"], str)
    ):
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    return claims


def public_jwk(public_key: rsa.RSAPublicKey, *, kid: str) -> dict:
    """The JWK of an RSA public key, as published at /.well-known/jwks.json."""
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(public_key))
    return {**jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"}


def _local_public_key(kid: str) -> rsa.RSAPublicKey:
    ring = local_key_ring()
    key = ring.keys.get(kid)
    if key is not None:
        return key
    with ring.lock:
        version = _signing_keys_version()
        recently = ring.loaded_at is not None and monotonic() - ring.loaded_at < KID_MISS_SECONDS
        if kid not in ring.keys and (not recently or version != ring.version):
            for known_kid, jwk in SigningKey.objects.values_list("kid", "public_jwk"):
                if known_kid not in ring.keys:
                    ring.keys[known_kid] = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)
            ring.loaded_at, ring.version = monotonic(), version
    key = ring.keys.get(kid)
    if key is None:
        raise ApiError(catalog.GEOG_INVALID_TOKEN)
    return key


def _signing_keys_version():
    try:
        return cache.get(SIGNING_KEYS_VERSION_KEY)
    except cache_unavailable_errors():
        return None


def signing_keys_changed(kid: str) -> None:
    """Tell every process, once the transaction commits, that unknown kids are worth a reload."""

    def announce() -> None:
        try:
            cache.set(SIGNING_KEYS_VERSION_KEY, kid, None)
        except cache_unavailable_errors():
            # Processes then pick the new key up within KID_MISS_SECONDS.
            logger.warning("geog_signing_keys_announce_failed", exc_info=True)

    transaction.on_commit(announce)


@functools.cache
def remote_jwks_client() -> jwt.PyJWKClient:
    """The process-wide client of `GEOG_JWKS_URL`, caching the fetched keys."""
    return jwt.PyJWKClient(
        settings.GEOG_JWKS_URL,
        lifespan=settings.GEOG_JWKS_CACHE_SECONDS,
        timeout=settings.GEOG_JWKS_TIMEOUT_SECONDS,
    )


def _remote_public_key(kid: str):
    client = remote_jwks_client()
    try:
        # A set that cannot be fetched, is not a JSON object or holds no signing key is a
        # failed fetch; only a kid missing from a good set is the token's fault.
        signing_keys = client.get_signing_keys()
    except (jwt.PyJWKClientError, jwt.PyJWKSetError, ValueError):
        raise ApiError(catalog.GEOG_JWKS_FETCH_FAILED) from None
    signing_key = client.match_kid(signing_keys, kid)
    if signing_key is None:
        try:
            signing_key = client.get_signing_key(kid)  # one refresh, after the cooldown
        except (jwt.PyJWKClientConnectionError, jwt.PyJWKSetError, ValueError):
            raise ApiError(catalog.GEOG_JWKS_FETCH_FAILED) from None
        except jwt.PyJWKClientError:
            raise ApiError(catalog.GEOG_INVALID_TOKEN) from None
    return signing_key.key
