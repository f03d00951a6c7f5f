"""Bearer authentication for the LatentGEO API: Auth0 RS256 access tokens verified offline."""

import jwt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from authn.auth0_keys import auth0_issuer, auth0_key_set
from authn.auth0_user import Auth0User
from authn.auth_failures import auth_failure_record
from authn.internal_tokens import INTERNAL_ALGORITHM, INTERNAL_AUDIENCE, INTERNAL_ISSUER
from authn.token_header import token_header
from errors import catalog
from errors.catalog import ErrorSpec
from errors.exceptions import ApiError
from errors.validation import text_storable

API = "latentgeo"
AUTH0_ALGORITHM = "RS256"
_REQUIRED_CLAIMS = ["exp", "iss", "aud"]
# The owner columns: `owner_user_id` holds 255 characters, an email field 254 (RFC 5321).
SUB_MAX_LENGTH = 255
EMAIL_MAX_LENGTH = 254
_MISSING_CLAIM_SPECS = {
    "iss": catalog.AUTH0_INVALID_ISSUER,
    "aud": catalog.AUTH0_INVALID_AUDIENCE,
}


class Auth0Authentication(BaseAuthentication):
    """`Authorization: Bearer <JWT>`; every failure is a 401 with its `X-Auth-Error-Code`.

    Internal HS256 tokens are accepted too where `ALLOW_INTERNAL_TEST_JWT` is on.
    """

    raises = (
        catalog.AUTH0_MISSING_TOKEN,
        catalog.AUTH0_EXPIRED_TOKEN,
        catalog.AUTH0_BAD_SIGNATURE,
        catalog.AUTH0_MALFORMED_TOKEN,
        catalog.AUTH0_INVALID_ISSUER,
        catalog.AUTH0_INVALID_AUDIENCE,
        catalog.AUTH0_MISSING_SUB,
        catalog.AUTH0_JWKS_UNAVAILABLE,
        catalog.AUTH0_INVALID_CLIENT,
    )

    def authenticate(self, request):
        token = None
        try:
            token = _bearer_token(request)
            user = _auth0_user(_verified_claims(token))
        except ApiError as exc:
            _rejection_record(exc.spec, token)
            raise
        return user, token

    def authenticate_header(self, request) -> str:
        return "Bearer"


def _bearer_token(request) -> str:
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != b"bearer" or len(parts) == 1:
        raise ApiError(catalog.AUTH0_MISSING_TOKEN)
    if len(parts) > 2:
        raise ApiError(catalog.AUTH0_MALFORMED_TOKEN)
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise ApiError(catalog.AUTH0_MALFORMED_TOKEN) from None


def _verified_claims(token: str) -> dict:
    header = token_header(token, malformed=catalog.AUTH0_MALFORMED_TOKEN)
    alg = header.get("alg")
    if alg == AUTH0_ALGORITHM:
        return _auth0_claims(token, header.get("kid"))
    if alg == INTERNAL_ALGORITHM and settings.ALLOW_INTERNAL_TEST_JWT:
        return _decoded(
            token,
            settings.INTERNAL_JWT_SECRET,
            algorithm=INTERNAL_ALGORITHM,
            issuer=INTERNAL_ISSUER,
            audience=[INTERNAL_AUDIENCE],
        )
    raise ApiError(catalog.AUTH0_MALFORMED_TOKEN)


def _auth0_claims(token: str, kid) -> dict:
    if not isinstance(kid, str) or not kid:
        raise ApiError(catalog.AUTH0_MALFORMED_TOKEN)
    signing_key = auth0_key_set().signing_key(kid)
    if signing_key is None:
        raise ApiError(catalog.AUTH0_JWKS_UNAVAILABLE)
    claims = _decoded(
        token,
        signing_key.key,
        algorithm=AUTH0_ALGORITHM,
        issuer=auth0_issuer(),
        audience=_auth0_audiences(),
    )
    expected_client = settings.AUTH0_EXPECTED_CLIENT_ID
    if expected_client and (claims.get("azp") or claims.get("client_id")) != expected_client:
        raise ApiError(catalog.AUTH0_INVALID_CLIENT)
    return claims


def _auth0_audiences() -> list[str]:
    # Several accepted audiences may be given comma-separated; an empty list accepts none.
    return [audience.strip() for audience in settings.AUTH0_AUDIENCE.split(",") if audience.strip()]


def _decoded(token: str, key, *, algorithm: str, issuer: str, audience: list[str]) -> dict:
    if not audience:
        raise ApiError(catalog.AUTH0_INVALID_AUDIENCE)
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[algorithm],
            issuer=issuer,
            audience=audience,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(catalog.AUTH0_EXPIRED_TOKEN) from None
    except jwt.InvalidSignatureError:
        raise ApiError(catalog.AUTH0_BAD_SIGNATURE) from None
    except jwt.MissingRequiredClaimError as exc:
        spec = _MISSING_CLAIM_SPECS.get(exc.claim, catalog.AUTH0_MALFORMED_TOKEN)
        raise ApiError(spec) from None
    except jwt.InvalidIssuerError:
        raise ApiError(catalog.AUTH0_INVALID_ISSUER) from None
    except jwt.InvalidAudienceError:
        raise ApiError(catalog.AUTH0_INVALID_AUDIENCE) from None
    except jwt.exceptions.InvalidSubjectError:
        raise ApiError(catalog.AUTH0_MISSING_SUB) from None
    except jwt.PyJWTError:
        raise ApiError(catalog.AUTH0_MALFORMED_TOKEN) from None


def _auth0_user(claims: dict) -> Auth0User:
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise ApiError(catalog.AUTH0_MISSING_SUB)
    # Owner ids are stored as the `sub`: one no row can hold is no identity of ours.
    if len(sub) > SUB_MAX_LENGTH or not text_storable(sub):
        raise ApiError(catalog.AUTH0_MALFORMED_TOKEN)
    return Auth0User(
        sub=sub,
        email=_email(claims.get("email") or claims.get("user_email")),
        email_verified=claims.get("email_verified") is True,
        roles=_roles(claims),
        permissions=_strings(claims.get("permissions")),
        claims=claims,
    )


def _email(value) -> str | None:
    """The claimed email, lower-cased, when it is an address; anything else is no email."""
    if not isinstance(value, str) or not text_storable(value):
        return None
    email = value.strip().lower()
    if len(email) > EMAIL_MAX_LENGTH:
        return None
    try:
        validate_email(email)
    except ValidationError:
        return None
    return email


def _roles(claims: dict) -> tuple[str, ...]:
    # Auth0 puts roles in a namespaced custom claim (`https://example.com/roles`) via an Action.
    roles: list[str] = []
    for name, value in claims.items():
        if name == "roles" or name.endswith("/roles"):
            roles.extend(role for role in _strings(value) if role not in roles)
    return tuple(roles)


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def _rejection_record(spec: ErrorSpec, token: str | None) -> None:
    header: dict = {}
    claims: dict = {}
    if token:
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            pass
    auth_failure_record(
        api=API,
        code=spec.auth_code,
        kid=header.get("kid"),
        iss=claims.get("iss"),
        aud=claims.get("aud"),
    )
