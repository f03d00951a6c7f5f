"""HubSpot access tokens that stay usable: refreshed before they expire, and once after a 401.

HubSpot access tokens live about 30 minutes; the OAuth callback stores the refresh token and
the expiry beside them (encrypted). Every call to HubSpot takes its token from
`hubspot_access_token`, which refreshes a token that expires within
`HUBSPOT_TOKEN_REFRESH_MARGIN_SECONDS` first. A call that HubSpot answers 401 asks
`hubspot_token_refresh(rejected_token=...)` once and retries.

Refreshes of one connection are serialised by a named lock (an advisory lock on PostgreSQL,
across processes; a thread lock in the embedded SQLite mode). Whoever gets the lock reads the
row again: when another worker refreshed meanwhile, its token is used and HubSpot is not
asked a second time, so two concurrent calls with an expired token refresh once. The
lock is not a transaction: nothing stays open while the token endpoint answers.

A refresh token HubSpot refuses marks the connection `needs_reauth`, and from then on every
call answers 409 until the owner links the account again. A token endpoint that fails
(network, 5xx, garbage) answers 502 and leaves the connection as it was. Tokens are never
logged.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from connections.models import OAUTH_TOKEN_PURPOSE, Connection, Provider
from connections.named_locks import NamedLockTimeoutError, named_lock
from connections.providers import (
    TokenRefreshFailedError,
    TokenRefreshRefusedError,
    hubspot_tokens_refresh,
)
from connections.services import connection_needs_reauth_mark, connection_tokens_store
from encryption.cipher import secret_decrypt
from errors import catalog
from errors.exceptions import ApiError

logger = logging.getLogger(__name__)

# Longer than one refresh takes (the token endpoint's timeout), so a waiter normally gets the
# lock and finds the token its neighbour just stored.
REFRESH_LOCK_WAIT_SECONDS = 30


def _needs_reauth() -> ApiError:
    return ApiError(catalog.CONNECTION_NEEDS_REAUTH, provider_name=Provider.HUBSPOT.label)


def _unavailable() -> ApiError:
    return ApiError(catalog.PROVIDER_UNAVAILABLE, provider_name=Provider.HUBSPOT.label)


def _connection_read(connection_id: int) -> Connection:
    connection = Connection.objects.get(pk=connection_id, provider=Provider.HUBSPOT)
    if connection.needs_reauth or not connection.is_active:
        raise _needs_reauth()
    return connection


def _expiring(connection: Connection) -> bool:
    if connection.token_expires_at is None:
        return False
    margin = timedelta(seconds=settings.HUBSPOT_TOKEN_REFRESH_MARGIN_SECONDS)
    return connection.token_expires_at <= timezone.now() + margin


def hubspot_access_token(*, connection_id: int) -> str:
    """A usable access token of the connection, refreshed first when it (nearly) expired."""
    connection = _connection_read(connection_id)
    if _expiring(connection):
        return hubspot_token_refresh(connection_id=connection_id, rejected_token=None)
    return secret_decrypt(connection.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE)


def hubspot_token_refresh(*, connection_id: int, rejected_token: str | None) -> str:
    """Refresh the connection's tokens unless another worker just did; the token to use.

    `rejected_token` is the token HubSpot answered 401 to (None when refreshing because the
    token expires): a stored token other than it was refreshed by someone else meanwhile.
    """
    try:
        with named_lock(
            f"connections.hubspot_token.{connection_id}", timeout_seconds=REFRESH_LOCK_WAIT_SECONDS
        ):
            connection = _connection_read(connection_id)
            stored = secret_decrypt(connection.access_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE)
            refreshed_meanwhile = (
                stored != rejected_token
                if rejected_token is not None
                else not _expiring(connection)
            )
            if refreshed_meanwhile and stored:
                return stored
            return _refresh(connection)
    except NamedLockTimeoutError:
        logger.warning("hubspot_token_refresh_lock_timeout", extra={"connection_id": connection_id})
        raise _unavailable() from None


def _refresh(connection: Connection) -> str:
    refresh_token = secret_decrypt(connection.refresh_token_encrypted, purpose=OAUTH_TOKEN_PURPOSE)
    if not refresh_token:
        connection_needs_reauth_mark(connection_id=connection.pk)
        logger.warning(
            "hubspot_token_refresh_refused",
            extra={"connection_id": connection.pk, "reason": "no_refresh_token"},
        )
        raise _needs_reauth()
    try:
        tokens = hubspot_tokens_refresh(refresh_token=refresh_token)
    except TokenRefreshRefusedError as exc:
        connection_needs_reauth_mark(connection_id=connection.pk)
        logger.warning(
            "hubspot_token_refresh_refused",
            extra={"connection_id": connection.pk, "reason": exc.args[0]},
        )
        raise _needs_reauth() from None
    except TokenRefreshFailedError as exc:
        logger.warning(
            "hubspot_token_refresh_failed",
            extra={"connection_id": connection.pk, "reason": exc.args[0]},
        )
        raise _unavailable() from None
    connection_tokens_store(connection_id=connection.pk, tokens=tokens)
    logger.info("hubspot_token_refreshed", extra={"connection_id": connection.pk})
    return tokens.access_token


def hubspot_reauth_require(*, connection_id: int) -> ApiError:
    """Mark the connection `needs_reauth` (a fresh token was refused too); the 409 to raise."""
    connection_needs_reauth_mark(connection_id=connection_id)
    logger.warning("hubspot_token_rejected", extra={"connection_id": connection_id})
    return _needs_reauth()
