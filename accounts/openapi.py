"""OpenAPI description of the Geog bearer token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class GeogTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.GeogTokenAuthentication"
    name = "geogToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="AUTHORIZATION",
            token_prefix="Bearer",  # noqa: S106 - the scheme name
            bearer_format="JWT",
        )
