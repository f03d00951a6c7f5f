"""Parsed PMTiles leaf directories kept in memory, least recently used first out."""

import threading
from collections import OrderedDict
from collections.abc import Hashable

from pmtiles.tile import Entry

# What one parsed `pmtiles.tile.Entry` costs in memory: the slotted object, its
# integers and the list slot pointing at it (measured on CPython 3.11, rounded up).
ENTRY_BYTES = 160


class DirectoryCache:
    """A thread-safe LRU of parsed directories, bounded by their estimated size in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, list[Entry]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: Hashable) -> list[Entry] | None:
        """The directory stored under `key`, now the most recently used, or None."""
        with self._lock:
            entries = self._entries.get(key)
            if entries is not None:
                self._entries.move_to_end(key)
            return entries

    def put(self, key: Hashable, entries: list[Entry]) -> None:
        """Store a directory, evicting the least recently used ones beyond the budget."""
        cost = len(entries) * ENTRY_BYTES
        if cost > self.max_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= len(previous) * ENTRY_BYTES
            self._entries[key] = entries
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted) * ENTRY_BYTES

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
