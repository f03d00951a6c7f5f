"""Reads of tilesets and tiles, with the contract's checks in the contract's order."""

import gzip
import math
from dataclasses import dataclass

from django.conf import settings

from errors import catalog
from errors.exceptions import ApiError
from tiles.tileset_registry import tileset_registry
from tiles.tileset_store import ObjectReplacedError, TilesetStoreUnavailableError
from tiles.tilesets import TileArchive, TilesetInfo

TILE_EXTENSIONS = frozenset({"mvt", "pbf"})


@dataclass(frozen=True)
class TileAddress:
    """A tile that passed every check but the read: its archive and integer z/x/y."""

    archive: TileArchive
    z: int
    x: int
    y: int

    def etag(self, *, gzip_accepted: bool) -> str:
        """A strong ETag naming the file version, the tile and the encoding it is sent in."""
        encoding = "gz" if gzip_accepted else "id"
        return f'"{self.archive.identity.version}-{self.z}-{self.x}-{self.y}-{encoding}"'


@dataclass(frozen=True)
class TileContent:
    """Tile bytes as they go on the wire, and whether they are sent gzip-encoded."""

    data: bytes
    gzip_encoded: bool


def tileset_get(*, name: str) -> TileArchive:
    """The archive of tileset `name`; TILESET_NOT_FOUND when there is none.

    While the tileset store cannot be listed, a name it might hold is unavailable, not absent.
    """
    registry = tileset_registry()
    archive = registry.get(name)
    if archive is None:
        if not registry.store_available:
            raise _store_unavailable()
        raise ApiError(catalog.GEOG_TILESET_NOT_FOUND, name=name)
    return archive


def tile_locate(*, tileset: str, z: str, x: str, y: str, ext: str | None) -> TileAddress:
    """Check extension, tileset, zoom and range in that order, as the contract lists them.

    z/x/y come from the path as text: anything but a non-negative integer is no tile of any
    tileset, so it is TILE_NOT_FOUND with the text echoed, like an out-of-range number.
    """
    if ext not in TILE_EXTENSIONS:
        raise ApiError(catalog.GEOG_INVALID_EXTENSION)
    archive = tileset_get(name=tileset)
    if not (_is_natural(z) and _is_natural(x) and _is_natural(y)):
        raise ApiError(catalog.GEOG_TILE_NOT_FOUND, z=z, x=x, y=y)
    zoom, column, row = int(z), int(x), int(y)
    info = archive.info
    if not info.minzoom <= zoom <= info.maxzoom or column >= 1 << zoom or row >= 1 << zoom:
        raise ApiError(catalog.GEOG_TILE_NOT_FOUND, z=z, x=x, y=y)
    return TileAddress(archive=archive, z=zoom, x=column, y=row)


def tile_read(*, address: TileAddress, gzip_accepted: bool) -> TileContent | None:
    """The tile's bytes, gzip passed through when accepted and inflated otherwise; None if empty."""
    try:
        stored = address.archive.tile(address.z, address.x, address.y)
    except TilesetStoreUnavailableError as exc:
        if isinstance(exc, ObjectReplacedError):
            # The next lookup finds the new version instead of waiting for the interval.
            tileset_registry().rescan_soon()
        raise _store_unavailable() from exc
    if stored is None or not stored.data:
        return None
    if stored.gzipped and not gzip_accepted:
        return TileContent(data=gzip.decompress(stored.data), gzip_encoded=False)
    return TileContent(data=stored.data, gzip_encoded=stored.gzipped)


def tileset_list() -> list[TilesetInfo]:
    """The metadata of every tileset, sorted by name."""
    return [archive.info for archive in tileset_registry().all()]


def _store_unavailable() -> ApiError:
    # The store is listed again after the rescan interval: that is when a retry can succeed.
    seconds = max(1, math.ceil(settings.TILESETS_RESCAN_SECONDS))
    return ApiError(catalog.SERVICE_UNAVAILABLE, headers={"Retry-After": str(seconds)})


def _is_natural(text: str) -> bool:
    return text.isascii() and text.isdigit()
