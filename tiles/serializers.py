"""Bodies of the tile API that are not tiles."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="TileJSON")
class TileJsonOutputSerializer(serializers.Serializer):
    tilejson = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(required=False)
    scheme = serializers.CharField()
    format = serializers.CharField()
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


@extend_schema_serializer(component_name="TilesetSummary")
class TilesetSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    format = serializers.CharField()
    minzoom = serializers.IntegerField()
    maxzoom = serializers.IntegerField()
    bounds = serializers.ListField(
        child=serializers.FloatField(), help_text="[west, south, east, north]"
    )


@extend_schema_serializer(component_name="TilesetCatalog")
class TilesetCatalogOutputSerializer(serializers.Serializer):
    tilesets = TilesetSummarySerializer(many=True)


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
