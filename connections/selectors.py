"""Reading connections: only the caller's own, active ones."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from authn.ownership import owned_by
from connections.models import Connection, Provider


def connection_list_for_owner(*, provider: Provider, user: Auth0User) -> QuerySet[Connection]:
    """The caller's active connections of one provider; never another user's or ownerless rows."""
    return Connection.objects.filter(owned_by(user), provider=provider, is_active=True)
