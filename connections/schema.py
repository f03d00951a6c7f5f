"""OpenAPI descriptions of the connection operations; errors of their classes are derived."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer

from connections.models import Provider
from connections.serializers import (
    GitHubCallbackOutputSerializer,
    HubSpotCallbackOutputSerializer,
    OAuthAuthUrlOutputSerializer,
    OAuthCallbackInputSerializer,
    OAuthStartInputSerializer,
    connection_polymorphic,
)
from errors import catalog
from errors.schema import operation

TAGS = ["latentgeo-connections"]
PROVIDER_PARAMETER = OpenApiParameter(
    "provider", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Provider.values
)
# An unknown provider matches no route and gets the namespace's 404.
UNKNOWN_PROVIDER = catalog.NOT_FOUND
OAUTH_START_ERRORS = (
    catalog.OAUTH_RETURN_TO_INVALID,
    UNKNOWN_PROVIDER,
    catalog.OAUTH_PROVIDER_NOT_CONFIGURED,
)
OWNERSHIP_ERRORS = (
    UNKNOWN_PROVIDER,
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
    catalog.CONNECTION_NOT_FOUND,
)
CALLBACK_RESULT = PolymorphicProxySerializer(
    component_name="OAuthCallbackResult",
    serializers=[GitHubCallbackOutputSerializer, HubSpotCallbackOutputSerializer],
    resource_type_field_name=None,
)

auth_url = operation(
    operation_id="connections_auth_url",
    tags=TAGS,
    summary="Provider consent URL with a fresh signed state",
    parameters=[PROVIDER_PARAMETER, OAuthStartInputSerializer],
    responses={
        200: OpenApiResponse(
            OAuthAuthUrlOutputSerializer, description="Consent URL and the state it carries."
        )
    },
    errors=OAUTH_START_ERRORS,
    validation=True,
)

oauth_authorize = operation(
    operation_id="connections_oauth_authorize",
    tags=TAGS,
    summary="Redirect (307) to the provider's consent page",
    description=(
        "Same state as `auth-url`, bound to the caller, so the request needs the bearer "
        "token: for clients that can send one (not a plain browser navigation)."
    ),
    parameters=[PROVIDER_PARAMETER, OAuthStartInputSerializer],
    responses={307: OpenApiResponse(description="`Location` is the provider's consent page.")},
    errors=OAUTH_START_ERRORS,
    validation=True,
)

oauth_callback = operation(
    operation_id="connections_oauth_callback",
    tags=TAGS,
    summary="Exchange the authorization code and link the provider account",
    parameters=[PROVIDER_PARAMETER],
    request=OAuthCallbackInputSerializer,
    responses={
        201: OpenApiResponse(CALLBACK_RESULT, description="Account newly linked"),
        200: OpenApiResponse(CALLBACK_RESULT, description="Account re-linked"),
    },
    errors=(
        UNKNOWN_PROVIDER,
        catalog.MALFORMED_JSON,
        catalog.OAUTH_STATE_MISSING,
        catalog.OAUTH_STATE_EXPIRED,
        catalog.OAUTH_STATE_INVALID,
        catalog.OAUTH_STATE_PROVIDER_MISMATCH,
        catalog.OAUTH_CALLBACK_INVALID,
        catalog.OAUTH_STATE_USER_MISMATCH,
        catalog.OAUTH_STATE_EMAIL_MISMATCH,
        catalog.OAUTH_ACCOUNT_LINKED_ELSEWHERE,
        catalog.CONNECTION_LEGACY_BLOCKED,
    ),
    validation=True,
)

connections_list = operation(
    operation_id="connections_list",
    tags=TAGS,
    summary="The caller's active connections of one provider",
    parameters=[PROVIDER_PARAMETER],
    responses={
        200: OpenApiResponse(
            connection_polymorphic(component_name="ConnectionList", many=True),
            description="The caller's active connections.",
        )
    },
    errors=(UNKNOWN_PROVIDER,),
)

connection_retrieve = operation(
    operation_id="connections_retrieve",
    tags=TAGS,
    summary="One of the caller's connections",
    parameters=[PROVIDER_PARAMETER],
    responses={
        200: OpenApiResponse(
            connection_polymorphic(component_name="Connection"), description="The connection."
        )
    },
    errors=OWNERSHIP_ERRORS,
    validation=True,
)

connection_destroy = operation(
    operation_id="connections_destroy",
    tags=TAGS,
    summary="Deactivate a connection and wipe its stored tokens",
    parameters=[PROVIDER_PARAMETER],
    responses={204: None},
    errors=OWNERSHIP_ERRORS,
    validation=True,
)
