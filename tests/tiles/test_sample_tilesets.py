import gzip

import mapbox_vector_tile
from django.core.management import call_command

from tiles.directory_cache import DirectoryCache
from tiles.pmtiles_archive import PmtilesArchive
from tiles.sample_builder import places_tileset_build
from tiles.tilesets import FileIdentity

CITIES = [
    {
        "name": "Tokyo",
        "countrycode": "JP",
        "population": 37_400_000,
        "latitude": 35.69,
        "longitude": 139.69,
    },
    {
        "name": "Lagos",
        "countrycode": "NG",
        "population": 15_300_000,
        "latitude": 6.45,
        "longitude": 3.39,
    },
    {
        "name": "Lyon",
        "countrycode": "FR",
        "population": 516_000,
        "latitude": 45.75,
        "longitude": 4.85,
    },
    {
        "name": "Ushuaia",
        "countrycode": "AR",
        "population": 57_000,
        "latitude": -54.81,
        "longitude": -68.31,
    },
]


def _open(path) -> PmtilesArchive:
    return PmtilesArchive(
        path,
        name=path.stem,
        identity=FileIdentity.of(path.stat()),
        directory_cache=DirectoryCache(1024 * 1024),
    )


def _features(archive, z, x, y) -> list[dict]:
    tile = archive.tile(z, x, y)
    if tile is None:
        return []
    data = gzip.decompress(tile.data) if tile.gzipped else tile.data
    return mapbox_vector_tile.decode(data).get("places", {}).get("features", [])


def test_places_tileset_is_built_with_tippecanoe(tmp_path):
    path = places_tileset_build(directory=tmp_path, cities=CITIES, maxzoom=5)
    assert path == tmp_path / "places.pmtiles"
    assert [p.name for p in tmp_path.iterdir()] == ["places.pmtiles"]

    archive = _open(path)
    info = archive.info
    assert (info.minzoom, info.maxzoom, info.compression) == (0, 5, "gzip")
    assert info.attribution == "© GeoNames (CC BY 4.0)"
    assert set(info.vector_layers[0]["fields"]) == {"name", "country", "population"}

    world = {f["properties"]["name"]: f["properties"] for f in _features(archive, 0, 0, 0)}
    # Only places of 10 million people and more are on the world map.
    assert set(world) == {"Tokyo", "Lagos"}
    assert world["Tokyo"] == {"name": "Tokyo", "country": "JP", "population": 37_400_000}
    # Lyon (zoom 4 and up) is in the tile of zoom 4 that covers it.
    names = {f["properties"]["name"] for f in _features(archive, 4, 8, 5)}
    assert "Lyon" in names


def test_build_command_if_missing_keeps_an_existing_tileset(tmp_path):
    existing = tmp_path / "places.pmtiles"
    existing.write_bytes(b"already here")
    call_command("build_sample_tilesets", "--if-missing", "--directory", str(tmp_path))
    assert existing.read_bytes() == b"already here"
