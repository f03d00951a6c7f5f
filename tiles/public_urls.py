"""Absolute URLs of the Geog tile API as callers see them, behind a proxy or not."""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse


def public_origin(*, request) -> str:
    """The service's origin: the configured public base URL, else the request's own."""
    return settings.GEOG_PUBLIC_BASE_URL.rstrip("/") or request.build_absolute_uri("/")[:-1]


def tiles_url(*, request, name: str) -> str:
    """The tile URL template of tileset `name`."""
    catalog_path = reverse("geog:tileset-catalog")
    return f"{public_origin(request=request)}{catalog_path}/{quote(name)}/{{z}}/{{x}}/{{y}}.mvt"


def tilejson_url(*, request, name: str) -> str:
    """The TileJSON URL of tileset `name`."""
    path = reverse("geog:tileset-metadata", kwargs={"tileset": name})
    return public_origin(request=request) + path


def style_url(*, request, name: str) -> str:
    """The MapLibre style URL of tileset `name`."""
    return public_origin(request=request) + reverse("geog:tileset-style", kwargs={"tileset": name})
