"""The Auth0 tenant's public signing keys, fetched from its JWKS and kept in process memory."""

import functools
import logging
import threading
from time import monotonic

import jwt
from django.conf import settings

logger = logging.getLogger(__name__)


class Auth0KeySet:
    """Signing keys by `kid`, refetched when stale or when a token names an unknown `kid`.

    Fetches are at most one per `cooldown_seconds` (whatever triggered them), so a flood of
    made-up kids or an Auth0 outage cannot turn every request into a call to Auth0. A failed
    fetch keeps the keys already known; a successful one replaces them (retired keys go).
    """

    def __init__(
        self, *, url: str, timeout_seconds: float, cache_seconds: float, cooldown_seconds: float
    ) -> None:
        self.url = url
        self._client = (
            jwt.PyJWKClient(url, cache_jwk_set=False, timeout=timeout_seconds) if url else None
        )
        self._cache_seconds = cache_seconds
        self._cooldown_seconds = cooldown_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = threading.Lock()

    def signing_key(self, kid: str) -> jwt.PyJWK | None:
        """The key for `kid`, fetching the JWKS when allowed; None when there is no such key."""
        key = self._keys.get(kid)
        if key is not None and self._fresh(monotonic()):
            return key
        # One thread fetches while the others wait for its result instead of fetching too.
        with self._lock:
            now = monotonic()
            needed = kid not in self._keys or not self._fresh(now)
            if needed and self._fetch_allowed(now):
                self._fetch(now)
            return self._keys.get(kid)

    def _fresh(self, now: float) -> bool:
        return self._fetched_at is not None and now - self._fetched_at < self._cache_seconds

    def _fetch_allowed(self, now: float) -> bool:
        if self._client is None:
            return False
        return self._attempted_at is None or now - self._attempted_at >= self._cooldown_seconds

    def _fetch(self, now: float) -> None:
        self._attempted_at = now
        try:
            keys = self._client.get_signing_keys()
        except (jwt.PyJWTError, ValueError) as exc:
            # ValueError: the endpoint answered something that is not JSON.
            logger.warning(
                "auth0_jwks_fetch_failed",
                extra={"url": self.url, "error": type(exc).__name__, "keys_kept": len(self._keys)},
            )
            return
        self._keys = {key.key_id: key for key in keys}
        self._fetched_at = now


def auth0_issuer() -> str:
    """`AUTH0_ISSUER` with a scheme (https by default) and exactly one trailing slash."""
    issuer = settings.AUTH0_ISSUER.strip()
    if not issuer:
        return ""
    if "://" not in issuer:
        issuer = f"https://{issuer}"
    return issuer.rstrip("/") + "/"


def auth0_jwks_url() -> str:
    """`AUTH0_JWKS_URL`, or the tenant's standard JWKS location under the issuer."""
    if settings.AUTH0_JWKS_URL:
        return settings.AUTH0_JWKS_URL
    issuer = auth0_issuer()
    return f"{issuer}.well-known/jwks.json" if issuer else ""


@functools.cache
def auth0_key_set() -> Auth0KeySet:
    """The process-wide key set for the configured tenant."""
    return Auth0KeySet(
        url=auth0_jwks_url(),
        timeout_seconds=settings.AUTH0_JWKS_TIMEOUT_SECONDS,
        cache_seconds=settings.AUTH0_JWKS_CACHE_SECONDS,
        cooldown_seconds=settings.AUTH0_JWKS_REFRESH_COOLDOWN_SECONDS,
    )
