"""MBTiles archives: read-only SQLite, one connection per thread, TMS rows flipped to XYZ."""

import json
import sqlite3
import threading
import weakref
from pathlib import Path

from tiles.tilesets import (
    GZIP_MAGIC,
    FileIdentity,
    StoredTile,
    TilesetInfo,
    UnsupportedTilesetError,
    vector_tileset_info,
)

# Web Mercator's latitude limit, the bounds of an archive that names none.
WORLD_BOUNDS = (-180.0, -85.0511, 180.0, 85.0511)
_VECTOR_FORMATS = {"pbf", "mvt"}
_TILE_QUERY = (
    "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?"
)


def _connections_close(connections: list[sqlite3.Connection], lock: threading.Lock) -> None:
    with lock:
        for connection in connections:
            connection.close()
        connections.clear()


class MbtilesArchive:
    """One version of an MBTiles file, open for concurrent reads from many threads."""

    def __init__(self, path: Path, *, name: str, identity: FileIdentity) -> None:
        self.path = path
        self.identity = identity
        # immutable=1 skips SQLite's locking: files are replaced by rename, never edited.
        self._uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._finalizer = weakref.finalize(self, _connections_close, self._connections, self._lock)
        try:
            self.info = self._info(name)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise UnsupportedTilesetError(f"{path.name}: not a readable MBTiles file") from exc

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive

    def close(self) -> None:
        self._finalizer()

    def tile(self, z: int, x: int, y: int) -> StoredTile | None:
        """The stored tile at z/x/y (rows are stored bottom-up, TMS), or None."""
        row = self._connection().execute(_TILE_QUERY, (z, x, (1 << z) - 1 - y)).fetchone()
        if row is None:
            return None
        data = bytes(row[0] or b"")
        return StoredTile(data=data, gzipped=data[:2] == GZIP_MAGIC)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # Used only by the thread that opened it; closed from whichever thread
            # releases the archive, hence check_same_thread=False.
            connection = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection

    def _info(self, name: str) -> TilesetInfo:
        connection = sqlite3.connect(self._uri, uri=True)
        try:
            metadata = dict(connection.execute("SELECT name, value FROM metadata").fetchall())
            if metadata.get("format", "pbf") not in _VECTOR_FORMATS:
                raise UnsupportedTilesetError(f"{self.path.name}: tiles are not vector tiles")
            zooms = connection.execute(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles"
            ).fetchone()
            sample = connection.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
            tile_count = connection.execute("SELECT count(*) FROM tiles").fetchone()[0]
        finally:
            connection.close()
        minzoom = _int_or(metadata.get("minzoom"), zooms[0] or 0)
        maxzoom = _int_or(metadata.get("maxzoom"), zooms[1] or 0)
        bounds = _floats(metadata.get("bounds"), 4) or WORLD_BOUNDS
        center_values = _floats(metadata.get("center"), 3)
        center = (
            (center_values[0], center_values[1], int(center_values[2])) if center_values else None
        )
        gzipped = sample is not None and bytes(sample[0] or b"")[:2] == GZIP_MAGIC
        return vector_tileset_info(
            name=name,
            compression="gzip" if gzipped else "none",
            zooms=(minzoom, maxzoom),
            bounds=bounds,
            center=center,
            # MBTiles keeps its layers in the `json` row, attribution and description in rows
            # of their own.
            document={
                **(json.loads(metadata["json"]) if "json" in metadata else {}),
                "attribution": metadata.get("attribution", ""),
                "description": metadata.get("description", ""),
            },
            tile_count=tile_count,
        )


def _int_or(value: str | None, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _floats(value: str | None, count: int) -> tuple[float, ...] | None:
    try:
        numbers = tuple(float(part) for part in (value or "").split(","))
    except ValueError:
        return None
    return numbers if len(numbers) == count else None
