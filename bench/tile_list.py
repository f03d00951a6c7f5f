"""Print distinct existing tile paths of a PMTiles archive, spread over every zoom.

Usage: python bench/tile_list.py ARCHIVE.pmtiles TILESET_NAME COUNT
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


def main() -> None:
    path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    by_zoom: dict[int, list[tuple[int, int, int]]] = {}
    for tile_id in tile_ids(path):
        z, x, y = tileid_to_zxy(tile_id)
        by_zoom.setdefault(z, []).append((z, x, y))
    # The same selection on every run, so that runs compare.
    rng = random.Random(20261122)  # noqa: S311 - sampling, not security
    chosen: list[tuple[int, int, int]] = []
    zooms = sorted(by_zoom)
    for index, zoom in enumerate(zooms):
        share = (count - len(chosen)) // (len(zooms) - index)
        tiles = by_zoom[zoom]
        chosen.extend(rng.sample(tiles, min(share, len(tiles))))
    rng.shuffle(chosen)
    for z, x, y in chosen:
        print(f"/v1/tiles/{name}/{z}/{x}/{y}.mvt")


if __name__ == "__main__":
    main()
