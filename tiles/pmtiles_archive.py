"""PMTiles v3 archives: header parsed once, tile bytes read with pread.

Tiles are located through the archive version's directory index (`tiles.directory_index`),
mapped from disk and shared by every worker, once it is attached. Until then the root is
parsed when the archive is opened and each leaf once, into a byte-bounded LRU, so that the
answers are the same before the index is ready.
"""

import gzip
import json
import logging
import os
import weakref
from abc import ABC, abstractmethod
from pathlib import Path, PurePath

from pmtiles.tile import (
    Compression,
    Entry,
    MagicNumberNotFound,
    SpecVersionUnsupported,
    TileType,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

from tiles.directory_cache import DirectoryCache
from tiles.directory_index import ArchiveRead, DirectoryIndex, descriptor_read, index_key
from tiles.tilesets import (
    FileIdentity,
    StoredTile,
    TilesetInfo,
    UnsupportedTilesetError,
    vector_tileset_info,
)

logger = logging.getLogger(__name__)

HEADER_BYTES = 127
# The PMTiles v3 spec allows at most three levels of directories below the root.
MAX_DIRECTORY_DEPTH = 4
_SERVED_COMPRESSIONS = {Compression.GZIP: "gzip", Compression.NONE: "none"}


class PmtilesVersion(ABC):
    """What one version of a PMTiles archive does the same wherever its bytes are: where the
    header puts the tiles and leaves, the walk from the root through the cached leaves until
    the directory index is attached, and the lifetime of the indexes it served from.

    A subclass reads bytes (`_read`), sets `_root` and calls `_header_use` when it opens, and
    creates `_finalizer`, which must close every index in `_indexes`.
    """

    path: PurePath
    identity: object

    def __init__(self, *, directory_cache: DirectoryCache) -> None:
        self._directory_cache = directory_cache
        self._index: DirectoryIndex | None = None
        self._indexes: list[DirectoryIndex] = []
        self._root: list[Entry] = []

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    @property
    def indexed(self) -> bool:
        return self._index is not None

    def close(self) -> None:
        self._finalizer()

    def index_attach(self, index: DirectoryIndex) -> None:
        """Serve lookups from `index` (built for this version) from now on."""
        self._indexes.append(index)
        self._index = index

    @abstractmethod
    def _read(self, offset: int, length: int) -> bytes:
        """`length` bytes of this version from `offset`."""

    def _header_use(self, header: dict) -> None:
        self._tile_data_offset = header["tile_data_offset"]
        self._leaf_offset = header["leaf_directory_offset"]
        self._gzipped = header["tile_compression"] == Compression.GZIP

    def _location(self, tile_id: int) -> tuple[int, int] | None:
        """Offset and length of the tile in the tile data, or None when the archive has none."""
        index = self._index
        if index is not None:
            return index.lookup(tile_id)
        entries = self._root
        for _ in range(MAX_DIRECTORY_DEPTH):
            entry = find_tile(entries, tile_id)
            if entry is None:
                return None
            if entry.run_length > 0:
                return entry.offset, entry.length
            entries = self._leaf(entry)
        return None

    def _leaf(self, entry: Entry) -> list[Entry]:
        key = (self.path, self.identity, entry.offset)
        entries = self._directory_cache.get(key)
        if entries is None:
            # Two threads may parse the same leaf at once; both results are equal.
            entries = deserialize_directory(
                self._read(self._leaf_offset + entry.offset, entry.length)
            )
            self._directory_cache.put(key, entries)
        return entries


class PmtilesArchive(PmtilesVersion):
    """One version of a PMTiles file, open for concurrent reads from many threads."""

    def __init__(
        self, path: Path, *, name: str, identity: FileIdentity, directory_cache: DirectoryCache
    ) -> None:
        super().__init__(directory_cache=directory_cache)
        self.path = path
        self.identity = identity
        self._fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        # Closing when the last reference goes keeps the descriptor and the index valid
        # for requests that still hold this version after the registry has moved on.
        self._finalizer = weakref.finalize(self, _release, self._fd, self._indexes)
        try:
            raw_header = os.pread(self._fd, HEADER_BYTES, 0)
            header = header_parse(raw_header, label=path.name)
            self.index_key = index_key(path=path, identity=identity, header=raw_header)
            self._header_use(header)
            self._root = deserialize_directory(
                self._read(header["root_offset"], header["root_length"])
            )
            metadata = self._read(header["metadata_offset"], header["metadata_length"])
            self.info = tileset_info(name=name, header=header, metadata=metadata)
        except Exception:
            self.close()
            raise

    def fileno(self) -> int:
        """The descriptor of this version of the file, valid while the archive is."""
        return self._fd

    def reader(self) -> ArchiveRead:
        """Reads of this version of the file, for building its index."""
        return descriptor_read(self._fd)

    def tile(self, z: int, x: int, y: int) -> StoredTile | None:
        """The stored tile at z/x/y, or None when the archive has none."""
        found = self._location(zxy_to_tileid(z, x, y))
        if found is None:
            return None
        offset, length = found
        data = self._read(self._tile_data_offset + offset, length)
        return StoredTile(data=data, gzipped=self._gzipped)

    def _read(self, offset: int, length: int) -> bytes:
        return os.pread(self._fd, length, offset)


def header_parse(raw: bytes, *, label: str) -> dict:
    """The PMTiles v3 header in `raw`, if this service can serve the archive's tiles."""
    try:
        header = deserialize_header(raw)
    except (MagicNumberNotFound, SpecVersionUnsupported, ValueError, IndexError) as exc:
        raise UnsupportedTilesetError(f"{label}: not a PMTiles v3 archive") from exc
    if header["tile_type"] != TileType.MVT:
        raise UnsupportedTilesetError(f"{label}: tiles are not Mapbox vector tiles")
    if header["tile_compression"] not in _SERVED_COMPRESSIONS:
        raise UnsupportedTilesetError(f"{label}: tile compression not supported")
    if header["internal_compression"] != Compression.GZIP:
        raise UnsupportedTilesetError(f"{label}: directory compression not supported")
    return header


def tileset_info(*, name: str, header: dict, metadata: bytes) -> TilesetInfo:
    """What the catalog and TileJSON say of an archive, from its header and raw metadata."""
    document = json.loads(gzip.decompress(metadata)) if metadata else {}
    bounds = (
        header["min_lon_e7"] / 1e7,
        header["min_lat_e7"] / 1e7,
        header["max_lon_e7"] / 1e7,
        header["max_lat_e7"] / 1e7,
    )
    named_center = header["center_lon_e7"] or header["center_lat_e7"] or header["center_zoom"]
    return vector_tileset_info(
        name=name,
        compression=_SERVED_COMPRESSIONS[header["tile_compression"]],
        zooms=(header["min_zoom"], header["max_zoom"]),
        bounds=bounds,
        center=(
            (header["center_lon_e7"] / 1e7, header["center_lat_e7"] / 1e7, header["center_zoom"])
            if named_center
            else None
        ),
        document=document,
        tile_count=header["addressed_tiles_count"] or None,
    )


def _release(fd: int, indexes: list[DirectoryIndex]) -> None:
    os.close(fd)
    for index in indexes:
        index.close()
