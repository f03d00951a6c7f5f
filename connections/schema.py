"""OpenAPI descriptions of the connection operations; errors of their classes are derived."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer

from connections import serializers
from connections.models import Provider
from errors import catalog
from errors.schema import answer, operation_group

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
# What `connection_for_owner` answers when the connection is not the caller's to use.
CONNECTION_OWNER_ERRORS = (
    catalog.CONNECTION_NOT_FOUND,
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
)
OWNERSHIP_ERRORS = (UNKNOWN_PROVIDER, *CONNECTION_OWNER_ERRORS)
# What `oauth_state_consume` answers for a state missing, expired, forged or reused, or another's.
OAUTH_STATE_ERRORS = (
    catalog.OAUTH_STATE_MISSING,
    catalog.OAUTH_STATE_EXPIRED,
    catalog.OAUTH_STATE_INVALID,
    catalog.OAUTH_STATE_PROVIDER_MISMATCH,
    catalog.OAUTH_STATE_USER_MISMATCH,
    catalog.OAUTH_STATE_EMAIL_MISMATCH,
)
# What `connection_link` answers when the provider account cannot be linked to the caller.
ACCOUNT_LINK_ERRORS = (catalog.OAUTH_ACCOUNT_LINKED_ELSEWHERE, catalog.CONNECTION_LEGACY_BLOCKED)
CALLBACK_RESULT = PolymorphicProxySerializer(
    component_name="OAuthCallbackResult",
    serializers=list(serializers.CALLBACK_OUTPUTS.values()),
    resource_type_field_name=None,
)
provider_operation = operation_group(tags=TAGS, parameters=[PROVIDER_PARAMETER], validation=True)

auth_url = provider_operation(
    operation_id="connections_auth_url",
    summary="Provider consent URL with a fresh signed state",
    parameters=[serializers.OAuthStartInputSerializer],
    responses=answer(
        serializers.OAuthAuthUrlOutputSerializer, "Consent URL and the state it carries."
    ),
    errors=OAUTH_START_ERRORS,
)

oauth_authorize = provider_operation(
    operation_id="connections_oauth_authorize",
    summary="Redirect (307) to the provider's consent page",
    description=(
        "Same state as `auth-url`, bound to the caller, so the request needs the bearer "
        "token: for clients that can send one (not a plain browser navigation)."
    ),
    parameters=[serializers.OAuthStartInputSerializer],
    responses=answer(None, "`Location` is the provider's consent page.", status=307),
    errors=OAUTH_START_ERRORS,
)

oauth_callback = provider_operation(
    operation_id="connections_oauth_callback",
    summary="Exchange the authorization code and link the provider account",
    request=serializers.OAuthCallbackInputSerializer,
    responses={
        **answer(CALLBACK_RESULT, "Account newly linked", status=201),
        **answer(CALLBACK_RESULT, "Account re-linked"),
    },
    errors=(
        UNKNOWN_PROVIDER,
        *OAUTH_STATE_ERRORS,
        catalog.OAUTH_CALLBACK_INVALID,
        *ACCOUNT_LINK_ERRORS,
    ),
)

connections_list = provider_operation(
    operation_id="connections_list",
    summary="The caller's active connections of one provider",
    responses=answer(
        serializers.connection_polymorphic(component_name="ConnectionList", many=True),
        "The caller's active connections.",
    ),
    errors=(UNKNOWN_PROVIDER,),
    validation=False,
)

connection_retrieve = provider_operation(
    operation_id="connections_retrieve",
    summary="One of the caller's connections",
    responses=answer(
        serializers.connection_polymorphic(component_name="Connection"), "The connection."
    ),
    errors=OWNERSHIP_ERRORS,
)

connection_destroy = provider_operation(
    operation_id="connections_destroy",
    summary="Deactivate a connection and wipe its stored tokens",
    responses={204: None},
    errors=OWNERSHIP_ERRORS,
)
