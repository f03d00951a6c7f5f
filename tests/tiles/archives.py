"""Small PMTiles and MBTiles archives written by the tests, with real MVT tiles."""

import gzip
import json
import sqlite3
from pathlib import Path

import mapbox_vector_tile
from pmtiles.tile import (
    Compression,
    Entry,
    TileType,
    serialize_directory,
    serialize_header,
    tileid_to_zxy,
    zxy_to_tileid,
)
from pmtiles.writer import Writer, build_roots_leaves

VECTOR_LAYERS = [
    {"id": "places", "fields": {"name": "String", "population": "Number"}, "minzoom": 0}
]


def mvt_tile(z: int, x: int, y: int) -> bytes:
    """An MVT tile with one point whose name is its own address."""
    return mapbox_vector_tile.encode(
        [
            {
                "name": "places",
                "features": [
                    {
                        "geometry": "POINT(2048 2048)",
                        "properties": {"name": f"{z}/{x}/{y}", "population": z * 1000 + x},
                    }
                ],
            }
        ]
    )


def pyramid(maxzoom: int, minzoom: int = 0) -> dict[tuple[int, int, int], bytes]:
    """Every tile of zooms minzoom..maxzoom, each distinct."""
    return {
        (z, x, y): mvt_tile(z, x, y)
        for z in range(minzoom, maxzoom + 1)
        for x in range(1 << z)
        for y in range(1 << z)
    }


def _header(minzoom: int, maxzoom: int, compression: Compression) -> dict:
    return {
        "tile_compression": compression,
        "tile_type": TileType.MVT,
        "min_zoom": minzoom,
        "max_zoom": maxzoom,
        "min_lon_e7": -1800000000,
        "min_lat_e7": -850000000,
        "max_lon_e7": 1800000000,
        "max_lat_e7": 850000000,
        "center_zoom": minzoom + 1,
        "center_lon_e7": 105000000,
        "center_lat_e7": 202500000,
    }


def _metadata(attribution: str) -> dict:
    return {
        "vector_layers": VECTOR_LAYERS,
        "attribution": attribution,
        "description": "test tiles",
    }


def pmtiles_write(
    path: Path,
    tiles: dict[tuple[int, int, int], bytes],
    *,
    gzipped: bool = True,
    leaf_size: int | None = None,
    attribution: str = "© Tests",
) -> Path:
    """Write a PMTiles v3 archive; with `leaf_size`, the root points at leaf directories."""
    compression = Compression.GZIP if gzipped else Compression.NONE
    zooms = [z for z, _, _ in tiles]
    header = _header(min(zooms), max(zooms), compression)
    if leaf_size is None:
        with path.open("wb") as out:
            writer = Writer(out)
            for (z, x, y), data in sorted(tiles.items(), key=lambda kv: zxy_to_tileid(*kv[0])):
                writer.write_tile(zxy_to_tileid(z, x, y), _stored(data, gzipped))
            writer.finalize(header, _metadata(attribution))
        return path

    entries, blobs, offset = [], [], 0
    for (z, x, y), data in sorted(tiles.items(), key=lambda kv: zxy_to_tileid(*kv[0])):
        blob = _stored(data, gzipped)
        entries.append(Entry(zxy_to_tileid(z, x, y), offset, len(blob), 1))
        blobs.append(blob)
        offset += len(blob)
    root, leaves, _ = build_roots_leaves(entries, leaf_size)
    metadata = gzip.compress(json.dumps(_metadata(attribution)).encode(), mtime=0)
    header.update(
        clustered=True,
        internal_compression=Compression.GZIP,
        root_offset=127,
        root_length=len(root),
        metadata_offset=127 + len(root),
        metadata_length=len(metadata),
        leaf_directory_offset=127 + len(root) + len(metadata),
        leaf_directory_length=len(leaves),
        tile_data_offset=127 + len(root) + len(metadata) + len(leaves),
        tile_data_length=offset,
        addressed_tiles_count=len(entries),
        tile_entries_count=len(entries),
        tile_contents_count=len(entries),
    )
    path.write_bytes(serialize_header(header) + root + metadata + leaves + b"".join(blobs))
    return path


def mbtiles_write(
    path: Path,
    tiles: dict[tuple[int, int, int], bytes],
    *,
    gzipped: bool = True,
    metadata: dict[str, str] | None = None,
) -> Path:
    """Write an MBTiles 1.3 file; rows are stored bottom-up (TMS) as the spec says."""
    zooms = [z for z, _, _ in tiles]
    values = {
        "name": path.stem,
        "format": "pbf",
        "minzoom": str(min(zooms)),
        "maxzoom": str(max(zooms)),
        "bounds": "-10.5,35.25,20.75,60.5",
        "center": "5.125,47.875,3",
        "attribution": "© MBTiles tests",
        "json": json.dumps({"vector_layers": VECTOR_LAYERS}),
        **(metadata or {}),
    }
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        connection.execute(
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
            " tile_data BLOB)"
        )
        connection.execute(
            "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)"
        )
        connection.executemany("INSERT INTO metadata VALUES (?, ?)", values.items())
        connection.executemany(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            [(z, x, (1 << z) - 1 - y, _stored(data, gzipped)) for (z, x, y), data in tiles.items()],
        )
    connection.close()
    return path


def _stored(data: bytes, gzipped: bool) -> bytes:
    return gzip.compress(data, mtime=0) if gzipped else data


def pmtiles_write_runs(
    path: Path,
    runs: list[tuple[int, int, bytes]],
    *,
    gzipped: bool,
    fanout: int,
) -> Path:
    """Write a PMTiles archive of (tile_id, run_length, bytes) runs, sorted by tile id.

    Directories hold at most `fanout` entries: above that the entries go into leaf
    directories, and those into leaves of leaves, as deep as the count requires.
    """
    compression = Compression.GZIP if gzipped else Compression.NONE
    entries, blobs, offset = [], [], 0
    for tile_id, run_length, data in runs:
        blob = _stored(data, gzipped) if data else b""
        entries.append(Entry(tile_id, offset, len(blob), run_length))
        blobs.append(blob)
        offset += len(blob)
    leaves = b""
    level = entries
    while len(level) > fanout:
        parents = []
        for start in range(0, len(level), fanout):
            chunk = serialize_directory(level[start : start + fanout])
            parents.append(Entry(level[start].tile_id, len(leaves), len(chunk), 0))
            leaves += chunk
        level = parents
    root = serialize_directory(level)
    zooms = [tileid_to_zxy(tile_id)[0] for tile_id, _, _ in runs]
    header = _header(min(zooms), max(zooms), compression)
    metadata = gzip.compress(json.dumps(_metadata("© Runs")).encode(), mtime=0)
    header.update(
        clustered=True,
        internal_compression=Compression.GZIP,
        root_offset=127,
        root_length=len(root),
        metadata_offset=127 + len(root),
        metadata_length=len(metadata),
        leaf_directory_offset=127 + len(root) + len(metadata),
        leaf_directory_length=len(leaves),
        tile_data_offset=127 + len(root) + len(metadata) + len(leaves),
        tile_data_length=offset,
        addressed_tiles_count=sum(run_length for _, run_length, _ in runs),
        tile_entries_count=len(entries),
        tile_contents_count=len(entries),
    )
    path.write_bytes(serialize_header(header) + root + metadata + leaves + b"".join(blobs))
    return path
