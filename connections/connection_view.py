"""The base of the LatentGEO views that act on one of the caller's connections of a provider."""

from collections.abc import Callable

from rest_framework.response import Response
from rest_framework.serializers import Serializer

from authn.latentgeo_view import LatentgeoView
from connections.models import Connection, Provider
from connections.services import connection_of_path


class ConnectionView(LatentgeoView):
    """A view of `provider`'s connections, named by the URL's `connection_id` segment."""

    provider: Provider

    def connection_get(self, request, connection_id: str) -> Connection:
        """The caller's connection the URL names (claimed first when ownerless in DEBUG)."""
        return connection_of_path(
            provider=self.provider, connection_id=connection_id, user=request.user
        )


# POST copies the connection's items from the provider with `sync`, which returns how many it
# stored, and answers {"status": "success", "synced_count": n} through `output_serializer`. A
# subclass documents its `post` with `extend_schema_view`. This is a comment, not a docstring:
# the schema would publish a docstring as the description of every sync operation.
class ConnectionSyncView(ConnectionView):
    sync: Callable[..., int]
    output_serializer: type[Serializer]

    def post(self, request, connection_id: str):
        connection = self.connection_get(request, connection_id)
        count = self.sync(connection=connection)
        return Response(self.output_serializer({"status": "success", "synced_count": count}).data)
