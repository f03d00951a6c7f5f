"""Tile bytes of remote archives kept in memory, least recently used first out.

A miss loads the bytes once however many threads ask for them at the same moment: the
first one makes the request, the others wait for its answer (or its error) instead of
sending the same range request again. The budget counts the bytes of the tiles held.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class _Flight:
    """One load in progress, awaited by the threads that missed the same key meanwhile."""

    __slots__ = ("done", "error", "value")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: bytes | None = None
        self.error: BaseException | None = None


class TileByteCache:
    """A thread-safe LRU of byte strings bounded by their total length, with one load per key."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self.loads = 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable, load: Callable[[], bytes]) -> bytes:
        """The bytes under `key`, calling `load` once on a miss whatever the concurrency."""
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
                return data
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value
        try:
            data = load()
        except BaseException as exc:
            flight.error = exc
            with self._lock:
                del self._flights[key]
            flight.done.set()
            raise
        flight.value = data
        with self._lock:
            del self._flights[key]
            self.loads += 1
            self._put(key, data)
        flight.done.set()
        return data

    def _put(self, key: Hashable, data: bytes) -> None:
        cost = len(data)
        if cost > self.max_bytes:
            return
        previous = self._entries.pop(key, None)
        if previous is not None:
            self._bytes -= len(previous)
        self._entries[key] = data
        self._bytes += cost
        while self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
