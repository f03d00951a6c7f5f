"""Cache entries that keep token verification off the database in the steady state.

One entry per token subject (the digest of the exact token string verified, its scopes and
expiry) and one per organization (tier and limits). Revoking a token replaces its entry
with a marker after the transaction commits; verification only ever *adds* entries, so a
request that read the token row just before the revocation cannot put a stale entry back.
Changing an organization replaces its entry by a marker in the same way, so a request that
read the old tier just before the change cannot put it back; requests read the row while the
marker lasts. A short-lived token also reads its parent's entry (live, or revoked).
"""

import logging

from django.core.cache import cache
from django.db import transaction

from accounts.local_verifications import invalidation_publish

logger = logging.getLogger(__name__)

TOKEN_ENTRY_SECONDS = 300
ORGANIZATION_ENTRY_SECONDS = 300
REVOKED_MARKER = {"revoked": True}
PARENT_LIVE = {"live": True}
ORGANIZATION_CHANGED_MARKER = {"changed": True}


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
    """Replace the cached tier and limits of an organization by a marker after the commit."""
    key = organization_cache_key(organization_id)

    def forget() -> None:
        cache.set(key, ORGANIZATION_CHANGED_MARKER, ORGANIZATION_ENTRY_SECONDS)
        invalidation_publish(key)

    transaction.on_commit(forget)
