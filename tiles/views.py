"""Vector tiles, TileJSON and the tileset catalog of the Geog API."""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from authn.geog_authentication import GeogTokenAuthentication
from authn.geog_permissions import scope_required
from errors import catalog
from errors.openapi import geog_responses
from tiles.rate_limits import RateLimitedMixin
from tiles.selectors import (
    tile_locate,
    tile_read,
    tilejson_build,
    tileset_catalog,
    tileset_get,
)

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
TILEJSON_CACHE_CONTROL = "private, max-age=3600"

_AUTH_ERRORS = (
    catalog.AUTH_REQUIRED,
    catalog.GEOG_INVALID_TOKEN,
    catalog.GEOG_TOKEN_EXPIRED,
    catalog.GEOG_INSUFFICIENT_SCOPE,
    catalog.GEOG_RATE_LIMIT_EXCEEDED,
)


def _json_errors(*specs) -> dict:
    """Envelope responses documented as JSON, whatever the view renders on success."""
    return {
        (status, "application/json"): answer for status, answer in geog_responses(*specs).items()
    }


class MapboxVectorTileRenderer(BaseRenderer):
    media_type = MVT_MEDIA_TYPE
    format = "mvt"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class SingleMediaTypeNegotiation(BaseContentNegotiation):
    """A tile is a tile whatever the Accept header asks for: never a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class GeogTilesView(RateLimitedMixin, APIView):
    """Token with `tiles:read`, counted against the organization's tiles limit."""

    authentication_classes = [GeogTokenAuthentication]
    permission_classes = [scope_required("tiles:read")]
    rate_limit_family = "tiles"


class TileView(GeogTilesView):
    renderer_classes = [MapboxVectorTileRenderer]
    content_negotiation_class = SingleMediaTypeNegotiation

    @extend_schema(
        operation_id="tile_get",
        summary="One Mapbox vector tile",
        description=(
            "Tiles stored gzip-compressed are sent as stored with `Content-Encoding: gzip` "
            "when `Accept-Encoding` allows gzip, and decompressed otherwise. Strong `ETag`; "
            "`If-None-Match` answers 304. A z, x or y that is not a non-negative integer is "
            "`TILE_NOT_FOUND`, like a number outside the tileset's range."
        ),
        tags=["geog-tiles"],
        responses={
            (200, MVT_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The tile"),
            204: OpenApiResponse(description="No tile at this address: empty"),
            304: OpenApiResponse(description="The tile matches `If-None-Match`"),
            **_json_errors(
                catalog.GEOG_INVALID_EXTENSION,
                catalog.GEOG_TILESET_NOT_FOUND,
                catalog.GEOG_TILE_NOT_FOUND,
                *_AUTH_ERRORS,
            ),
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
    )
    def get(self, request, tileset: str, z: str, x: str, y: str, ext: str | None = None):
        address = tile_locate(tileset=tileset, z=z, x=x, y=y, ext=ext)
        gzip_accepted = _gzip_accepted(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        etag = address.etag(gzip_accepted=gzip_accepted)
        if _etag_matches(request.META.get("HTTP_IF_NONE_MATCH"), etag):
            response = HttpResponseNotModified()
        else:
            content = tile_read(address=address, gzip_accepted=gzip_accepted)
            if content is None:
                response = HttpResponse(status=204)
                del response["Content-Type"]
            else:
                response = HttpResponse(content.data, content_type=MVT_MEDIA_TYPE)
                if content.gzip_encoded:
                    response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        response["Cache-Control"] = settings.TILE_CACHE_CONTROL
        response["Vary"] = "Accept-Encoding"
        return response


@extend_schema(exclude=True)
class TileWithoutExtensionView(TileView):
    """A tile path with no extension, so that it fails the extension check, not routing."""


class TilesetMetadataView(GeogTilesView):
    @extend_schema_serializer(component_name="TileJSON")
    class OutputSerializer(serializers.Serializer):
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

    @extend_schema(
        operation_id="tileset_metadata",
        summary="TileJSON 3.0.0 of a tileset",
        tags=["geog-tiles"],
        responses={
            200: OpenApiResponse(OutputSerializer, description="TileJSON 3.0.0"),
            **geog_responses(catalog.GEOG_TILESET_NOT_FOUND, *_AUTH_ERRORS),
        },
    )
    def get(self, request, tileset: str):
        info = tileset_get(name=tileset).info
        document = tilejson_build(info=info, tiles_url=_tiles_url(request, info.name))
        # tilejson_build already gives the documented shape; running it through the
        # serializer again would cost more than the rest of the request.
        response = Response(document)
        response["Cache-Control"] = TILEJSON_CACHE_CONTROL
        return response


class TilesetCatalogView(GeogTilesView):
    @extend_schema_serializer(component_name="TilesetCatalog")
    class OutputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="TilesetSummary")
        class TilesetSerializer(serializers.Serializer):
            name = serializers.CharField()
            format = serializers.CharField()
            minzoom = serializers.IntegerField()
            maxzoom = serializers.IntegerField()
            bounds = serializers.ListField(
                child=serializers.FloatField(), help_text="[west, south, east, north]"
            )

        tilesets = TilesetSerializer(many=True)

    @extend_schema(
        operation_id="tileset_catalog",
        summary="Every tileset served",
        tags=["geog-tiles"],
        responses={
            200: OpenApiResponse(OutputSerializer, description="The tilesets"),
            **geog_responses(*_AUTH_ERRORS),
        },
    )
    def get(self, request):
        return Response(self.OutputSerializer({"tilesets": tileset_catalog()}).data)


def _tiles_url(request, name: str) -> str:
    """The absolute tile URL template, on the public base URL when one is configured."""
    origin = settings.GEOG_PUBLIC_BASE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1]
    catalog_path = reverse("geog:tileset-catalog")
    return f"{origin}{catalog_path}/{quote(name)}/{{z}}/{{x}}/{{y}}.mvt"


# Clients send a handful of distinct Accept-Encoding values: each is parsed once per worker.
@lru_cache(maxsize=256)
def _gzip_accepted(accept_encoding: str) -> bool:
    """Whether `Accept-Encoding` allows gzip (explicitly or through `*`) with a non-zero q."""
    allowed: dict[str, bool] = {}
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        allowed[coding.strip()] = quality > 0
    if "gzip" in allowed:
        return allowed["gzip"]
    return allowed.get("x-gzip", allowed.get("*", False))


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison: `W/` prefixes do not matter."""
    if not if_none_match:
        return False
    candidates = parse_etags(if_none_match)
    return "*" in candidates or any(
        candidate.removeprefix("W/") == etag for candidate in candidates
    )
