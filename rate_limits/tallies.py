"""Tallies: counts kept in the shared cache until a flush writes them somewhere durable.

Hits add to one live hash (field → count), on the same round trip as their rate-limit
counter where there is one. A flush never reads the live hash in place: a Lua script renames
it to a batch key under a new batch id and adds the id to the set of pending batches, in one
atomic step, so a hit lands either in that batch or in the next live hash, never both and
never neither. The caller then writes the batch durably, recording the batch id in the same
transaction, and only after the commit forgets the batch (deletes its key and its id):

- a crash before the commit leaves the batch pending, and the next flush writes it;
- a crash after the commit and before the forget leaves it pending too, and the next flush,
  finding its id recorded, only forgets it.

Without Redis (the embedded default's local-memory cache) the same steps run on a store in
the process, which is where that cache keeps its counters too.
"""

import functools
import threading
import time
import uuid

from django.core.cache import caches
from django_redis.cache import RedisCache

_LIVE = "tally:live"
_PENDING = "tally:batches"

# Rename the live hash to the new batch (when there is anything to claim) and list every
# pending batch, in one atomic step.
_CLAIM_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
end
return redis.call('SMEMBERS', KEYS[3])
"""


def tally_in_process() -> bool:
    """Whether the tally lives in this process (a cache that is not Redis), not shared."""
    return not isinstance(caches["default"], RedisCache)


def tally_live_key(backend: RedisCache) -> str:
    """The Redis key of the live hash that hits add to."""
    return backend.make_key(_LIVE)


def tally_batches_claim() -> list[str]:
    """Move the live counts into a new batch; the ids of every pending batch, oldest first."""
    backend = caches["default"]
    # Ids sort by the time of their claim, so that older batches are written first.
    batch_id = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    if not isinstance(backend, RedisCache):
        return local_tally().claim(batch_id)
    client = backend.client.get_client(write=True)
    keys = (tally_live_key(backend), _batch_key(backend, batch_id), backend.make_key(_PENDING))
    pending = client.eval(_CLAIM_SCRIPT, 3, *keys, batch_id)
    return sorted(item.decode() if isinstance(item, bytes) else item for item in pending)


def tally_batch_read(batch_id: str) -> dict[str, int]:
    """The counts of a pending batch (empty for one already forgotten)."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return local_tally().read(batch_id)
    client = backend.client.get_client(write=False)
    counts = client.hgetall(_batch_key(backend, batch_id))
    return {field.decode(): int(count) for field, count in counts.items()}


def tally_batch_forget(batch_id: str) -> None:
    """Delete a batch that is durably written, and its id from the pending batches."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        local_tally().forget(batch_id)
        return
    pipeline = backend.client.get_client(write=True).pipeline(transaction=True)
    pipeline.delete(_batch_key(backend, batch_id))
    pipeline.srem(backend.make_key(_PENDING), batch_id)
    pipeline.execute()


def _batch_key(backend: RedisCache, batch_id: str) -> str:
    return backend.make_key(f"tally:batch:{batch_id}")


class LocalTally:
    """The live hash and pending batches of a process, for caches that live in the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[str, int] = {}
        self._batches: dict[str, dict[str, int]] = {}

    def add(self, field: str, amount: int) -> None:
        with self._lock:
            self._live[field] = self._live.get(field, 0) + amount

    def claim(self, batch_id: str) -> list[str]:
        with self._lock:
            if self._live:
                self._batches[batch_id], self._live = self._live, {}
            return sorted(self._batches)

    def read(self, batch_id: str) -> dict[str, int]:
        with self._lock:
            return dict(self._batches.get(batch_id, {}))

    def forget(self, batch_id: str) -> None:
        with self._lock:
            self._batches.pop(batch_id, None)


@functools.cache
def local_tally() -> LocalTally:
    """This process's tally, used when the cache is not Redis."""
    return LocalTally()
