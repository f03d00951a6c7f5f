"""The per-audit lock of fix pull requests, on PostgreSQL and in the embedded default."""

import pytest
from django.db import connection

from github_fixes.locks import audit_fix_lock

pytestmark = pytest.mark.django_db


def test_the_lock_is_held_once_per_audit_and_released_after():
    with audit_fix_lock(audit_id=7) as first, audit_fix_lock(audit_id=8) as other:
        assert (first, other) == (True, True)
    with audit_fix_lock(audit_id=7) as again:
        assert again


def test_without_postgresql_the_cache_holds_the_lock(monkeypatch):
    # The embedded default (SQLite) has no advisory locks: its cache stands in.
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with audit_fix_lock(audit_id=7) as first, audit_fix_lock(audit_id=7) as second:
        assert (first, second) == (True, False)
    with audit_fix_lock(audit_id=7) as again:
        assert again
