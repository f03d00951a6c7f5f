import json

import pytest

from tests.tiles.archives import mbtiles_write, pyramid
from tests.tiles.mixed_tileset import LAYERS

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {"Point": ["circle"], "LineString": ["line"], "Polygon": ["fill", "line"]}


def _data_layers(style: dict) -> list[dict]:
    return [layer for layer in style["layers"] if layer["type"] != "background"]


def test_style_draws_each_vector_layer_by_its_tilestats_geometry(client, mixed_tileset, tiles_auth):
    tilejson = client.get("/v1/tiles/lyon/metadata", **tiles_auth).json()
    response = client.get("/v1/tiles/lyon/style.json", **tiles_auth)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"
    style = response.json()
    assert style["version"] == 8
    assert style["sources"] == {
        "lyon": {"type": "vector", "url": "http://testserver/v1/tiles/lyon/metadata"}
    }
    layer_ids = [layer["id"] for layer in tilejson["vector_layers"]]
    assert sorted(layer_ids) == sorted(LAYERS)
    drawn = {layer_id: [] for layer_id in layer_ids}
    for layer in _data_layers(style):
        assert layer["source"] == "lyon"
        geometry = LAYERS[layer["source-layer"]]
        assert layer["filter"] == ["==", "$type", geometry]
        drawn[layer["source-layer"]].append(layer["type"])
    assert drawn == {layer_id: EXPECTED_TYPES[LAYERS[layer_id]] for layer_id in layer_ids}


def test_style_gives_each_vector_layer_its_own_colour(client, mixed_tileset, tiles_auth):
    style = client.get("/v1/tiles/lyon/style.json", **tiles_auth).json()
    colour_of = {}
    for layer in _data_layers(style):
        paint = layer["paint"]
        colour = paint.get("circle-color") or paint.get("fill-color") or paint["line-color"]
        colour_of.setdefault(layer["source-layer"], set()).add(colour)
    assert all(len(colours) == 1 for colours in colour_of.values())
    assert len({colours.pop() for colours in colour_of.values()}) == len(LAYERS)


def test_style_draws_fills_under_lines_under_circles(client, mixed_tileset, tiles_auth):
    style = client.get("/v1/tiles/lyon/style.json", **tiles_auth).json()
    types = [layer["type"] for layer in style["layers"]]
    assert types == ["background", "fill", "line", "line", "circle"]


def test_style_of_layers_without_tilestats_draws_every_geometry_type(
    client, tilesets_dir, tiles_auth
):
    style = client.get("/v1/tiles/roads/style.json", **tiles_auth).json()
    assert {(layer["type"], layer["filter"][2]) for layer in _data_layers(style)} == {
        ("circle", "Point"),
        ("line", "LineString"),
        ("fill", "Polygon"),
        ("line", "Polygon"),
    }
    assert {layer["source-layer"] for layer in _data_layers(style)} == {"places"}
    assert style["center"] == [10.5, 20.25]
    assert style["zoom"] == 1
    assert style["sources"]["roads"]["attribution"] == "© Tests"


def test_style_of_mbtiles_points_at_its_tilejson(client, tilesets_dir, tiles_auth):
    style = client.get("/v1/tiles/parks/style.json", **tiles_auth).json()
    assert style["sources"]["parks"]["url"] == "http://testserver/v1/tiles/parks/metadata"


def test_style_source_uses_the_public_base_url(client, tilesets_dir, tiles_auth, settings):
    settings.GEOG_PUBLIC_BASE_URL = "https://maps.example.com/geo/"
    style = client.get("/v1/tiles/roads/style.json", **tiles_auth).json()
    assert (
        style["sources"]["roads"]["url"] == "https://maps.example.com/geo/v1/tiles/roads/metadata"
    )


def test_style_of_unknown_tileset_is_tileset_not_found(client, tilesets_dir, tiles_auth):
    response = client.get("/v1/tiles/oceans/style.json", **tiles_auth)
    assert response.status_code == 404
    assert response.json()["code"] == "TILESET_NOT_FOUND"


def test_style_needs_the_tiles_scope(client, tilesets_dir, geog_auth):
    response = client.get("/v1/tiles/roads/style.json", **geog_auth(scopes="places:read"))
    assert response.status_code == 403
    assert response.json()["code"] == "INSUFFICIENT_SCOPE"


def test_style_needs_a_token(client, tilesets_dir):
    response = client.get("/v1/tiles/roads/style.json")
    assert response.status_code == 401


def test_style_of_mbtiles_reads_tilestats_and_folds_multi_geometries(
    client, tilesets_dir, tiles_auth
):
    layers_json = {
        "vector_layers": [{"id": "places", "fields": {}}, {"id": "forests", "fields": {}}],
        "tilestats": {
            "layers": [
                {"layer": "places", "geometry": "MultiPolygon"},
                {"layer": "forests", "geometry": "Unknown"},
                "not a layer",
            ]
        },
    }
    mbtiles_write(
        tilesets_dir / "woods.mbtiles", pyramid(1), metadata={"json": json.dumps(layers_json)}
    )
    style = client.get("/v1/tiles/woods/style.json", **tiles_auth).json()
    drawn = {(layer["source-layer"], layer["type"]) for layer in _data_layers(style)}
    assert drawn == {
        ("places", "fill"),
        ("places", "line"),
        ("forests", "circle"),
        ("forests", "line"),
        ("forests", "fill"),
    }
    assert len(_data_layers(style)) == 6
