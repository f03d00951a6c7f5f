import gzip
import sqlite3
import threading

import pytest

from tests.tiles.archives import mbtiles_write, mvt_tile, pyramid
from tiles.mbtiles_archive import MbtilesArchive
from tiles.tilesets import FileIdentity, UnsupportedTilesetError


def _open(path) -> MbtilesArchive:
    return MbtilesArchive(path, name=path.stem, identity=FileIdentity.of(path.stat()))


def test_rows_are_flipped_from_tms_to_xyz(tmp_path):
    archive = _open(mbtiles_write(tmp_path / "flip.mbtiles", pyramid(3)))
    # Row 1 from the north is row 6 from the south at zoom 3.
    tile = archive.tile(3, 2, 1)
    assert gzip.decompress(tile.data) == mvt_tile(3, 2, 1)
    assert tile.gzipped is True


def test_uncompressed_tiles_are_reported_as_plain(tmp_path):
    archive = _open(mbtiles_write(tmp_path / "plain.mbtiles", pyramid(1), gzipped=False))
    tile = archive.tile(1, 1, 0)
    assert (tile.data, tile.gzipped) == (mvt_tile(1, 1, 0), False)
    assert archive.info.compression == "none"


def test_metadata_table_gives_the_tileset_info(tmp_path):
    info = _open(mbtiles_write(tmp_path / "meta.mbtiles", pyramid(2, minzoom=1))).info
    assert (info.name, info.format, info.compression) == ("meta", "pbf", "gzip")
    assert (info.minzoom, info.maxzoom) == (1, 2)
    assert info.bounds == (-10.5, 35.25, 20.75, 60.5)
    assert info.center == (5.125, 47.875, 3)
    assert info.vector_layers[0]["id"] == "places"
    assert info.attribution == "© MBTiles tests"


def test_missing_metadata_falls_back_to_the_tiles_table(tmp_path):
    path = mbtiles_write(tmp_path / "bare.mbtiles", pyramid(2, minzoom=1))
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM metadata WHERE name IN ('minzoom', 'maxzoom', 'bounds')")
    info = _open(path).info
    assert (info.minzoom, info.maxzoom) == (1, 2)
    assert info.bounds == (-180.0, -85.0511, 180.0, 85.0511)


def test_absent_tile_is_none(tmp_path):
    archive = _open(mbtiles_write(tmp_path / "a.mbtiles", pyramid(1)))
    assert archive.tile(1, 0, 0) is not None
    assert archive.tile(0, 0, 0) is not None
    tiles = pyramid(1)
    del tiles[(1, 0, 0)]
    archive = _open(mbtiles_write(tmp_path / "b.mbtiles", tiles))
    assert archive.tile(1, 0, 0) is None


def test_raster_mbtiles_are_refused(tmp_path):
    path = mbtiles_write(tmp_path / "raster.mbtiles", pyramid(0), metadata={"format": "png"})
    with pytest.raises(UnsupportedTilesetError):
        _open(path)


def test_reads_from_many_threads_use_their_own_connections(tmp_path):
    tiles = pyramid(3)
    archive = _open(mbtiles_write(tmp_path / "threads.mbtiles", tiles))
    failures = []

    def read_all():
        for (z, x, y), data in tiles.items():
            if gzip.decompress(archive.tile(z, x, y).data) != data:
                failures.append((z, x, y))

    threads = [threading.Thread(target=read_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    archive.close()
    assert archive.closed is True
