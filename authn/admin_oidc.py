"""Staff login to the Django admin through the organisation's OpenID Connect provider."""

from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Logs in existing active staff users whose email the provider vouches for."""

    def verify_claims(self, claims: dict) -> bool:
        # Matching users by email is only safe when the provider has not flagged it unverified.
        return super().verify_claims(claims) and claims.get("email_verified") is not False

    def filter_users_by_claims(self, claims: dict):
        return super().filter_users_by_claims(claims).filter(is_staff=True, is_active=True)

    def verify_token(self, token: str, **kwargs) -> dict:
        # The library checks signature and nonce only; an ID token minted for another client
        # of the same provider must not open this admin.
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        return payload
