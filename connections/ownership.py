"""The connection ownership policy, the one place that decides who may use a connection."""

from enum import Enum

from django.conf import settings

from authn.auth0_user import Auth0User
from authn.ownership import owner_matches
from connections.models import Connection


class ConnectionAccess(Enum):
    OWNER = "owner"
    # Ownerless (legacy) row, DEBUG on: the caller may claim it.
    CLAIMABLE = "claimable"
    # Ownerless (legacy) row, DEBUG off: nobody may use it until staff assign an owner.
    LEGACY_BLOCKED = "legacy_blocked"
    OTHER_OWNER = "other_owner"


def connection_access(*, connection: Connection, user: Auth0User) -> ConnectionAccess:
    """What the caller may do with a connection: owner id or email match, or the legacy rule."""
    if owner_matches(
        user=user, owner_user_id=connection.owner_user_id, owner_email=connection.owner_email
    ):
        return ConnectionAccess.OWNER
    if connection.is_ownerless:
        return ConnectionAccess.CLAIMABLE if settings.DEBUG else ConnectionAccess.LEGACY_BLOCKED
    return ConnectionAccess.OTHER_OWNER
