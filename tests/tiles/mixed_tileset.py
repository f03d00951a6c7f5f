"""A real tippecanoe tileset with a point, a line and a polygon layer around Lyon."""

import json
import subprocess
import sys
from pathlib import Path

CITIES = [
    {"name": "Lyon", "population": 516_000, "coordinates": [4.85, 45.75]},
    {"name": "Grenoble", "population": 158_000, "coordinates": [5.72, 45.19]},
    {"name": "Geneva", "population": 203_000, "coordinates": [6.14, 46.20]},
    {"name": "Dijon", "population": 156_000, "coordinates": [5.04, 47.32]},
]
RIVERS = [
    {
        "name": "Rhône",
        "coordinates": [[6.14, 46.20], [5.80, 45.95], [5.20, 45.80], [4.85, 45.75], [4.80, 44.90]],
    },
    {"name": "Saône", "coordinates": [[5.04, 47.32], [4.90, 46.80], [4.85, 46.30], [4.85, 45.75]]},
]
PARKS = [
    {
        "name": "Vercors",
        "coordinates": [
            [[5.30, 44.80], [5.70, 44.80], [5.70, 45.20], [5.30, 45.20], [5.30, 44.80]]
        ],
    },
    {
        "name": "Bauges",
        "coordinates": [
            [[5.95, 45.55], [6.30, 45.55], [6.30, 45.85], [5.95, 45.85], [5.95, 45.55]]
        ],
    },
]
LAYERS = {"cities": "Point", "rivers": "LineString", "parks": "Polygon"}


def mixed_tileset_write(path: Path, *, maxzoom: int = 8) -> Path:
    """Build `path` (PMTiles): layers `cities` (points), `rivers` (lines), `parks` (polygons)."""
    sources = {
        "cities": [("Point", city["coordinates"], city) for city in CITIES],
        "rivers": [("LineString", river["coordinates"], river) for river in RIVERS],
        "parks": [("Polygon", park["coordinates"], park) for park in PARKS],
    }
    arguments = []
    for layer, features in sources.items():
        source = path.parent / f".{path.stem}-{layer}.geojson"
        source.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "geometry": {"type": kind, "coordinates": coordinates},
                            "properties": {k: v for k, v in props.items() if k != "coordinates"},
                        }
                        for kind, coordinates, props in features
                    ],
                }
            )
        )
        arguments.append(f"--named-layer={layer}:{source}")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "tippecanoe"),
            "--output",
            str(path),
            "--minimum-zoom=0",
            f"--maximum-zoom={maxzoom}",
            f"--name={path.stem}",
            "--description=Cities, rivers and parks around Lyon",
            "--drop-rate=1",
            "--no-feature-limit",
            "--no-tile-size-limit",
            "--force",
            "--quiet",
            *arguments,
        ],
        check=True,
        capture_output=True,
    )
    for source in path.parent.glob(f".{path.stem}-*.geojson"):
        source.unlink()
    return path
