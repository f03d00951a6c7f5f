"""Bodies of the connections API."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from connections.models import Connection, Provider


class ConnectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    provider = serializers.CharField()
    scopes = serializers.ListField(
        child=serializers.CharField(), help_text="The OAuth scopes the provider granted."
    )
    owner_email = serializers.CharField()
    is_active = serializers.BooleanField()
    needs_reauth = serializers.BooleanField(
        help_text="The provider refused the stored tokens: link the account again."
    )
    token_expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When the access token expires; null when the provider set no expiry.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class GitHubConnectionOutputSerializer(ConnectionOutputSerializer):
    username = serializers.CharField(help_text="GitHub login.")


class HubSpotConnectionOutputSerializer(ConnectionOutputSerializer):
    portal_id = serializers.IntegerField(source="account_id", help_text="HubSpot portal (hub) id.")


CONNECTION_OUTPUTS = {
    Provider.GITHUB: GitHubConnectionOutputSerializer,
    Provider.HUBSPOT: HubSpotConnectionOutputSerializer,
}


def connection_data(connection: Connection) -> dict:
    """A connection as its provider's output serializer renders it."""
    return CONNECTION_OUTPUTS[Provider(connection.provider)](connection).data


def connection_polymorphic(*, component_name: str, many: bool = False):
    """The connection body for the schema: one shape per provider, told apart by `provider`."""
    return PolymorphicProxySerializer(
        component_name=component_name,
        serializers={provider.value: output for provider, output in CONNECTION_OUTPUTS.items()},
        resource_type_field_name="provider",
        many=many,
    )


class OAuthStartInputSerializer(serializers.Serializer):
    return_to = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="Path to return to after the callback: starts with `/`, not `//`.",
    )


class OAuthAuthUrlOutputSerializer(serializers.Serializer):
    url = serializers.URLField()
    state = serializers.CharField()


class GitHubCallbackOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    connection_id = serializers.IntegerField(source="connection.pk")
    username = serializers.CharField(source="connection.username")
    return_to = serializers.CharField(allow_null=True)


class HubSpotCallbackOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    connection_id = serializers.IntegerField(source="connection.pk")
    portal_id = serializers.IntegerField(source="connection.account_id")
    return_to = serializers.CharField(allow_null=True)


CALLBACK_OUTPUTS = {
    Provider.GITHUB: GitHubCallbackOutputSerializer,
    Provider.HUBSPOT: HubSpotCallbackOutputSerializer,
}


def oauth_callback_data(*, connection: Connection, return_to: str | None) -> dict:
    """The callback's answer for a linked account, as its provider's serializer renders it."""
    output = CALLBACK_OUTPUTS[Provider(connection.provider)]
    return output({"status": "success", "connection": connection, "return_to": return_to}).data


class OAuthCallbackInputSerializer(serializers.Serializer):
    code = serializers.CharField()
    state = serializers.CharField(required=False, allow_blank=True)
