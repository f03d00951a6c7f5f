"""The base of the LatentGEO views that act on one of the caller's connections of a provider."""

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
