"""The fixed-window counter: one round trip to the shared cache a hit.

On Redis a Lua script increments the window's key and, for its first hit, sets its expiry;
it runs on a connection each thread holds, skipping the client's per-command machinery.
Local-memory and other caches live in the process and need no script.
"""

import functools
import hashlib
import os
import threading
import time

from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError, NoScriptError

from rate_limits.windows import RateLimitUsage, window_start

# INCR and, for the window's first hit, EXPIRE: one round trip whatever the count.
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

_HIT_SCRIPT_SHA = hashlib.sha1(_HIT_SCRIPT.encode(), usedforsecurity=False).hexdigest()


def cache_unavailable_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the shared cache could not be reached."""
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    return (ConnectionInterrupted, RedisError, OSError)


def rate_limit_hit(*, group: str, key: str, limit: int, window: int) -> RateLimitUsage | None:
    """Count one hit of `key` in the current window of `group`; None when the cache is down."""
    start = window_start(group=group, key=key, window=window, now=int(time.time()))
    try:
        count = _counter_increment(f"ratelimit:{group}:{key}:{start}", window)
    except cache_unavailable_errors():
        return None
    return RateLimitUsage(limit=limit, count=count, reset=start + window)


def _counter_increment(key: str, window: int) -> int:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        connection = _counter_connection(backend)
        redis_key = backend.make_key(key)
        try:
            return _hit_script_run(connection, redis_key, window)
        except ConnectionError:
            # A connection the server closed while it sat idle (a restart, an idle timeout)
            # fails its next command, which never ran: once more, on a new connection.
            return _hit_script_run(connection, redis_key, window)
    # Local-memory and other caches live in this process: two calls cost no round trip.
    backend.add(key, 0, window)
    return backend.incr(key)


def _hit_script_run(connection, redis_key: str, window: int) -> int:
    connection.send_command("EVALSHA", _HIT_SCRIPT_SHA, 1, redis_key, window)
    try:
        return int(connection.read_response())
    except NoScriptError:
        # The server has not seen the script since it started (or flushed its scripts).
        connection.send_command("EVAL", _HIT_SCRIPT, 1, redis_key, window)
        return int(connection.read_response())


@functools.cache
def counter_connections() -> threading.local:
    """Each thread's own Redis connection for the counters (see `_counter_connection`)."""
    return threading.local()


def _counter_connection(backend: RedisCache):
    """This thread's connection to the cache's Redis, made from its pool's settings.

    A hit is counted on every Geog request, so it skips the client's per-command machinery
    (pool checkout, retry wrapper, instrumentation): a client call costs about 100 µs of CPU
    here, a send and read on a held connection about 40. A connection that fails disconnects
    itself and connects again on the next send; a forked process or a new pool gets a new one.
    """
    pool = backend.client.get_client(write=True).connection_pool
    held = counter_connections()
    if getattr(held, "pool", None) is not pool or held.pid != os.getpid():
        held.connection = pool.connection_class(**pool.connection_kwargs)
        held.pool, held.pid = pool, os.getpid()
    return held.connection
