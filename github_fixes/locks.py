"""The per-audit lock of fix pull requests: one request at a time builds an audit's PR.

On PostgreSQL a session advisory lock (django-pglock), taken without waiting: it is held
across GitHub's HTTP calls with no transaction open, and dies with its connection if the
process does. The embedded default (SQLite) runs one process whose cache is local memory, so
an atomic `cache.add` there is the lock, with an expiry in case the request never ends.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pglock
from django.core.cache import cache
from django.db import connection

FALLBACK_LOCK_SECONDS = 600


@contextmanager
def audit_fix_lock(*, audit_id: int) -> Iterator[bool]:
    """Try to take the audit's lock; yields whether this caller holds it."""
    key = f"github_fixes.pull_request.audit.{audit_id}"
    if connection.vendor == "postgresql":
        with pglock.advisory(key, timeout=0) as acquired:
            yield acquired
        return
    acquired = cache.add(key, 1, timeout=FALLBACK_LOCK_SECONDS)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(key)
