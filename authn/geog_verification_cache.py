"""Cache entries that keep token verification off the database in the steady state.

One entry per token subject (the digest of the exact token string verified, its scopes and
expiry) and one per organization (tier and limits). Revoking a token replaces its entry
with a marker after the transaction commits; verification only ever *adds* entries, so a
request that read the token row just before the revocation cannot put a stale entry back.
Changing an organization deletes its entry, so the next request reads it again.
"""

import logging

from django.core.cache import cache
from django.db import transaction

from authn.geog_local_verifications import invalidation_publish

logger = logging.getLogger(__name__)

TOKEN_ENTRY_SECONDS = 300
ORGANIZATION_ENTRY_SECONDS = 300
REVOKED_MARKER = {"revoked": True}
PARENT_LIVE = {"live": True}


def token_cache_key(token_id: str) -> str:
    return f"geog:auth:token:{token_id}"


def organization_cache_key(organization_id: int) -> str:
    return f"geog:auth:org:{organization_id}"


def last_used_guard_key(token_id: str) -> str:
    return f"geog:auth:used:{token_id}"


def parent_cache_key(token_id: str) -> str:
    """Whether a long-lived token still vouches for the short-lived tokens exchanged from it."""
    return f"geog:auth:parent:{token_id}"


def token_entry_revoke(token_id: str) -> None:
    """Replace the cached verification of a token (and of its children) by a revocation marker."""
    keys = (token_cache_key(token_id), parent_cache_key(token_id))

    def revoke() -> None:
        for key in keys:
            cache.set(key, REVOKED_MARKER, TOKEN_ENTRY_SECONDS)
            invalidation_publish(key)

    transaction.on_commit(revoke)


def organization_entry_forget(organization_id: int) -> None:
    """Drop the cached tier and limits of an organization once the transaction commits."""
    key = organization_cache_key(organization_id)

    def forget() -> None:
        cache.delete(key)
        invalidation_publish(key)

    transaction.on_commit(forget)


def cache_unavailable_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the shared cache could not be reached."""
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    return (ConnectionInterrupted, RedisError, OSError)
