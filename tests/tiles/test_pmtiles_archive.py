import gzip

import mapbox_vector_tile
import pytest

from tests.tiles.archives import mvt_tile, pmtiles_write, pyramid
from tiles import pmtiles_archive
from tiles.directory_cache import ENTRY_BYTES, DirectoryCache
from tiles.pmtiles_archive import PmtilesArchive
from tiles.tilesets import FileIdentity, UnsupportedTilesetError


def _open(path, cache=None) -> PmtilesArchive:
    return PmtilesArchive(
        path,
        name=path.stem,
        identity=FileIdentity.of(path.stat()),
        directory_cache=cache or DirectoryCache(64 * 1024 * 1024),
    )


@pytest.fixture
def parse_counter(monkeypatch):
    """Counts every directory the archive code parses."""
    calls = []
    real = pmtiles_archive.deserialize_directory

    def counting(buf):
        calls.append(len(buf))
        return real(buf)

    monkeypatch.setattr(pmtiles_archive, "deserialize_directory", counting)
    return calls


def test_gzip_archive_returns_stored_bytes_and_metadata(tmp_path):
    archive = _open(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(2)))
    tile = archive.tile(2, 1, 3)
    assert tile.gzipped is True
    decoded = mapbox_vector_tile.decode(gzip.decompress(tile.data))
    assert decoded["places"]["features"][0]["properties"]["name"] == "2/1/3"
    info = archive.info
    assert (info.name, info.format, info.compression) == ("roads", "pbf", "gzip")
    assert (info.minzoom, info.maxzoom) == (0, 2)
    assert info.bounds == (-180.0, -85.0, 180.0, 85.0)
    assert info.vector_layers[0]["id"] == "places"
    assert info.attribution == "© Tests"


def test_uncompressed_archive_returns_plain_tiles(tmp_path):
    archive = _open(pmtiles_write(tmp_path / "plain.pmtiles", pyramid(1), gzipped=False))
    tile = archive.tile(1, 0, 1)
    assert tile.gzipped is False
    assert tile.data == mvt_tile(1, 0, 1)
    assert archive.info.compression == "none"


def test_absent_tile_is_none(tmp_path):
    tiles = pyramid(1)
    del tiles[(1, 1, 1)]
    archive = _open(pmtiles_write(tmp_path / "holes.pmtiles", tiles))
    assert archive.tile(1, 1, 1) is None
    assert archive.tile(1, 1, 0) is not None


def test_every_tile_is_found_through_leaf_directories(tmp_path):
    tiles = pyramid(4)
    archive = _open(pmtiles_write(tmp_path / "leafy.pmtiles", tiles, leaf_size=16))
    for (z, x, y), data in tiles.items():
        assert gzip.decompress(archive.tile(z, x, y).data) == data


def test_lookups_in_a_large_archive_parse_each_leaf_once(tmp_path, parse_counter):
    tiles = pyramid(6)  # 5461 tiles
    path = pmtiles_write(tmp_path / "large.pmtiles", tiles, leaf_size=256)
    archive = _open(path)
    assert len(parse_counter) == 1  # the root, when the archive is opened
    leaves = -(-len(tiles) // 256)

    for z, x, y in tiles:
        archive.tile(z, x, y)
    assert len(parse_counter) == 1 + leaves

    for z, x, y in tiles:
        archive.tile(z, x, y)
    assert len(parse_counter) == 1 + leaves


def test_directory_cache_stays_within_its_byte_budget(tmp_path, parse_counter):
    tiles = pyramid(5)  # 1365 tiles, 22 leaves of 64
    cache = DirectoryCache(max_bytes=3 * 64 * ENTRY_BYTES)
    archive = _open(pmtiles_write(tmp_path / "tight.pmtiles", tiles, leaf_size=64), cache)
    for z, x, y in tiles:
        assert archive.tile(z, x, y) is not None
        assert cache.size_bytes <= cache.max_bytes
    # Only three leaves fit: a second pass parses the evicted ones again.
    before = len(parse_counter)
    for z, x, y in tiles:
        archive.tile(z, x, y)
    assert len(parse_counter) > before


def test_a_file_that_is_not_pmtiles_is_refused(tmp_path):
    path = tmp_path / "junk.pmtiles"
    path.write_bytes(b"not an archive at all" * 10)
    with pytest.raises(UnsupportedTilesetError):
        _open(path)


def test_close_releases_the_file(tmp_path):
    archive = _open(pmtiles_write(tmp_path / "c.pmtiles", pyramid(0)))
    assert archive.closed is False
    archive.close()
    assert archive.closed is True
