"""Locks by name that hold across HTTP calls to a provider without holding a transaction open.

On PostgreSQL a named lock is a session-level advisory lock (django-pglock), so it serialises
every process and machine sharing the database, and no row lock or transaction stays open
while the provider answers. SQLite (the embedded default: one process) has no advisory
locks; a thread lock per name serialises the threads of that process instead.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pglock
from django.db import connection

# Thread locks of the SQLite fallback, one per name, created on first use.
_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


class NamedLockTimeoutError(Exception):
    """The lock stayed held by someone else for longer than the caller would wait."""


def _thread_lock(name: str) -> threading.Lock:
    with _thread_locks_guard:
        return _thread_locks.setdefault(name, threading.Lock())


@contextmanager
def named_lock(name: str, *, timeout_seconds: float) -> Iterator[None]:
    """Hold the lock `name` for the block; NamedLockTimeoutError after waiting `timeout_seconds`."""
    if connection.vendor == "postgresql":
        advisory = pglock.advisory(name, timeout=timeout_seconds)
        # With a timeout, pglock answers False (rather than raising) when the wait runs out.
        if not advisory.acquire():
            raise NamedLockTimeoutError(name)
        try:
            yield
        finally:
            advisory.release()
        return
    lock = _thread_lock(name)
    if not lock.acquire(timeout=timeout_seconds):
        raise NamedLockTimeoutError(name)
    try:
        yield
    finally:
        lock.release()
