import fcntl
import gzip
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import tileid_to_zxy

from tests.tiles.archives import pmtiles_write, pmtiles_write_runs, pyramid
from tiles.directory_cache import DirectoryCache
from tiles.directory_index import (
    DirectoryIndex,
    DirectoryIndexError,
    directory_index_build,
    index_build_lock,
    stale_indexes_remove,
)
from tiles.pmtiles_archive import PmtilesArchive
from tiles.tilesets import FileIdentity

# Tile ids below this cover zooms 0-5, small enough to ask for every one of them.
MAX_TILE_ID = 1365

_run = st.tuples(
    st.integers(min_value=0, max_value=12),  # gap after the previous run
    st.integers(min_value=1, max_value=9),  # run length
    st.one_of(st.just(b""), st.binary(min_size=1, max_size=40)),
)


@st.composite
def archives(draw):
    """Runs of tiles sorted by id, their compression, and a fanout giving 1-4 levels."""
    runs, next_id = [], draw(st.integers(min_value=0, max_value=40))
    for gap, run_length, data in draw(st.lists(_run, min_size=1, max_size=150)):
        tile_id = next_id + gap
        if tile_id + run_length > MAX_TILE_ID:
            break
        runs.append((tile_id, run_length, data))
        next_id = tile_id + run_length
    if not runs:
        runs = [(0, 1, b"only")]
    # Root plus three leaf levels at most, as PMTiles v3 allows.
    smallest = max(2, math.ceil(len(runs) ** 0.25 + 1e-9))
    fanout = draw(st.integers(min_value=smallest, max_value=max(smallest, len(runs) + 1)))
    return runs, draw(st.booleans()), fanout


def _archive(path: Path) -> PmtilesArchive:
    return PmtilesArchive(
        path,
        name=path.stem,
        identity=FileIdentity.of(path.stat()),
        directory_cache=DirectoryCache(1024 * 1024),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(archive=archives())
def test_index_answers_every_tile_like_the_pmtiles_reader(tmp_path_factory, archive):
    runs, gzipped, fanout = archive
    directory = tmp_path_factory.mktemp("runs")
    path = pmtiles_write_runs(directory / "runs.pmtiles", runs, gzipped=gzipped, fanout=fanout)
    served = _archive(path)
    unindexed = _archive(path)
    target = directory / "runs.idx"
    rows = directory_index_build(fd=served.fileno(), target=target)
    served.index_attach(DirectoryIndex(target))
    assert rows == len(runs)
    with path.open("rb") as file:
        reader = Reader(MmapSource(file))
        for tile_id in range(MAX_TILE_ID + 2):
            z, x, y = tileid_to_zxy(tile_id)
            expected = reader.get(z, x, y)
            indexed, fallback = served.tile(z, x, y), unindexed.tile(z, x, y)
            if expected is None:
                assert (indexed, fallback) == (None, None), tile_id
            else:
                assert indexed.data == bytes(expected) == fallback.data, tile_id
                assert indexed.gzipped is gzipped
    served.close()
    unindexed.close()


def test_index_of_a_writer_archive_serves_gzip_tiles(tmp_path):
    tiles = pyramid(3)
    path = pmtiles_write(tmp_path / "roads.pmtiles", tiles, leaf_size=8)
    archive = _archive(path)
    directory_index_build(fd=archive.fileno(), target=tmp_path / "roads.idx")
    archive.index_attach(DirectoryIndex(tmp_path / "roads.idx"))
    for (z, x, y), data in tiles.items():
        assert gzip.decompress(archive.tile(z, x, y).data) == data
    assert archive.tile(4, 0, 0) is None


def test_index_file_is_replaced_atomically_and_leaves_no_temporary(tmp_path):
    path = pmtiles_write(tmp_path / "a.pmtiles", pyramid(2))
    target = tmp_path / "index" / "a.idx"
    archive = _archive(path)
    directory_index_build(fd=archive.fileno(), target=target)
    first = DirectoryIndex(target)
    directory_index_build(fd=archive.fileno(), target=target)
    # The mapping of the earlier file stays readable after the rename.
    assert first.lookup(0) is not None
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.idx"]
    first.close()


def test_truncated_index_is_refused(tmp_path):
    path = pmtiles_write(tmp_path / "a.pmtiles", pyramid(1))
    target = tmp_path / "a.idx"
    archive = _archive(path)
    directory_index_build(fd=archive.fileno(), target=target)
    target.write_bytes(target.read_bytes()[:-4])
    with pytest.raises(DirectoryIndexError):
        DirectoryIndex(target)


def test_stale_indexes_of_known_stems_are_removed(tmp_path):
    for name in ("roads-" + "a" * 20, "roads-" + "b" * 20, "parks-" + "c" * 20):
        (tmp_path / f"{name}.idx").write_bytes(b"")
    keep = tmp_path / f"roads-{'b' * 20}.idx"
    removed = stale_indexes_remove(directory=tmp_path, stems={"roads"}, current={keep})
    assert [p.name for p in removed] == [f"roads-{'a' * 20}.idx"]
    assert sorted(p.name for p in tmp_path.glob("*.idx")) == [
        f"parks-{'c' * 20}.idx",
        keep.name,
    ]


def test_build_lock_is_exclusive_across_descriptors(tmp_path):
    with index_build_lock(tmp_path):
        fd = os.open(tmp_path / ".build.lock", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)


def test_index_follows_three_levels_of_leaf_directories(tmp_path):
    runs = [(tile_id * 3, 1 + tile_id % 3, f"tile {tile_id}".encode()) for tile_id in range(200)]
    # 200 runs by 4: leaves of leaves of leaves under a root of 4 entries.
    path = pmtiles_write_runs(tmp_path / "deep.pmtiles", runs, gzipped=False, fanout=4)
    archive = _archive(path)
    assert directory_index_build(fd=archive.fileno(), target=tmp_path / "deep.idx") == 200
    archive.index_attach(DirectoryIndex(tmp_path / "deep.idx"))
    with path.open("rb") as file:
        reader = Reader(MmapSource(file))
        for tile_id in range(600):
            expected = reader.get(*tileid_to_zxy(tile_id))
            tile = archive.tile(*tileid_to_zxy(tile_id))
            assert (tile.data if tile else None) == (bytes(expected) if expected else None)
    assert archive.tile(*tileid_to_zxy(4)).data == b"tile 1"
