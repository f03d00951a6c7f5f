"""OpenAPI of the Geog API: its bearer token scheme, its token and usage operations."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from accounts import serializers
from errors import catalog
from errors.schema import answer, operation_group

TAGS = ["geog-auth"]
auth_operation = operation_group(tags=TAGS)

jwks_get = auth_operation(
    operation_id="geog_jwks",
    summary="Public keys that verify Geog tokens (JWKS)",
    description="Public. The active RSA key and the retired keys a valid token's `kid` may name.",
    responses=answer(serializers.JwksOutputSerializer, "The public signing keys"),
)

token_exchange = auth_operation(
    summary="Exchange a long-lived token for a short-lived one",
    request=serializers.TokenExchangeInputSerializer,
    responses=answer(serializers.TokenExchangeOutputSerializer, "A short-lived token"),
    validation=True,
)

api_tokens_list = auth_operation(
    summary="The organization's long-lived tokens (never the token itself)",
    responses=answer(serializers.ApiTokenOutputSerializer(many=True), "The organization's tokens"),
)

api_token_create = auth_operation(
    summary="Create a long-lived token; the response shows it once",
    request=serializers.ApiTokenCreateInputSerializer,
    responses=answer(
        serializers.ApiTokenCreatedOutputSerializer, "Created; `token` is shown once", status=201
    ),
    errors=(catalog.NOT_FOUND,),
    validation=True,
)

api_token_revoke = auth_operation(
    summary="Revoke a long-lived token of the organization",
    responses=answer(None, "Revoked", status=204),
    errors=(catalog.NOT_FOUND,),
)

_USAGE_TAGS = ["geog-usage"]

_USAGE_EXAMPLE = {
    "organization": "acme",
    "tier": "free",
    "from": "2026-11-01",
    "to": "2026-11-03",
    "days": [
        {"date": "2026-11-01", "tiles": 5120, "places": 48, "api": 3},
        {"date": "2026-11-02", "tiles": 0, "places": 0, "api": 0},
        {"date": "2026-11-03", "tiles": 912, "places": 7, "api": 1},
    ],
    "totals": {"tiles": 6032, "places": 55, "api": 4},
    "limits": {"tiles": 1000, "places": 1000, "api": 100},
}

_USAGE_TOKENS_EXAMPLE = [
    {"token_id": "tok_3f9a1c2b7d", "name": "web map", "tiles": 6032, "places": 0, "api": 0},
    {"token_id": "tok_81c0d4e5aa", "name": "geocoder", "tiles": 0, "places": 55, "api": 4},
]

_RANGE_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="First UTC day, YYYY-MM-DD (default: 29 days before `to`)",
        examples=[OpenApiExample("November", value="2026-11-01")],
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Last UTC day, YYYY-MM-DD (default: today); at most 366 days in all",
        examples=[OpenApiExample("November", value="2026-11-30")],
    ),
]

usage_operation = operation_group(tags=_USAGE_TAGS, parameters=_RANGE_PARAMETERS, validation=True)

usage_get = usage_operation(
    operation_id="geog_usage",
    summary="The organization's counted requests per UTC day and family",
    description=(
        "Counted are answers 2xx and 304 (never 401 or 429), per UTC day, in the families of "
        "the rate limits. Figures come from the database, written from the fast counters at "
        "least once a minute. Needs `billing:manage` or `admin:access`."
    ),
    responses=answer(serializers.UsageOutputSerializer, "Usage of the range"),
    examples=[
        OpenApiExample("Three days", value=_USAGE_EXAMPLE, response_only=True, status_codes=["200"])
    ],
    errors=(catalog.NOT_FOUND,),
)

usage_tokens_get = usage_operation(
    operation_id="geog_usage_tokens",
    summary="The organization's counted requests per token over a range of UTC days",
    description=(
        "One entry per token counted in the range; a short-lived token counts for the "
        "long-lived token it was exchanged from. Needs `billing:manage` or `admin:access`."
    ),
    responses=answer(serializers.UsageTokenOutputSerializer(many=True), "Usage per token"),
    examples=[
        OpenApiExample(
            "Two tokens", value=_USAGE_TOKENS_EXAMPLE, response_only=True, status_codes=["200"]
        )
    ],
)


class GeogTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.GeogTokenAuthentication"
    name = "geogToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="AUTHORIZATION",
            token_prefix="Bearer",  # noqa: S106 - the scheme name
            bearer_format="JWT",
        )
