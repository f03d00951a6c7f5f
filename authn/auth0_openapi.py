"""The OpenAPI security scheme of the LatentGEO bearer authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class Auth0AuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "authn.auth0_authentication.Auth0Authentication"
    name = "auth0"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 - a scheme name
            bearer_format="JWT",
        )
