"""Internal HS256 test tokens, accepted only where ALLOW_INTERNAL_TEST_JWT is on."""

import time

import jwt
from django.conf import settings

INTERNAL_ALGORITHM = "HS256"
INTERNAL_ISSUER = "latentgeo-internal"
INTERNAL_AUDIENCE = "latentgeo"


def internal_token_issue(
    *, sub: str, email: str | None = None, email_verified: bool = False, expires_in: int = 3600
) -> str:
    """A signed HS256 access token for local development and tests."""
    now = int(time.time())
    claims = {
        "sub": sub,
        "iss": INTERNAL_ISSUER,
        "aud": INTERNAL_AUDIENCE,
        "iat": now,
        "exp": now + expires_in,
    }
    if email:
        claims["email"] = email
        claims["email_verified"] = email_verified
    return jwt.encode(claims, settings.INTERNAL_JWT_SECRET, algorithm=INTERNAL_ALGORITHM)
