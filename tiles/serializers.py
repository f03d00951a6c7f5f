"""Bodies of the tile API that are not tiles.

A map that opens reads a TileJSON and often a style. Rendered through their serializers
each would cost about half a millisecond, twenty (style) to four hundred (TileJSON) times
building the dict. So TileJsonOutputSerializer and MapStyleOutputSerializer document the
bodies for the schema, and the `…document` builder beside each one builds them;
tests/tiles/test_response_shapes.py proves on generated tilesets that they agree.
"""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tiles.map_style import STYLE_VERSION, map_style_layers
from tiles.tilesets import TilesetInfo

TILEJSON_VERSION = "3.0.0"


@extend_schema_serializer(component_name="TileJSON")
class TileJsonOutputSerializer(serializers.Serializer):
    tilejson = serializers.CharField(help_text="The TileJSON version: 3.0.0.")
    name = serializers.CharField()
    description = serializers.CharField(required=False)
    scheme = serializers.CharField(help_text="Always `xyz`.")
    format = serializers.CharField(help_text="The tiles' format: `pbf` (vector tiles).")
    tiles = serializers.ListField(child=serializers.URLField())
    minzoom = serializers.IntegerField()
    maxzoom = serializers.IntegerField()
    bounds = serializers.ListField(
        child=serializers.FloatField(), help_text="[west, south, east, north]"
    )
    center = serializers.ListField(
        child=serializers.JSONField(), help_text="[longitude, latitude, zoom]"
    )
    vector_layers = serializers.ListField(child=serializers.DictField())
    attribution = serializers.CharField(allow_blank=True)


def tilejson_document(*, info: TilesetInfo, tiles_url: str) -> dict:
    """The TileJSON 3.0.0 document of a tileset whose tiles are at `tiles_url`."""
    document = {
        "tilejson": TILEJSON_VERSION,
        "name": info.name,
        "scheme": "xyz",
        "format": info.format,
        "tiles": [tiles_url],
        "minzoom": info.minzoom,
        "maxzoom": info.maxzoom,
        "bounds": list(info.bounds),
        "center": list(info.center),
        "vector_layers": info.vector_layers,
        "attribution": info.attribution,
    }
    if info.description:
        document["description"] = info.description
    return document


@extend_schema_serializer(component_name="TilesetSummary")
class TilesetSummaryOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    format = serializers.CharField(help_text="The tiles' format: `pbf` (vector tiles).")
    minzoom = serializers.IntegerField()
    maxzoom = serializers.IntegerField()
    bounds = serializers.ListField(
        child=serializers.FloatField(), help_text="[west, south, east, north]"
    )


@extend_schema_serializer(component_name="TilesetCatalog")
class TilesetCatalogOutputSerializer(serializers.Serializer):
    tilesets = TilesetSummaryOutputSerializer(many=True)


@extend_schema_serializer(component_name="MapLibreStyle")
class MapStyleOutputSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="MapLibre style specification version: 8")
    name = serializers.CharField()
    center = serializers.ListField(
        child=serializers.FloatField(), help_text="[longitude, latitude]"
    )
    zoom = serializers.IntegerField()
    sources = serializers.DictField(
        child=serializers.DictField(),
        help_text=(
            'One vector source named after the tileset: `{"type": "vector", "url": '
            "<TileJSON URL>}`. Its requests need the same bearer token."
        ),
    )
    layers = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "A background, then per vector layer: circles for points, lines for lines, "
            "fills with outlines for polygons; all three when the geometry is unknown."
        ),
    )


def map_style_document(*, info: TilesetInfo, tilejson_url: str) -> dict:
    """A MapLibre style of the tileset, its one source read through its TileJSON."""
    longitude, latitude, zoom = info.center
    source = {"type": "vector", "url": tilejson_url}
    if info.attribution:
        source["attribution"] = info.attribution
    return {
        "version": STYLE_VERSION,
        "name": info.name,
        "center": [longitude, latitude],
        "zoom": zoom,
        "sources": {info.name: source},
        "layers": map_style_layers(info=info),
    }
