"""A per-process copy of token verifications, kept coherent by invalidations over Redis pub/sub.

Every process subscribes to one channel. Revoking a token or changing an organization
publishes the cache key after the commit. Before each lookup the process applies the
invalidations already delivered to its socket (a non-blocking read, not a round trip), so a
revocation published before a request arrives is applied before that request is
authenticated. Without a live subscription (no Redis, Redis down, just forked) the copy is
off and every lookup goes to the shared cache; after a lost subscription it starts empty.
"""

import functools
import logging
import os
import select
import threading
from collections import OrderedDict
from time import monotonic

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

INVALIDATION_CHANNEL = "geog:auth:invalidations"
MAX_ENTRIES = 10_000
RESUBSCRIBE_SECONDS = 5.0


class LocalVerifications:
    """Bounded in-memory entries with expiry, dropped on invalidation messages."""

    def __init__(self, *, redis_url: str) -> None:
        self._redis_url = redis_url
        self._entries: OrderedDict[str, tuple[dict, float]] = OrderedDict()
        self._pubsub: redis.client.PubSub | None = None
        self._client: redis.Redis | None = None
        # A poll object serves one thread at a time: each thread polls with its own.
        self._thread_pollers = threading.local()
        self._pid: int | None = None
        self._retry_at = 0.0
        self._generation = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """Count of invalidations applied; pass it back to `put` to refuse stale reads."""
        return self._generation

    def get(self, key: str) -> dict | None:
        """The live entry for `key`, or None (also when the copy is off)."""
        return self.get_many((key,))[0]

    def get_many(self, keys: tuple[str, ...]) -> list[dict | None]:
        """The live entries for `keys` (None where absent), after one pass over invalidations."""
        if not self._synced():
            return [None] * len(keys)
        with self._lock:
            if self._pubsub is None:  # dropped by another thread meanwhile
                return [None] * len(keys)
            now = monotonic()
            values = []
            for key in keys:
                item = self._entries.get(key)
                if item is not None and item[1] <= now:
                    del self._entries[key]
                    item = None
                values.append(None if item is None else item[0])
            return values

    def put(self, key: str, value: dict, ttl: float, *, since: int) -> None:
        """Keep `value` for `ttl` seconds unless an invalidation arrived after `since`."""
        if ttl <= 0 or not self._synced():
            return
        with self._lock:
            # A value read before an invalidation that was applied meanwhile may be stale.
            if self._pubsub is None or self._generation != since:
                return
            self._entries[key] = (value, monotonic() + ttl)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)

    def forget(self, key: str) -> None:
        """Drop `key` in this process at once (the publishing process does not wait)."""
        with self._lock:
            self._entries.pop(key, None)
            self._generation += 1

    def _synced(self) -> bool:
        """Whether the copy is on, with every invalidation delivered so far applied."""
        with self._lock:
            if self._pid != os.getpid():
                # A forked child must not read its parent's subscription socket.
                self._pubsub = None
                self._entries.clear()
                self._pid = os.getpid()
            if self._pubsub is None and not self._subscribe():
                return False
            poller = self._thread_poller()
        # A zero-timeout poll of the socket is far cheaper than asking the client for a
        # message; the client is asked only when something has arrived (or the socket closed).
        # The poll is a system call, during which other threads run: it is made outside the
        # lock so that they do not queue behind it. Messages leave the socket only under the
        # lock, so a request that finds none waits there for any drain under way.
        if not poller.poll(0):
            return True
        with self._lock:
            return self._pubsub is not None and self._drain()

    def _thread_poller(self) -> select.poll:
        held = self._thread_pollers
        if getattr(held, "pubsub", None) is not self._pubsub:
            held.poller = select.poll()
            # The connection's socket: redis-py keeps it as `_sock` (pinned in requirements.txt).
            held.poller.register(self._pubsub.connection._sock, select.POLLIN)
            held.pubsub = self._pubsub
        return held.poller

    def _drain(self) -> bool:
        try:
            while True:
                message = self._pubsub.get_message(ignore_subscribe_messages=True, timeout=0)
                if message is None:
                    return True
                self._entries.pop(message["data"].decode(), None)
                self._generation += 1
        except (redis.RedisError, OSError):
            logger.warning("geog_invalidation_subscription_lost", exc_info=True)
            self._drop_subscription()
            return False

    def _subscribe(self) -> bool:
        if monotonic() < self._retry_at:
            return False
        try:
            client = redis.Redis.from_url(
                self._redis_url, socket_connect_timeout=1, socket_timeout=1
            )
            pubsub = client.pubsub()
            pubsub.subscribe(INVALIDATION_CHANNEL)
            # Entries are trusted only once the server has confirmed the subscription.
            confirmation = pubsub.get_message(timeout=1)
        except (redis.RedisError, OSError):
            logger.warning("geog_invalidation_subscribe_failed", exc_info=True)
            self._drop_subscription()
            return False
        if not confirmation or confirmation.get("type") != "subscribe":
            self._drop_subscription()
            return False
        # The client is kept with its subscription: a client that is collected closes its
        # pool, the subscription's connection included.
        self._client, self._pubsub = client, pubsub
        self._entries.clear()
        self._generation += 1
        return self._drain()

    def _drop_subscription(self) -> None:
        if self._pubsub is not None:
            try:
                self._pubsub.close()
            except (redis.RedisError, OSError):
                logger.debug("geog_invalidation_close_failed", exc_info=True)
        self._client, self._pubsub = None, None
        self._entries.clear()
        self._generation += 1
        self._retry_at = monotonic() + RESUBSCRIBE_SECONDS


class _Disabled:
    """Stands for the copy where there is no Redis: every lookup goes to the shared cache."""

    generation = 0

    def get(self, key: str) -> None:
        return None

    def get_many(self, keys: tuple[str, ...]) -> list[None]:
        return [None] * len(keys)

    def put(self, key: str, value: dict, ttl: float, *, since: int) -> None:
        return None

    def forget(self, key: str) -> None:
        return None


@functools.cache
def local_verifications() -> LocalVerifications | _Disabled:
    """The process-wide copy, on only when the shared cache is Redis."""
    if not settings.REDIS_URL:
        return _Disabled()
    return LocalVerifications(redis_url=settings.REDIS_URL)


def invalidation_publish(key: str) -> None:
    """Tell every process to drop `key`; this process drops it at once."""
    local_verifications().forget(key)
    if not settings.REDIS_URL:
        return
    from django_redis import get_redis_connection

    try:
        get_redis_connection("default").publish(INVALIDATION_CHANNEL, key)
    except (redis.RedisError, OSError):
        logger.warning("geog_invalidation_publish_failed", extra={"key": key}, exc_info=True)
