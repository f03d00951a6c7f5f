"""OpenAPI descriptions of the tile operations; errors of their classes are derived."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

from errors import catalog
from errors.schema import answer, operation_group
from tiles import serializers
from tiles.tilesets import MVT_MEDIA_TYPE

TAGS = ["geog-tiles"]
# What naming one tileset can answer: unknown, or its store unreadable until the next rescan.
TILESET_ERRORS = (catalog.GEOG_TILESET_NOT_FOUND, catalog.SERVICE_UNAVAILABLE)
tiles_operation = operation_group(tags=TAGS)
tileset_operation = operation_group(tags=TAGS, errors=TILESET_ERRORS)

excluded = extend_schema(exclude=True)

# The TileJSON of the sample tileset `make run` builds, as served on geog.example.com.
_PLACES_TILEJSON = {
    "tilejson": "3.0.0",
    "name": "places",
    "scheme": "xyz",
    "format": "pbf",
    "tiles": ["https://geog.example.com/v1/tiles/places/{z}/{x}/{y}.mvt"],
    "minzoom": 0,
    "maxzoom": 14,
    "bounds": [-176.17453, -54.81084, 179.36451, 78.2233399],
    "center": [114.180908, 22.319589, 14],
    "vector_layers": [
        {
            "id": "places",
            "description": "",
            "minzoom": 0,
            "maxzoom": 14,
            "fields": {"country": "String", "name": "String", "population": "Number"},
        }
    ],
    "attribution": "© GeoNames (CC BY 4.0)",
    "description": "Populated places of the world, from GeoNames",
}
_PLACES_SUMMARY = {
    key: _PLACES_TILEJSON[key] for key in ("name", "format", "minzoom", "maxzoom", "bounds")
}

tile_get = tiles_operation(
    operation_id="tile_get",
    summary="One Mapbox vector tile",
    description=(
        "Tiles stored gzip-compressed are sent as stored with `Content-Encoding: gzip` "
        "when `Accept-Encoding` allows gzip, and decompressed otherwise. Strong `ETag`; "
        "`If-None-Match` answers 304. A z, x or y that is not a non-negative integer is "
        "`TILE_NOT_FOUND`, like a number outside the tileset's range."
    ),
    responses={
        (200, MVT_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The tile"),
        204: OpenApiResponse(description="No tile at this address: empty"),
        304: OpenApiResponse(description="The tile matches `If-None-Match`"),
    },
    parameters=[
        OpenApiParameter("tileset", str, OpenApiParameter.PATH, description="Tileset name"),
        OpenApiParameter("z", int, OpenApiParameter.PATH, description="Zoom"),
        OpenApiParameter("x", int, OpenApiParameter.PATH, description="Column"),
        OpenApiParameter("y", int, OpenApiParameter.PATH, description="Row, from the north"),
        OpenApiParameter(
            "ext", str, OpenApiParameter.PATH, enum=["mvt", "pbf"], description="Extension"
        ),
    ],
    errors=(catalog.GEOG_INVALID_EXTENSION, *TILESET_ERRORS, catalog.GEOG_TILE_NOT_FOUND),
)

tileset_metadata = tileset_operation(
    operation_id="tileset_metadata",
    summary="TileJSON 3.0.0 of a tileset",
    responses=answer(
        serializers.TileJsonOutputSerializer,
        "TileJSON 3.0.0",
        examples={"The sample tileset": _PLACES_TILEJSON},
    ),
)

tileset_catalog = tiles_operation(
    operation_id="tileset_catalog",
    summary="Every tileset served",
    responses=answer(
        serializers.TilesetCatalogOutputSerializer,
        "The tilesets",
        examples={"The sample tileset": {"tilesets": [_PLACES_SUMMARY]}},
    ),
)

tileset_style = tileset_operation(
    operation_id="tileset_style",
    summary="MapLibre style of a tileset",
    description=(
        "A MapLibre style showing every vector layer of the tileset, its source pointing at "
        "the TileJSON, so any MapLibre app can show the tileset from one URL. The map must "
        "send `Authorization` on the requests it makes for the style's source and tiles "
        "(MapLibre's `transformRequest`)."
    ),
    responses=answer(serializers.MapStyleOutputSerializer, "MapLibre style, version 8"),
)
