"""OpenAPI security scheme of the LatentGEO API (imported by the app so spectacular sees it)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class Auth0AuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "authn.auth0_authentication.Auth0Authentication"
    name = "auth0"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "Auth0 RS256 access token. Failures are 401 with `WWW-Authenticate: Bearer` "
                "and an `X-Auth-Error-Code` header naming the reason."
            ),
        }
