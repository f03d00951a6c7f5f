"""PMTiles objects in a bucket prefix or an HTTP(S) folder, listed and read by byte ranges.

obstore (the Rust `object_store` crate) speaks S3 (AWS and every S3-compatible store through
an endpoint) and plain HTTP. Nothing is ever downloaded whole: a read is one range request.
Every read names the object version it expects (`If-Match` on the ETag, and the version the
answer reports is checked too, for HTTP servers that ignore `If-Match`), so that offsets
taken from one version never return the bytes of another.

Requests time out (TILES_REMOTE_TIMEOUT_SECONDS, connecting within a second) and are retried
once within that time: a store that is down or slow costs a request a few seconds at most
and surfaces as `TilesetStoreUnavailableError`, which the API answers with a 503.

A bucket is listed with the S3 API. An HTTP folder is listed from its index page (the links
to `*.pmtiles` files that nginx autoindex, Apache, Caddy `file_server browse` or
`python -m http.server` write), since plain HTTP has no listing of its own.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from hashlib import sha256
from html import unescape
from urllib.parse import unquote, urlsplit

import obstore
from obstore.exceptions import BaseError, NotFoundError, PreconditionError
from obstore.store import HTTPStore, S3Store

logger = logging.getLogger(__name__)

SUFFIX = ".pmtiles"
_LINK = re.compile(r"""href\s*=\s*["']([^"'#?]+)["']""", re.IGNORECASE)


class TilesetStoreUnavailableError(Exception):
    """The store did not answer in time, or answered with an error."""


class ObjectReplacedError(TilesetStoreUnavailableError):
    """The object is no longer the version being read: it was replaced or removed."""


@dataclass(frozen=True)
class ObjectVersion:
    """One version of one object: what a listing reports and what every read must match."""

    key: str
    size: int
    etag: str | None
    last_modified: str

    @property
    def stem(self) -> str:
        return self.key.rsplit("/", 1)[-1].removesuffix(SUFFIX)

    @cached_property
    def version(self) -> str:
        """A short token that changes with every version of the object, for tile ETags."""
        digest = sha256(f"{self.key}\0{self.etag}\0{self.last_modified}\0{self.size}".encode())
        return digest.hexdigest()[:16]


class TilesetStore:
    """Range reads and listings of the `*.pmtiles` objects under one URL."""

    def __init__(self, url: str, *, timeout_seconds: float, s3_config: dict | None = None):
        self.url = url if url.endswith("/") else url + "/"
        self.scheme = urlsplit(self.url).scheme
        client_options = {
            "timeout": timedelta(seconds=timeout_seconds),
            "connect_timeout": timedelta(seconds=min(1.0, timeout_seconds)),
        }
        retry_config = {
            "max_retries": 1,
            "retry_timeout": timedelta(seconds=timeout_seconds),
            "backoff": {
                "init_backoff": timedelta(milliseconds=50),
                "max_backoff": timedelta(milliseconds=500),
                "base": 2,
            },
        }
        if self.scheme == "s3":
            config = {key: value for key, value in (s3_config or {}).items() if value}
            if config.get("endpoint", "").startswith("http://"):
                client_options["allow_http"] = True
            self._store = S3Store.from_url(
                self.url,
                config=config,
                client_options=client_options,
                retry_config=retry_config,
            )
        elif self.scheme in ("http", "https"):
            if self.scheme == "http":
                client_options["allow_http"] = True
            self._store = HTTPStore.from_url(
                self.url, client_options=client_options, retry_config=retry_config
            )
        else:
            raise ValueError(f"TILESETS_URL must be s3://, http:// or https://, not {url!r}")

    def index_key(self, version: ObjectVersion, *, header: bytes) -> str:
        """The identity of one object version, as it appears in its index file's name."""
        digest = sha256(f"{self.url}\0{version.key}\0{version.version}\0".encode())
        digest.update(header)
        return digest.hexdigest()[:20]

    def objects_list(self) -> dict[str, ObjectVersion]:
        """Every `*.pmtiles` object directly under the URL, by tileset name."""
        try:
            versions = self._bucket_list() if self.scheme == "s3" else self._folder_list()
        except BaseError as exc:
            raise TilesetStoreUnavailableError(f"listing {self.url}: {_first_line(exc)}") from exc
        return {version.stem: version for version in sorted(versions, key=lambda v: v.key)}

    def read(self, version: ObjectVersion, offset: int, length: int) -> bytes:
        """`length` bytes at `offset` of exactly this version of the object."""
        if length <= 0:
            return b""
        options = {"range": (offset, offset + length)}
        if version.etag:
            options["if_match"] = version.etag
        try:
            result = obstore.get(self._store, version.key, options=options)
            meta = result.meta
            data = result.bytes()
        except (PreconditionError, NotFoundError) as exc:
            raise ObjectReplacedError(f"{version.key}: {_first_line(exc)}") from exc
        except BaseError as exc:
            raise TilesetStoreUnavailableError(f"{version.key}: {_first_line(exc)}") from exc
        if meta["size"] != version.size or (
            version.etag and meta.get("e_tag") and meta["e_tag"] != version.etag
        ):
            raise ObjectReplacedError(f"{version.key}: the object changed while being read")
        return data.to_bytes()

    def _bucket_list(self) -> list[ObjectVersion]:
        # `list_with_delimiter` keeps the listing to this prefix's own objects, not sub-folders.
        listing = obstore.list_with_delimiter(self._store)
        return [_version(meta) for meta in listing["objects"] if meta["path"].endswith(SUFFIX)]

    def _folder_list(self) -> list[ObjectVersion]:
        page = obstore.get(self._store, "").bytes().to_bytes()
        text = page.decode("utf-8", "replace")
        names = set()
        for link in _LINK.findall(text):
            name = unquote(unescape(link)).removeprefix("./")
            if name.endswith(SUFFIX) and "/" not in name and ":" not in name:
                names.add(name)
        versions = []
        for name in sorted(names):
            try:
                versions.append(_version(obstore.head(self._store, name)))
            except NotFoundError:
                # Listed by a stale index page: skipped until it is there.
                continue
        return versions


def _version(meta: dict) -> ObjectVersion:
    return ObjectVersion(
        key=meta["path"],
        size=meta["size"],
        etag=meta.get("e_tag"),
        last_modified=meta["last_modified"].isoformat() if meta.get("last_modified") else "",
    )


def _first_line(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0][:300]
