"""PMTiles v3 archives in object storage, read by byte ranges of one object version.

Opening an archive reads its first 16 KiB (the header and, as the spec lays them out, the
root directory) and its metadata. Tiles are located through the version's directory index
on local disk, the same file format and the same build lock as local archives, so that one
process of the node builds it (reading the leaf directories in large blocks) and every
worker maps it. Until it is attached, lookups walk the root and the leaves, each leaf read
once into the shared directory cache. Tile bytes go through the bounded tile cache, one
range request per tile however many requests miss it at once.
"""

import threading
import weakref
from pathlib import PurePosixPath

from pmtiles.tile import deserialize_directory, zxy_to_tileid

from tiles.directory_cache import DirectoryCache
from tiles.directory_index import ArchiveRead, DirectoryIndex
from tiles.pmtiles_archive import HEADER_BYTES, PmtilesVersion, header_parse, tileset_info
from tiles.tile_byte_cache import TileByteCache
from tiles.tileset_store import ObjectVersion, TilesetStore
from tiles.tilesets import StoredTile

# The PMTiles spec keeps the header and the root directory within the first 16 KiB.
FIRST_READ_BYTES = 16384
# Leaf directories are read in blocks this large when the index is built.
INDEX_BLOCK_BYTES = 8 * 1024 * 1024


class RemotePmtilesArchive(PmtilesVersion):
    """One version of a PMTiles object, open for concurrent reads from many threads."""

    def __init__(
        self,
        version: ObjectVersion,
        *,
        name: str,
        store: TilesetStore,
        directory_cache: DirectoryCache,
        tile_cache: TileByteCache,
    ) -> None:
        super().__init__(directory_cache=directory_cache)
        self.path = PurePosixPath(version.key)
        self.identity = version
        self._store = store
        self._tile_cache = tile_cache
        self._finalizer = weakref.finalize(self, _release, self._indexes)
        first = self._read(0, min(FIRST_READ_BYTES, version.size))
        header = header_parse(first[:HEADER_BYTES], label=version.key)
        self.index_key = store.index_key(version, header=first[:HEADER_BYTES])
        self._header_use(header)
        self._root = deserialize_directory(
            _slice(first, header["root_offset"], header["root_length"], self._read)
        )
        metadata = _slice(first, header["metadata_offset"], header["metadata_length"], self._read)
        self.info = tileset_info(name=name, header=header, metadata=metadata)

    def reader(self) -> ArchiveRead:
        """Reads for building the index: large blocks, each requested once."""
        return _BlockReader(self._read, size=self.identity.size)

    def tile(self, z: int, x: int, y: int) -> StoredTile | None:
        """The stored tile at z/x/y, or None when the archive has none."""
        found = self._location(zxy_to_tileid(z, x, y))
        if found is None:
            return None
        offset, length = found
        if not length:
            return StoredTile(data=b"", gzipped=self._gzipped)
        start = self._tile_data_offset + offset
        data = self._tile_cache.get(
            (self.identity.version, offset), lambda: self._read(start, length)
        )
        return StoredTile(data=data, gzipped=self._gzipped)

    def _read(self, offset: int, length: int) -> bytes:
        return self._store.read(self.identity, offset, length)


class _BlockReader:
    """Reads served from aligned blocks of the object, the last few kept."""

    def __init__(self, read: ArchiveRead, *, size: int, kept: int = 4) -> None:
        self._read = read
        self._size = size
        self._kept = kept
        self._blocks: dict[int, bytes] = {}
        self._lock = threading.Lock()

    def __call__(self, offset: int, length: int) -> bytes:
        parts = []
        end = min(offset + length, self._size)
        while offset < end:
            number = offset // INDEX_BLOCK_BYTES
            block = self._block(number)
            start = offset - number * INDEX_BLOCK_BYTES
            take = min(end - offset, len(block) - start)
            if take <= 0:
                break
            parts.append(block[start : start + take])
            offset += take
        return b"".join(parts)

    def _block(self, number: int) -> bytes:
        with self._lock:
            block = self._blocks.get(number)
            if block is None:
                start = number * INDEX_BLOCK_BYTES
                block = self._read(start, min(INDEX_BLOCK_BYTES, self._size - start))
                if len(self._blocks) >= self._kept:
                    self._blocks.pop(next(iter(self._blocks)))
                self._blocks[number] = block
            return block


def _slice(first: bytes, offset: int, length: int, read: ArchiveRead) -> bytes:
    """Bytes of the object, from the first read when it holds them, else read apart."""
    if offset + length <= len(first):
        return first[offset : offset + length]
    return read(offset, length)


def _release(indexes: list[DirectoryIndex]) -> None:
    for index in indexes:
        index.close()
