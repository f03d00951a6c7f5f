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
    responses=answer(serializers.TileJsonOutputSerializer, "TileJSON 3.0.0"),
)

tileset_catalog = tiles_operation(
    operation_id="tileset_catalog",
    summary="Every tileset served",
    responses=answer(serializers.TilesetCatalogOutputSerializer, "The tilesets"),
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
