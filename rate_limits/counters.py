"""Fixed-window counters: django-ratelimit's, and a one-round-trip script for the tile path.

`ratelimit_usage` counts through django-ratelimit (`get_usage`), the project's rate limiter:
two round trips a hit on Redis (an add, then an increment). `rate_limit_hit` serves the tile
path, where that cost shows in throughput (docs/benchmarks.md). On Redis a Lua script
increments the window's key, sets its expiry on the window's first hit and, when the hit is
within the limit and names a tally field, adds it to the live tally (`rate_limits.tallies`):
what is counted for billing rides on the round trip that counts for the limit. The script
runs on a connection each thread holds, skipping the client's per-command machinery.
Local-memory and other caches live in the process and need no script.
"""

import functools
import hashlib
import os
import threading
import time

from django.core.cache import caches
from django_ratelimit.core import get_usage
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError, NoScriptError

from rate_limits.tallies import local_tally, tally_live_key
from rate_limits.windows import RateLimitUsage, window_seconds, window_start

# KEYS: the window's counter, the live tally; ARGV: expiry, limit, tally field ('' for none).
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if ARGV[3] ~= '' and count <= tonumber(ARGV[2]) then
  redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
end
return count
"""

_HIT_SCRIPT_SHA = hashlib.sha1(_HIT_SCRIPT.encode(), usedforsecurity=False).hexdigest()

# A counter outlives its window by a few seconds, so that a late hit never starts it again.
_EXPIRY_MARGIN_SECONDS = 5


def cache_unavailable_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the shared cache could not be reached."""
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    return (ConnectionInterrupted, RedisError, OSError)


def rate_limit_hit(
    *, group: str, key: str, limit: int, window: int | str, tally_field: str = ""
) -> RateLimitUsage | None:
    """Count one hit of `key` in the current window of `group`; None when the cache is down.

    With `tally_field`, a hit within the limit is also added to the live tally.
    """
    now = int(time.time())
    start = window_start(group=group, key=key, window=window, now=now)
    end = start + window_seconds(window)
    counter_key = f"ratelimit:{group}:{key}:{start}"
    try:
        count = _counter_increment(
            counter_key, end - now + _EXPIRY_MARGIN_SECONDS, limit, tally_field
        )
    except cache_unavailable_errors():
        return None
    return RateLimitUsage(limit=limit, count=count, reset=end)


def ratelimit_usage(
    *, request, group: str, key: str, limit: int, window: int
) -> RateLimitUsage | None:
    """Count one hit through django-ratelimit; None when the cache is down."""
    # django-ratelimit shifts each key's windows by the CRC of this value, as `window_start` does.
    value = f"{group}:{key}"
    try:
        usage = get_usage(
            request,
            group=group,
            key=lambda _group, _request: value,
            rate=(limit, window),
            increment=True,
        )
    except cache_unavailable_errors():
        return None
    if usage is None:  # a failure it caught itself (RATELIMIT_FAIL_OPEN)
        return None
    return RateLimitUsage(
        limit=limit, count=usage["count"], reset=int(time.time()) + usage["time_left"]
    )


def tally_add(*, field: str, amount: int = 1) -> bool:
    """Add `amount` to a field of the live tally in one round trip; False if the cache is down."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        local_tally().add(field, amount)
        return True
    try:
        connection = _counter_connection(backend)
        live_key = tally_live_key(backend)
        try:
            _command_run(connection, "HINCRBY", live_key, field, amount)
        except ConnectionError:
            # See `_counter_increment`: a connection closed while idle ran nothing.
            _command_run(connection, "HINCRBY", live_key, field, amount)
    except cache_unavailable_errors():
        return False
    return True


def _counter_increment(key: str, expiry: int, limit: int, tally_field: str) -> int:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        connection = _counter_connection(backend)
        keys = (backend.make_key(key), tally_live_key(backend))
        try:
            return _hit_script_run(connection, keys, expiry, limit, tally_field)
        except ConnectionError:
            # A connection the server closed while it sat idle (a restart, an idle timeout)
            # fails its next command, which never ran: once more, on a new connection.
            return _hit_script_run(connection, keys, expiry, limit, tally_field)
    # Local-memory and other caches live in this process: two calls cost no round trip.
    backend.add(key, 0, expiry)
    count = backend.incr(key)
    if tally_field and count <= limit:
        local_tally().add(tally_field, 1)
    return count


def _hit_script_run(connection, keys: tuple[str, str], *args) -> int:
    try:
        return int(_command_run(connection, "EVALSHA", _HIT_SCRIPT_SHA, 2, *keys, *args))
    except NoScriptError:
        # The server has not seen the script since it started (or flushed its scripts).
        return int(_command_run(connection, "EVAL", _HIT_SCRIPT, 2, *keys, *args))


def _command_run(connection, *args):
    connection.send_command(*args)
    return connection.read_response()


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
