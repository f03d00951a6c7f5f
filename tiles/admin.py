"""The tilesets page of the admin: every tileset, and a MapLibre preview of one."""

from dataclasses import dataclass

from django.contrib import admin
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse

from tiles.models import Tileset
from tiles.preview_tokens import preview_token_issue
from tiles.public_urls import public_origin, style_url
from tiles.tileset_registry import tileset_registry
from tiles.tilesets import TileArchive

MAPLIBRE_SCRIPT = "maplibre-gl/maplibre-gl.js"
# Web Mercator stops short of the poles; world bounds must be clamped to fit the map to them.
MERCATOR_MAX_LATITUDE = 85.0511


@dataclass(frozen=True)
class TilesetRow:
    name: str
    format: str
    minzoom: int
    maxzoom: int
    bounds: tuple[float, float, float, float]
    file_size: int
    tile_count: int | None

    @classmethod
    def of(cls, archive: TileArchive) -> "TilesetRow":
        info = archive.info
        return cls(
            name=info.name,
            format=f"{archive.path.suffix.lstrip('.')} ({info.format}, {info.compression})",
            minzoom=info.minzoom,
            maxzoom=info.maxzoom,
            bounds=info.bounds,
            file_size=archive.identity.size,
            tile_count=info.tile_count,
        )


@admin.register(Tileset)
class TilesetAdmin(admin.ModelAdmin):
    """Read-only: tilesets are files in TILESETS_DIR, not rows."""

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="tiles_tileset_changelist",
            )
        ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        archives = tileset_registry().all()
        rows = [TilesetRow.of(archive) for archive in archives]
        selected = next((row for row in rows if row.name == request.GET.get("tileset")), None)
        if selected is None and rows:
            selected = rows[0]
        context = {
            **self.admin_site.each_context(request),
            "title": "Tilesets",
            "opts": self.opts,
            "rows": rows,
            "selected": selected,
            "page_url": reverse("admin:tiles_tileset_changelist"),
            "maplibre_installed": finders.find(MAPLIBRE_SCRIPT) is not None,
            "maplibre_script": MAPLIBRE_SCRIPT,
            **(extra_context or {}),
        }
        if selected is not None:
            token = preview_token_issue(staff_username=request.user.get_username())
            west, south, east, north = selected.bounds
            context["token_expires_at"] = token.expires_at
            context["preview"] = {
                "tileset": selected.name,
                "styleUrl": style_url(request=request, name=selected.name),
                "apiOrigin": public_origin(request=request),
                "token": token.access_token,
                "expiresAt": token.expires_at.isoformat(),
                "bounds": [
                    [west, max(south, -MERCATOR_MAX_LATITUDE)],
                    [east, min(north, MERCATOR_MAX_LATITUDE)],
                ],
                "minzoom": selected.minzoom,
            }
        # admin_view marks the page never_cache: the token in it stays out of caches.
        return TemplateResponse(request, "admin/tiles/tileset/preview.html", context)
