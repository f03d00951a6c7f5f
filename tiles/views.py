"""Vector tiles, TileJSON and the tileset catalog of the Geog API."""

from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from accounts.geog_view import GeogView
from accounts.permissions import scope_required
from accounts.rate_limits import organization_rate_limit
from tiles import schema
from tiles.public_urls import tilejson_url, tiles_url
from tiles.selectors import (
    tile_locate,
    tile_read,
    tileset_get,
    tileset_list,
)
from tiles.serializers import (
    TilesetCatalogOutputSerializer,
    map_style_document,
    tilejson_document,
)
from tiles.tilesets import MVT_MEDIA_TYPE

TILEJSON_CACHE_CONTROL = "private, max-age=3600"


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


class GeogTilesView(GeogView):
    """Token with `tiles:read`, counted against the organization's tiles limit."""

    permission_classes = [scope_required("tiles:read")]
    throttle_classes = [organization_rate_limit("tiles")]


class TileView(GeogTilesView):
    renderer_classes = [MapboxVectorTileRenderer]
    content_negotiation_class = SingleMediaTypeNegotiation

    @schema.tile_get
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


@schema.excluded
class TileWithoutExtensionView(TileView):
    """A tile path with no extension, so that it fails the extension check, not routing."""


class TilesetMetadataView(GeogTilesView):
    @schema.tileset_metadata
    def get(self, request, tileset: str):
        info = tileset_get(name=tileset).info
        document = tilejson_document(
            info=info, tiles_url=tiles_url(request=request, name=info.name)
        )
        response = Response(document)
        response["Cache-Control"] = TILEJSON_CACHE_CONTROL
        return response


class TilesetStyleView(GeogTilesView):
    @schema.tileset_style
    def get(self, request, tileset: str):
        info = tileset_get(name=tileset).info
        response = Response(
            map_style_document(
                info=info, tilejson_url=tilejson_url(request=request, name=info.name)
            )
        )
        response["Cache-Control"] = TILEJSON_CACHE_CONTROL
        return response


class TilesetCatalogView(GeogTilesView):
    @schema.tileset_catalog
    def get(self, request):
        return Response(TilesetCatalogOutputSerializer({"tilesets": tileset_list()}).data)


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
