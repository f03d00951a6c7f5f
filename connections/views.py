"""LatentGEO connection endpoints: OAuth start and callback, list, detail, delete."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.auth0_authentication import Auth0Authentication
from connections.models import Connection, Provider
from connections.oauth_state import oauth_state_issue
from connections.providers import provider_authorize_url, provider_configured_check
from connections.selectors import connection_list_for_owner
from connections.services import (
    connection_deactivate,
    connection_for_owner,
    oauth_callback_complete,
)
from errors import catalog
from errors.openapi import latentgeo_responses
from errors.validation import body_validate, path_int, query_validate

_TAGS = ["latentgeo-connections"]
_PROVIDER_PARAMETER = OpenApiParameter(
    "provider", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Provider.values
)
# An unknown provider matches no route and gets the namespace's 404.
_UNKNOWN_PROVIDER = catalog.NOT_FOUND
_CALLBACK_ERRORS = (
    _UNKNOWN_PROVIDER,
    catalog.MALFORMED_JSON,
    catalog.OAUTH_STATE_MISSING,
    catalog.OAUTH_STATE_EXPIRED,
    catalog.OAUTH_STATE_INVALID,
    catalog.OAUTH_STATE_PROVIDER_MISMATCH,
    catalog.OAUTH_CALLBACK_INVALID,
    catalog.OAUTH_STATE_USER_MISMATCH,
    catalog.OAUTH_STATE_EMAIL_MISMATCH,
    catalog.AUTH0_MISSING_TOKEN,
    catalog.OAUTH_ACCOUNT_LINKED_ELSEWHERE,
    catalog.CONNECTION_LEGACY_BLOCKED,
)
_OWNERSHIP_ERRORS = (
    _UNKNOWN_PROVIDER,
    catalog.AUTH0_MISSING_TOKEN,
    catalog.CONNECTION_NOT_OWNED,
    catalog.CONNECTION_LEGACY_BLOCKED,
    catalog.CONNECTION_NOT_FOUND,
)


_OAUTH_START_ERRORS = (
    catalog.OAUTH_RETURN_TO_INVALID,
    catalog.AUTH0_MISSING_TOKEN,
    _UNKNOWN_PROVIDER,
    catalog.OAUTH_PROVIDER_NOT_CONFIGURED,
)


class _ConnectionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    owner_email = serializers.CharField()
    is_active = serializers.BooleanField()
    token_expires_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class GitHubConnectionOutput(_ConnectionOutput):
    username = serializers.CharField(help_text="GitHub login.")


class HubSpotConnectionOutput(_ConnectionOutput):
    portal_id = serializers.IntegerField(source="account_id", help_text="HubSpot portal (hub) id.")


_CONNECTION_OUTPUTS = {
    Provider.GITHUB: GitHubConnectionOutput,
    Provider.HUBSPOT: HubSpotConnectionOutput,
}
_CONNECTION_SCHEMA = PolymorphicProxySerializer(
    component_name="Connection",
    serializers={provider.value: output for provider, output in _CONNECTION_OUTPUTS.items()},
    resource_type_field_name="provider",
)


def _connection_data(connection: Connection) -> dict:
    return _CONNECTION_OUTPUTS[Provider(connection.provider)](connection).data


class _CallerView(APIView):
    authentication_classes = [Auth0Authentication]
    permission_classes = [IsAuthenticated]


class _OAuthStartInput(serializers.Serializer):
    return_to = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Path to return to after the callback: starts with `/`, not `//`.",
    )


def _oauth_start_url(request, provider: Provider) -> tuple[str, str]:
    query = query_validate(_OAuthStartInput, request)
    provider_configured_check(provider=provider)
    state = oauth_state_issue(
        provider=provider.value, user=request.user, return_to=query.get("return_to")
    )
    return provider_authorize_url(provider=provider, state=state), state


class OAuthAuthUrlOutput(serializers.Serializer):
    url = serializers.URLField()
    state = serializers.CharField()


class OAuthAuthUrlView(_CallerView):
    @extend_schema(
        operation_id="connections_auth_url",
        tags=_TAGS,
        summary="Provider consent URL with a fresh signed state",
        parameters=[_PROVIDER_PARAMETER, _OAuthStartInput],
        responses={
            200: OpenApiResponse(
                OAuthAuthUrlOutput, description="Consent URL and the state it carries."
            ),
            **latentgeo_responses(*_OAUTH_START_ERRORS, validation=True),
        },
    )
    def get(self, request, provider: Provider):
        url, state = _oauth_start_url(request, provider)
        return Response(OAuthAuthUrlOutput({"url": url, "state": state}).data)


class OAuthAuthorizeView(_CallerView):
    @extend_schema(
        operation_id="connections_oauth_authorize",
        tags=_TAGS,
        summary="Redirect (307) to the provider's consent page",
        description=(
            "Same state as `auth-url`, bound to the caller, so the request needs the bearer "
            "token: for clients that can send one (not a plain browser navigation)."
        ),
        parameters=[_PROVIDER_PARAMETER, _OAuthStartInput],
        responses={
            307: OpenApiResponse(description="`Location` is the provider's consent page."),
            **latentgeo_responses(*_OAUTH_START_ERRORS, validation=True),
        },
    )
    def get(self, request, provider: Provider):
        url, _ = _oauth_start_url(request, provider)
        return Response(status=307, headers={"Location": url})


class GitHubCallbackOutput(serializers.Serializer):
    status = serializers.CharField()
    connection_id = serializers.IntegerField()
    username = serializers.CharField()
    return_to = serializers.CharField(allow_null=True)


class HubSpotCallbackOutput(serializers.Serializer):
    status = serializers.CharField()
    connection_id = serializers.IntegerField()
    portal_id = serializers.IntegerField()
    return_to = serializers.CharField(allow_null=True)


_CALLBACK_SCHEMA = PolymorphicProxySerializer(
    component_name="OAuthCallbackResult",
    serializers=[GitHubCallbackOutput, HubSpotCallbackOutput],
    resource_type_field_name=None,
)


class OAuthCallbackInput(serializers.Serializer):
    code = serializers.CharField()
    state = serializers.CharField(required=False, allow_blank=True)


class OAuthCallbackView(_CallerView):
    @extend_schema(
        operation_id="connections_oauth_callback",
        tags=_TAGS,
        summary="Exchange the authorization code and link the provider account",
        parameters=[_PROVIDER_PARAMETER],
        request=OAuthCallbackInput,
        responses={
            201: OpenApiResponse(_CALLBACK_SCHEMA, description="Account newly linked"),
            200: OpenApiResponse(_CALLBACK_SCHEMA, description="Account re-linked"),
            **latentgeo_responses(*_CALLBACK_ERRORS, validation=True),
        },
    )
    def post(self, request, provider: Provider):
        data = body_validate(OAuthCallbackInput, request)
        result = oauth_callback_complete(
            provider=provider, code=data["code"], state=data.get("state"), user=request.user
        )
        connection = result.connection
        body = {"status": "success", "connection_id": connection.pk, "return_to": result.return_to}
        if provider == Provider.GITHUB:
            body["username"] = connection.username
        else:
            body["portal_id"] = connection.account_id
        return Response(body, status=201 if result.created else 200)


class ConnectionListView(_CallerView):
    @extend_schema(
        operation_id="connections_list",
        tags=_TAGS,
        summary="The caller's active connections of one provider",
        parameters=[_PROVIDER_PARAMETER],
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ConnectionList",
                    serializers={
                        provider.value: output for provider, output in _CONNECTION_OUTPUTS.items()
                    },
                    resource_type_field_name="provider",
                    many=True,
                ),
                description="The caller's active connections.",
            ),
            **latentgeo_responses(catalog.AUTH0_MISSING_TOKEN, _UNKNOWN_PROVIDER),
        },
    )
    def get(self, request, provider: Provider):
        connections = connection_list_for_owner(provider=provider, user=request.user)
        return Response([_connection_data(connection) for connection in connections])


class ConnectionDetailView(_CallerView):
    @extend_schema(
        operation_id="connections_retrieve",
        tags=_TAGS,
        summary="One of the caller's connections",
        parameters=[_PROVIDER_PARAMETER],
        responses={
            200: OpenApiResponse(_CONNECTION_SCHEMA, description="The connection."),
            **latentgeo_responses(*_OWNERSHIP_ERRORS, validation=True),
        },
    )
    def get(self, request, provider: Provider, connection_id: str):
        connection = connection_for_owner(
            provider=provider,
            connection_id=path_int("connection_id", connection_id),
            user=request.user,
        )
        return Response(_connection_data(connection))

    @extend_schema(
        operation_id="connections_destroy",
        tags=_TAGS,
        summary="Deactivate a connection and wipe its stored tokens",
        parameters=[_PROVIDER_PARAMETER],
        responses={204: None, **latentgeo_responses(*_OWNERSHIP_ERRORS, validation=True)},
    )
    def delete(self, request, provider: Provider, connection_id: str):
        connection = connection_for_owner(
            provider=provider,
            connection_id=path_int("connection_id", connection_id),
            user=request.user,
        )
        connection_deactivate(connection=connection)
        return Response(status=204)
