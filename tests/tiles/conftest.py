import pytest

from tests.tiles.archives import mbtiles_write, pmtiles_write, pyramid


@pytest.fixture
def tilesets_dir(tmp_path, settings):
    """TILESETS_DIR with `roads` (PMTiles, gzip, z0-3, leaf directories), `plain` (PMTiles,
    uncompressed, z1-2, one tile absent and one empty) and `parks` (MBTiles, gzip, z0-2).

    The registry rescans on every lookup here, so files changed by a test are seen at once.
    """
    directory = tmp_path / "tilesets"
    directory.mkdir()
    pmtiles_write(directory / "roads.pmtiles", pyramid(3), leaf_size=16)
    plain = pyramid(2, minzoom=1)
    del plain[(2, 3, 3)]
    plain[(2, 0, 0)] = b""
    pmtiles_write(directory / "plain.pmtiles", plain, gzipped=False)
    mbtiles_write(directory / "parks.mbtiles", pyramid(2))
    settings.TILESETS_DIR = directory
    settings.TILES_INDEX_DIR = tmp_path / "tile-index"
    settings.TILESETS_RESCAN_SECONDS = 0
    return directory


@pytest.fixture
def tiles_auth(geog_auth):
    """Headers of a caller holding `tiles:read` in a free organization."""
    return geog_auth(scopes="tiles:read")


@pytest.fixture
def mixed_tileset(tilesets_dir):
    """`tilesets_dir` plus `lyon`, built by tippecanoe: cities (points), rivers, parks."""
    from tests.tiles.mixed_tileset import mixed_tileset_write

    return mixed_tileset_write(tilesets_dir / "lyon.pmtiles")
