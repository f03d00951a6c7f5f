"""Writing connections: linking after OAuth, claiming, deactivating, assigning owners."""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from authn.auth0_user import Auth0User
from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from connections.oauth_state import oauth_state_consume
from connections.ownership import ConnectionAccess, connection_access
from connections.providers import ProviderAccount, RefreshedTokens, provider_account_fetch
from encryption.cipher import secret_encrypt
from errors import catalog
from errors.exceptions import ApiError
from errors.validation import path_int
from rows.saving import row_save

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OAuthCallbackResult:
    connection: Connection
    created: bool
    return_to: str | None


def oauth_callback_complete(
    *, provider: Provider, code: str, state: str | None, user: Auth0User
) -> OAuthCallbackResult:
    """Check and spend the state, exchange the code at the provider, link the account."""
    spent = oauth_state_consume(provider=provider.value, state=state, user=user)
    # No transaction is held open across the provider's HTTP calls.
    account = provider_account_fetch(provider=provider, code=code)
    connection, created = connection_link(provider=provider, account=account, user=user)
    logger.info(
        "connection_linked",
        extra={"provider": provider.value, "connection_id": connection.pk, "new_link": created},
    )
    return OAuthCallbackResult(connection=connection, created=created, return_to=spent.return_to)


def connection_link(
    *, provider: Provider, account: ProviderAccount, user: Auth0User
) -> tuple[Connection, bool]:
    """Store the account for the caller; True when it is new to them, 403 if someone else's."""
    try:
        return _connection_link_once(provider=provider, account=account, user=user)
    except IntegrityError:
        # A concurrent callback inserted the same account first; it now exists and is checked
        # like any other existing row.
        return _connection_link_once(provider=provider, account=account, user=user)


@transaction.atomic
def _connection_link_once(
    *, provider: Provider, account: ProviderAccount, user: Auth0User
) -> tuple[Connection, bool]:
    connection = (
        Connection.objects.select_for_update()
        .filter(provider=provider, account_id=account.account_id)
        .first()
    )
    if connection is None:
        connection = Connection(provider=provider, account_id=account.account_id)
        created = True
    else:
        access = connection_access(connection=connection, user=user)
        # A deactivated link holds no tokens and no claim: whoever authorizes the account next
        # gets it.
        if connection.is_active and access is ConnectionAccess.OTHER_OWNER:
            raise ApiError(catalog.OAUTH_ACCOUNT_LINKED_ELSEWHERE)
        if connection.is_active and access is ConnectionAccess.LEGACY_BLOCKED:
            raise ApiError(catalog.CONNECTION_LEGACY_BLOCKED, provider=provider.value)
        # Re-linked (200) when the caller owned it or claims a legacy row; else new to them.
        created = not (connection.is_active or access is ConnectionAccess.OWNER)
    if created:
        connection.owner_email = user.email or ""
    else:
        connection.owner_email = user.email or connection.owner_email
    connection.owner_user_id = user.sub
    connection.username = account.username
    connection.scopes = account.scopes
    connection.access_token_encrypted = secret_encrypt(
        account.access_token, purpose=OAUTH_TOKEN_PURPOSE
    )
    connection.refresh_token_encrypted = secret_encrypt(
        account.refresh_token, purpose=OAUTH_TOKEN_PURPOSE
    )
    connection.token_expires_at = account.token_expires_at
    connection.needs_reauth = False
    connection.is_active = True
    # Uniqueness is left to the database constraint, which `connection_link` retries on.
    connection.full_clean(validate_unique=False, validate_constraints=False)
    connection.save()
    return connection, created


@transaction.atomic
def connection_claim(*, connection_id: int, user: Auth0User) -> Connection:
    """Make the caller the owner of an ownerless connection; the row as it is once locked."""
    connection = Connection.objects.select_for_update().get(pk=connection_id)
    if connection.is_ownerless:
        connection.owner_user_id = user.sub
        connection.owner_email = user.email or ""
        row_save(connection)
    return connection


@transaction.atomic
def connection_deactivate(*, connection: Connection) -> Connection:
    """Deactivate a connection and wipe its stored tokens."""
    connection.is_active = False
    connection.access_token_encrypted = ""
    connection.refresh_token_encrypted = ""
    connection.token_expires_at = None
    return row_save(connection)


@transaction.atomic
def connection_owner_assign(
    *, connection_ids: list[int], owner_user_id: str, owner_email: str
) -> int:
    """Give the listed connections an owner (staff fixing legacy rows); how many changed."""
    connections = Connection.objects.select_for_update().filter(pk__in=connection_ids)
    changed = 0
    for connection in connections:
        connection.owner_user_id = owner_user_id
        connection.owner_email = owner_email.lower()
        row_save(connection)
        changed += 1
    return changed


def connection_of_path(*, provider: Provider, connection_id: str, user: Auth0User) -> Connection:
    """The caller's connection the `connection_id` segment of a URL names."""
    return connection_for_owner(
        provider=provider, connection_id=path_int("connection_id", connection_id), user=user
    )


def connection_for_owner(*, provider: Provider, connection_id: int, user: Auth0User) -> Connection:
    """The caller's active connection, claimed first when ownerless and DEBUG is on.

    404 when absent or inactive, 403 when someone else's or a legacy row in production.
    """
    connection = Connection.objects.filter(
        pk=connection_id, provider=provider, is_active=True
    ).first()
    if connection is None:
        raise ApiError(catalog.CONNECTION_NOT_FOUND, provider=provider.value)
    access = connection_access(connection=connection, user=user)
    if access is ConnectionAccess.CLAIMABLE:
        connection = connection_claim(connection_id=connection.pk, user=user)
        # Another reader may have claimed it first: decide again on the locked, current row.
        access = connection_access(connection=connection, user=user)
    if access is ConnectionAccess.LEGACY_BLOCKED:
        raise ApiError(catalog.CONNECTION_LEGACY_BLOCKED, provider=provider.value)
    if access is not ConnectionAccess.OWNER:
        raise ApiError(catalog.CONNECTION_NOT_OWNED, provider_name=provider.label)
    return connection


@transaction.atomic
def connection_needs_reauth_mark(*, connection_id: int) -> None:
    """Record that the provider refused the stored tokens: the owner must link again."""
    connection = Connection.objects.select_for_update().get(pk=connection_id)
    connection.needs_reauth = True
    row_save(connection)


@transaction.atomic
def connection_tokens_store(*, connection_id: int, tokens: RefreshedTokens) -> Connection:
    """Store refreshed tokens (encrypted) and their expiry."""
    connection = Connection.objects.select_for_update().get(pk=connection_id)
    connection.access_token_encrypted = secret_encrypt(
        tokens.access_token, purpose=OAUTH_TOKEN_PURPOSE
    )
    connection.refresh_token_encrypted = secret_encrypt(
        tokens.refresh_token, purpose=OAUTH_TOKEN_PURPOSE
    )
    connection.token_expires_at = tokens.token_expires_at
    return row_save(connection)
