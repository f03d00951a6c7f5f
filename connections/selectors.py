"""Reading connections, with the ownership policy enforced for every API read."""

from django.db.models import QuerySet

from authn.auth0_user import Auth0User
from connections.models import Connection, Provider
from connections.ownership import ConnectionAccess, connection_access, owned_by
from connections.services import connection_claim
from errors import catalog
from errors.exceptions import ApiError


def connection_list_for_owner(*, provider: Provider, user: Auth0User) -> QuerySet[Connection]:
    """The caller's active connections of one provider; never another user's or ownerless rows."""
    return Connection.objects.filter(owned_by(user), provider=provider, is_active=True)


def connection_for_owner(*, provider: Provider, connection_id: int, user: Auth0User) -> Connection:
    """The caller's active connection: 404 absent or inactive, 403 someone else's or legacy."""
    connection = Connection.objects.filter(
        pk=connection_id, provider=provider, is_active=True
    ).first()
    if connection is None:
        raise ApiError(catalog.CONNECTION_NOT_FOUND, p=provider.value)
    access = connection_access(connection=connection, user=user)
    if access is ConnectionAccess.CLAIMABLE:
        connection = connection_claim(connection_id=connection.pk, user=user)
        # Another reader may have claimed it first: decide again on the locked, current row.
        access = connection_access(connection=connection, user=user)
    if access is ConnectionAccess.LEGACY_BLOCKED:
        raise ApiError(catalog.CONNECTION_LEGACY_BLOCKED, p=provider.value)
    if access is not ConnectionAccess.OWNER:
        raise ApiError(catalog.CONNECTION_NOT_OWNED, P=provider.label)
    return connection
