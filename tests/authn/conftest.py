"""An Auth0 tenant stand-in: real RSA keys and a JWKS served by a local HTTP server."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://tenant.example.com/"
AUDIENCE = "https://api.latentgeo.test"
JWKS_PATH = "/tenant/jwks.json"
CALLER_URL = "/api/v1/probe/caller"
COOLDOWN_SECONDS = 30
CACHE_SECONDS = 600


@pytest.fixture(scope="session")
def rsa_keys() -> dict:
    """Private keys by kid; `other` is never published, `k2` only after a rotation."""
    return {
        kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
        for kid in ("k1", "k2", "other")
    }


class Clock:
    """The monotonic clock of the key set, moved forward by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Tenant:
    def __init__(self, httpserver, rsa_keys: dict, clock: Clock) -> None:
        self.httpserver = httpserver
        self.keys = rsa_keys
        self.clock = clock

    def publish(self, *kids: str) -> None:
        """Serve a JWKS listing the public keys of `kids` from now on."""
        jwks = {"keys": [self.jwk(kid) for kid in kids]}
        self.httpserver.clear_all_handlers()
        self.httpserver.expect_request(JWKS_PATH).respond_with_json(jwks)

    def jwk(self, kid: str) -> dict:
        public = RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        return {**public, "kid": kid, "use": "sig", "alg": "RS256"}

    def fetches(self) -> int:
        return sum(1 for request, _ in self.httpserver.log if request.path == JWKS_PATH)

    def token(
        self,
        *,
        kid: str | None = "k1",
        signing_kid: str | None = None,
        algorithm: str = "RS256",
        drop: tuple[str, ...] = (),
        **claims,
    ) -> str:
        """An access token as Auth0 would sign it; `claims` override or add claims."""
        now = int(time.time())
        payload = {"sub": "auth0|alice", "iss": ISSUER, "aud": AUDIENCE, "iat": now}
        payload["exp"] = now + 600
        payload.update(claims)
        for name in drop:
            payload.pop(name)
        headers = {"kid": kid} if kid else {}
        key = self.keys[signing_kid or kid or "k1"]
        return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("authn.auth0_keys.monotonic", clock)
    return clock


@pytest.fixture
def tenant(settings, httpserver, rsa_keys, clock) -> Tenant:
    """Settings pointing at the local JWKS, which lists `k1`."""
    settings.AUTH0_ISSUER = ISSUER
    settings.AUTH0_AUDIENCE = AUDIENCE
    settings.AUTH0_JWKS_URL = httpserver.url_for(JWKS_PATH)
    settings.AUTH0_EXPECTED_CLIENT_ID = ""
    settings.AUTH0_JWKS_TIMEOUT_SECONDS = 2
    settings.AUTH0_JWKS_CACHE_SECONDS = CACHE_SECONDS
    settings.AUTH0_JWKS_REFRESH_COOLDOWN_SECONDS = COOLDOWN_SECONDS
    tenant = Tenant(httpserver, rsa_keys, clock)
    tenant.publish("k1")
    return tenant


@pytest.fixture
def bearer():
    def headers(token: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers
