"""Bearer authentication for the LatentGEO API."""

import jwt
from django.conf import settings
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from authn.auth0_user import Auth0User
from authn.internal_tokens import INTERNAL_ALGORITHM, INTERNAL_ISSUER
from errors import catalog
from errors.exceptions import ApiError


class Auth0Authentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].lower() != b"bearer" or not parts[1]:
            raise ApiError(catalog.AUTH0_MISSING_TOKEN)
        token = parts[1].decode("latin-1")
        claims = self._verified_claims(token)
        sub = claims.get("sub")
        if not sub:
            raise ApiError(catalog.AUTH0_MISSING_SUB)
        email = claims.get("email") or claims.get("user_email")
        return Auth0User(sub=sub, email=email.lower() if email else None, claims=claims), token

    def authenticate_header(self, request) -> str:
        return "Bearer"

    @staticmethod
    def _verified_claims(token: str) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise ApiError(catalog.AUTH0_MALFORMED_TOKEN) from None
        if header.get("alg") != INTERNAL_ALGORITHM or not settings.ALLOW_INTERNAL_TEST_JWT:
            raise ApiError(catalog.AUTH0_MALFORMED_TOKEN)
        try:
            return jwt.decode(
                token,
                settings.INTERNAL_JWT_SECRET,
                algorithms=[INTERNAL_ALGORITHM],
                issuer=INTERNAL_ISSUER,
                audience="latentgeo",
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise ApiError(catalog.AUTH0_EXPIRED_TOKEN) from None
        except jwt.InvalidSignatureError:
            raise ApiError(catalog.AUTH0_BAD_SIGNATURE) from None
        except jwt.PyJWTError:
            raise ApiError(catalog.AUTH0_MALFORMED_TOKEN) from None
