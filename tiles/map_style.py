"""MapLibre styles generated from a tileset's TileJSON, so any MapLibre app can show it."""

from tiles.tilesets import GEOMETRY_TYPES, TilesetInfo

STYLE_VERSION = 8
BACKGROUND_COLOR = "#f4f1ea"
# Successive layers step round the colour wheel by the golden angle: neighbours never get
# similar hues, however many layers a tileset has.
GOLDEN_ANGLE_DEGREES = 137.508
# Fills under lines under points, so no layer hides another's features.
_DRAW_ORDER = {"fill": 0, "line": 1, "circle": 2}


def layer_color(index: int) -> str:
    """A colour for the index-th vector layer, told apart from its neighbours' colours."""
    hue = (index * GOLDEN_ANGLE_DEGREES) % 360
    lightness = 42 if index % 2 == 0 else 52
    return f"hsl({hue:.0f}, 72%, {lightness}%)"


def map_style_layers(*, info: TilesetInfo) -> list[dict]:
    """The style's layers: a background, then the vector layers drawn by geometry type."""
    layers = []
    for index, vector_layer in enumerate(info.vector_layers):
        geometry = info.layer_geometries.get(vector_layer["id"])
        geometries = (geometry,) if geometry else GEOMETRY_TYPES
        for geometry_type in geometries:
            layers.extend(
                _style_layers(
                    source=info.name,
                    vector_layer=vector_layer,
                    geometry=geometry_type,
                    color=layer_color(index),
                )
            )
    layers.sort(key=lambda layer: _DRAW_ORDER[layer["type"]])
    background = {
        "id": "background",
        "type": "background",
        "paint": {"background-color": BACKGROUND_COLOR},
    }
    return [background, *layers]


def _style_layers(*, source: str, vector_layer: dict, geometry: str, color: str) -> list[dict]:
    layer_id = vector_layer["id"]
    common = {
        "source": source,
        "source-layer": layer_id,
        # A layer of points may still hold a stray line: each style layer keeps to its type.
        # `$type` folds multi-geometries into their base type, as tilestats do.
        "filter": ["==", "$type", geometry],
        **_zoom_range(vector_layer),
    }
    if geometry == "Point":
        return [
            {
                "id": f"{layer_id}-circle",
                "type": "circle",
                **common,
                "paint": {
                    "circle-color": color,
                    "circle-radius": 4,
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 1,
                },
            }
        ]
    if geometry == "LineString":
        return [
            {
                "id": f"{layer_id}-line",
                "type": "line",
                **common,
                "layout": {"line-cap": "round", "line-join": "round"},
                "paint": {"line-color": color, "line-width": 2},
            }
        ]
    return [
        {
            "id": f"{layer_id}-fill",
            "type": "fill",
            **common,
            "paint": {"fill-color": color, "fill-opacity": 0.35},
        },
        {
            "id": f"{layer_id}-outline",
            "type": "line",
            **common,
            "paint": {"line-color": color, "line-width": 1},
        },
    ]


def _zoom_range(vector_layer: dict) -> dict:
    # No maxzoom: past the layer's last zoom MapLibre overzooms that zoom's tiles.
    minzoom = vector_layer.get("minzoom")
    return {"minzoom": minzoom} if isinstance(minzoom, int) and minzoom > 0 else {}
