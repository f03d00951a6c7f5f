"""LatentGEO connection endpoints: OAuth start and callback, list, detail, delete."""

from rest_framework.response import Response

from authn.latentgeo_view import LatentgeoView
from connections import schema
from connections.models import Provider
from connections.oauth_state import oauth_state_issue
from connections.providers import provider_authorize_url, provider_configured_check
from connections.selectors import connection_list_for_owner
from connections.serializers import (
    OAuthAuthUrlOutputSerializer,
    OAuthCallbackInputSerializer,
    OAuthStartInputSerializer,
    connection_data,
    oauth_callback_data,
)
from connections.services import (
    connection_deactivate,
    connection_of_path,
    oauth_callback_complete,
)
from errors.validation import body_validate, query_validate


def _oauth_start_url(request, provider: Provider) -> tuple[str, str]:
    query = query_validate(OAuthStartInputSerializer, request)
    provider_configured_check(provider=provider)
    state = oauth_state_issue(
        provider=provider.value, user=request.user, return_to=query.get("return_to")
    )
    return provider_authorize_url(provider=provider, state=state), state


class OAuthAuthUrlView(LatentgeoView):
    @schema.auth_url
    def get(self, request, provider: Provider):
        url, state = _oauth_start_url(request, provider)
        return Response(OAuthAuthUrlOutputSerializer({"url": url, "state": state}).data)


class OAuthAuthorizeView(LatentgeoView):
    @schema.oauth_authorize
    def get(self, request, provider: Provider):
        url, _ = _oauth_start_url(request, provider)
        return Response(status=307, headers={"Location": url})


class OAuthCallbackView(LatentgeoView):
    @schema.oauth_callback
    def post(self, request, provider: Provider):
        data = body_validate(OAuthCallbackInputSerializer, request)
        result = oauth_callback_complete(
            provider=provider, code=data["code"], state=data.get("state"), user=request.user
        )
        body = oauth_callback_data(connection=result.connection, return_to=result.return_to)
        return Response(body, status=201 if result.created else 200)


class ConnectionListView(LatentgeoView):
    @schema.connections_list
    def get(self, request, provider: Provider):
        connections = connection_list_for_owner(provider=provider, user=request.user)
        return Response([connection_data(connection) for connection in connections])


class ConnectionDetailView(LatentgeoView):
    @schema.connection_retrieve
    def get(self, request, provider: Provider, connection_id: str):
        connection = connection_of_path(
            provider=provider, connection_id=connection_id, user=request.user
        )
        return Response(connection_data(connection))

    @schema.connection_destroy
    def delete(self, request, provider: Provider, connection_id: str):
        connection = connection_of_path(
            provider=provider, connection_id=connection_id, user=request.user
        )
        connection_deactivate(connection=connection)
        return Response(status=204)
