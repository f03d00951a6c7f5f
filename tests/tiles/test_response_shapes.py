"""TileJSON and styles are built without serializers: each builder gives what its serializer
documents in the schema, for any tileset."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.response_shapes import shape_mismatches
from tiles.serializers import (
    MapStyleOutputSerializer,
    TileJsonOutputSerializer,
    map_style_document,
    tilejson_document,
)
from tiles.tilesets import GEOMETRY_TYPES, TilesetInfo

TILES_URL = "https://geog.example/v1/tiles/t/{z}/{x}/{y}.mvt"
TILEJSON_URL = "https://geog.example/v1/tiles/t/metadata"

longitudes = st.floats(min_value=-180, max_value=180)
latitudes = st.floats(min_value=-85.05, max_value=85.05)
zooms = st.integers(min_value=0, max_value=22)
layer_ids = st.text(min_size=1, max_size=12)
vector_layers = st.lists(
    st.fixed_dictionaries(
        {"id": layer_ids, "fields": st.dictionaries(st.text(max_size=8), st.just("String"))},
        optional={"minzoom": zooms, "maxzoom": zooms, "description": st.text(max_size=20)},
    ),
    max_size=4,
    unique_by=lambda layer: layer["id"],
)


@st.composite
def tileset_infos(draw) -> TilesetInfo:
    layers = draw(vector_layers)
    minzoom = draw(zooms)
    return TilesetInfo(
        name=draw(st.text(min_size=1, max_size=20)),
        format=draw(st.sampled_from(["pbf", "png", "jpg", "webp"])),
        compression=draw(st.sampled_from(["gzip", "none"])),
        minzoom=minzoom,
        maxzoom=draw(st.integers(min_value=minzoom, max_value=22)),
        bounds=(draw(longitudes), draw(latitudes), draw(longitudes), draw(latitudes)),
        center=(draw(longitudes), draw(latitudes), draw(zooms)),
        vector_layers=layers,
        attribution=draw(st.text(max_size=30)),
        description=draw(st.text(max_size=30)),
        layer_geometries={
            layer["id"]: draw(st.sampled_from(GEOMETRY_TYPES))
            for layer in layers
            if draw(st.booleans())
        },
        tile_count=draw(st.none() | st.integers(min_value=0)),
    )


@settings(deadline=None)  # the shape is checked, not the speed
@given(info=tileset_infos())
def test_tilejson_has_the_documented_shape(info):
    document = tilejson_document(info=info, tiles_url=TILES_URL)
    assert shape_mismatches(document, TileJsonOutputSerializer()) == []


@settings(deadline=None)  # the shape is checked, not the speed
@given(info=tileset_infos())
def test_a_style_has_the_documented_shape(info):
    document = map_style_document(info=info, tilejson_url=TILEJSON_URL)
    assert shape_mismatches(document, MapStyleOutputSerializer()) == []
