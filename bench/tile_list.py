"""Print distinct random existing tile paths of a PMTiles archive, or describe the archive.

Usage: python bench/tile_list.py ARCHIVE.pmtiles TILESET_NAME COUNT
       python bench/tile_list.py --describe ARCHIVE.pmtiles
"""

import os
import random
import sys

from pmtiles.tile import deserialize_directory, deserialize_header, tileid_to_zxy


def tile_ids(path: str) -> list[int]:
    """Every addressed tile id with stored bytes, read from the directories only."""
    fd = os.open(path, os.O_RDONLY)
    try:
        header = deserialize_header(os.pread(fd, 127, 0))
        ids: list[int] = []
        pending = [(header["root_offset"], header["root_length"])]
        while pending:
            offset, length = pending.pop()
            for entry in deserialize_directory(os.pread(fd, length, offset)):
                if entry.run_length == 0:
                    pending.append((header["leaf_directory_offset"] + entry.offset, entry.length))
                elif entry.length > 0:
                    ids.extend(range(entry.tile_id, entry.tile_id + entry.run_length))
        return ids
    finally:
        os.close(fd)


def describe(path: str) -> str:
    """Size, tile count and zooms of an archive, in one line."""
    ids = tile_ids(path)
    zooms = sorted({tileid_to_zxy(tile_id)[0] for tile_id in (min(ids), max(ids))})
    megabytes = os.path.getsize(path) / 1e6
    return f"archive of {len(ids):,} tiles, {megabytes:,.0f} MB, zooms {zooms[0]}-{zooms[-1]}"


def main() -> None:
    if sys.argv[1] == "--describe":
        print(describe(sys.argv[2]))
        return
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ids = tile_ids(path)
    # Uniform over the archive, as map clients spread over a real one; the same selection
    # on every run, so that runs compare.
    rng = random.Random(20261122)  # noqa: S311 - sampling, not security
    for tile_id in rng.sample(ids, min(count, len(ids))):
        z, x, y = tileid_to_zxy(tile_id)
        print(f"/v1/tiles/{name}/{z}/{x}/{y}.mvt")


if __name__ == "__main__":
    main()
