"""What every tileset archive offers, whatever its file format."""

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

GZIP_MAGIC = b"\x1f\x8b"
MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
GEOMETRY_TYPES = ("Point", "LineString", "Polygon")


class UnsupportedTilesetError(Exception):
    """A file in the tilesets directory that cannot be served as Mapbox vector tiles."""


@dataclass(frozen=True)
class FileIdentity:
    """One version of a file: a replaced file (atomic rename) gets a new inode."""

    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> "FileIdentity":
        return cls(inode=stat.st_ino, size=stat.st_size, mtime_ns=stat.st_mtime_ns)

    @cached_property
    def version(self) -> str:
        """A short token that changes with every version of the file, for ETags."""
        return f"{self.inode:x}.{self.size:x}.{self.mtime_ns:x}"


@dataclass(frozen=True)
class TilesetInfo:
    """The metadata of a tileset, read once per file version."""

    name: str
    format: str
    compression: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float]
    center: tuple[float, float, int]
    vector_layers: list = field(default_factory=list)
    attribution: str = ""
    description: str = ""
    # Layer id -> Point, LineString or Polygon, from tippecanoe's tilestats when present.
    layer_geometries: dict[str, str] = field(default_factory=dict)
    # Tiles addressed by the archive, None when the archive does not say.
    tile_count: int | None = None


@dataclass(frozen=True)
class StoredTile:
    """Tile bytes exactly as stored, and whether they are gzip-compressed."""

    data: bytes
    gzipped: bool


class TileArchive(Protocol):
    path: Path
    info: TilesetInfo
    identity: FileIdentity

    def tile(self, z: int, x: int, y: int) -> StoredTile | None:
        """The stored tile at z/x/y (XYZ scheme), or None when the archive has none."""

    def close(self) -> None:
        """Release the file now (tests, shutdown); the registry lets go by reference instead."""


def center_default(
    bounds: tuple[float, float, float, float], minzoom: int, maxzoom: int
) -> tuple[float, float, int]:
    """The middle of the bounds at a zoom between min and max, when the archive names none."""
    west, south, east, north = bounds
    return ((west + east) / 2, (south + north) / 2, min(maxzoom, max(minzoom, 2)))


def vector_tileset_info(
    *,
    name: str,
    compression: str,
    zooms: tuple[int, int],
    bounds: tuple[float, float, float, float],
    center: tuple[float, float, int] | None,
    document: dict,
    tile_count: int | None,
) -> TilesetInfo:
    """The info of a vector tileset whatever its format: the layers, attribution and
    description come from its TileJSON-like `document`, the center from the bounds when the
    archive names none."""
    minzoom, maxzoom = zooms
    return TilesetInfo(
        name=name,
        format="pbf",
        compression=compression,
        minzoom=minzoom,
        maxzoom=maxzoom,
        bounds=bounds,
        center=center or center_default(bounds, minzoom, maxzoom),
        vector_layers=document.get("vector_layers", []),
        attribution=document.get("attribution", ""),
        description=document.get("description", ""),
        layer_geometries=layer_geometries(document),
        tile_count=tile_count,
    )


def layer_geometries(metadata: dict) -> dict[str, str]:
    """Each layer's geometry type from tippecanoe's `tilestats`, multi-geometries folded in."""
    tilestats = metadata.get("tilestats")
    layers = tilestats.get("layers") if isinstance(tilestats, dict) else None
    geometries = {}
    for layer in layers if isinstance(layers, list) else []:
        if not isinstance(layer, dict):
            continue
        geometry = str(layer.get("geometry", "")).removeprefix("Multi")
        if "layer" in layer and geometry in GEOMETRY_TYPES:
            geometries[str(layer["layer"])] = geometry
    return geometries
