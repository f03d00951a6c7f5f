"""The tilesets found in TILESETS_DIR, kept open and in step with the directory.

Lookups never touch the file system: the directory is scanned again at most once every
TILESETS_RESCAN_SECONDS, by the first lookup after the interval, while other threads keep
using the previous snapshot. A file whose identity (inode, size, mtime) is unchanged keeps
its open archive; a new or replaced one is opened (metadata read once per version); a
removed one is dropped. Dropped archives close their file when the last request still
using them lets go, so a replacement never pulls a file out from under a request.

Each PMTiles version is served from its directory index in TILES_INDEX_DIR: mapped at once
when the file exists, else built by a background thread (one process builds, the others
wait on the lock and map the result) while requests use the bounded directory cache.
Indexes of versions no longer in the directory are deleted.

With TILESETS_URL, the `*.pmtiles` objects of a bucket prefix or an HTTP folder are served
beside the files (a file wins over an object of the same name). The listing follows the
same interval; an object whose ETag (or size and date) is unchanged keeps its archive, a
replaced one is opened again, and its index is built once per version on local disk, as
for files. A listing that fails keeps the objects known so far and marks the store
unavailable until a listing succeeds again; a request that finds its object replaced
before the next listing brings that listing forward.
"""

import functools
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from tiles.directory_cache import DirectoryCache
from tiles.directory_index import (
    DirectoryIndex,
    DirectoryIndexError,
    directory_index_ensure,
    index_path,
    stale_indexes_remove,
)
from tiles.mbtiles_archive import MbtilesArchive
from tiles.pmtiles_archive import PmtilesArchive
from tiles.remote_pmtiles_archive import RemotePmtilesArchive
from tiles.tile_byte_cache import TileByteCache
from tiles.tileset_store import (
    ObjectReplacedError,
    ObjectVersion,
    TilesetStore,
    TilesetStoreUnavailableError,
)
from tiles.tilesets import FileIdentity, TileArchive

logger = logging.getLogger(__name__)

SUFFIXES = (".pmtiles", ".mbtiles")


class TilesetRegistry:
    """Name → open archive for every PMTiles and MBTiles file in one directory (and store)."""

    def __init__(
        self,
        directory: Path,
        *,
        rescan_seconds: float,
        directory_cache: DirectoryCache,
        index_directory: Path,
        store: TilesetStore | None = None,
        tile_cache: TileByteCache | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.directory = Path(directory)
        self.rescan_seconds = rescan_seconds
        self.directory_cache = directory_cache
        self.index_directory = Path(index_directory)
        self.store = store
        self.tile_cache = tile_cache
        # False from a failed listing of the store until one succeeds.
        self.store_available = True
        self._unreadable_objects: dict[str, ObjectVersion] = {}
        self._clock = clock
        self._index_builds: list[threading.Thread] = []
        self._pmtiles_stems: set[str] = set()
        self._archives: dict[str, TileArchive] = {}
        self._unreadable: dict[Path, FileIdentity] = {}
        self._next_scan = float("-inf")
        self._scan_lock = threading.Lock()

    def get(self, name: str) -> TileArchive | None:
        """The archive of tileset `name`, or None."""
        if self._clock() >= self._next_scan:
            self._scan_when_due()
        return self._archives.get(name)

    def all(self) -> list[TileArchive]:
        """Every tileset, sorted by name."""
        if self._clock() >= self._next_scan:
            self._scan_when_due()
        return [self._archives[name] for name in sorted(self._archives)]

    def scan(self) -> None:
        """Bring the open archives in step with the directory now."""
        with self._scan_lock:
            self._scan()

    def warm(self) -> int:
        """Scan, mapping or starting to build the indexes; returns how many archives are indexed.

        Leaf directories are not parsed ahead: an index on disk is mapped at once, and
        while one is being built lookups fill the bounded cache as they go.
        """
        self.scan()
        return sum(1 for archive in self._archives.values() if getattr(archive, "indexed", False))

    def rescan_soon(self) -> None:
        """Make the next lookup list again (an object was found replaced meanwhile)."""
        self._next_scan = float("-inf")

    def index_builds_join(self, timeout: float | None = None) -> None:
        """Wait for the index builds started so far (tests, management commands)."""
        for thread in list(self._index_builds):
            thread.join(timeout)

    def _scan_when_due(self) -> None:
        # One thread scans; the others go on with the snapshot they have.
        if not self._scan_lock.acquire(blocking=False):
            return
        try:
            if self._clock() >= self._next_scan:
                self._scan()
        finally:
            self._scan_lock.release()

    def _scan(self) -> None:
        found: dict[str, tuple[Path, FileIdentity]] = {}
        try:
            with os.scandir(self.directory) as entries:
                for entry in entries:
                    path = Path(entry.path)
                    if path.suffix not in SUFFIXES or not entry.is_file():
                        continue
                    if path.stem in found and found[path.stem][0].suffix == ".pmtiles":
                        continue
                    found[path.stem] = (path, FileIdentity.of(entry.stat()))
        except FileNotFoundError:
            # With a store, a node may well keep no tileset files at all.
            if self.store is None:
                logger.warning("tilesets_dir_missing", extra={"directory": str(self.directory)})
        archives: dict[str, TileArchive] = {}
        if self.store is not None:
            archives.update(self._objects_scan(exclude=found.keys()))
        for name, (path, identity) in found.items():
            current = self._archives.get(name)
            if current is not None and current.path == path and current.identity == identity:
                archives[name] = current
                continue
            if self._unreadable.get(path) == identity:
                continue
            archive = self._open(path, name, identity)
            if archive is None:
                self._unreadable[path] = identity
            else:
                self._unreadable.pop(path, None)
                archives[name] = archive
        changed = archives.keys() != self._archives.keys() or any(
            archive is not self._archives.get(name) for name, archive in archives.items()
        )
        # Replacing the dict in one assignment lets lookups read it without a lock.
        self._archives = archives
        if changed:
            self._stale_indexes_remove()
        self._next_scan = self._clock() + self.rescan_seconds

    def _objects_scan(self, *, exclude) -> dict[str, TileArchive]:
        """The archives of the store's objects, opened or kept; the known ones if it fails."""
        known = {
            name: archive
            for name, archive in self._archives.items()
            if isinstance(archive, RemotePmtilesArchive)
        }
        try:
            versions = self.store.objects_list()
        except TilesetStoreUnavailableError:
            logger.warning(
                "tileset_store_unavailable", extra={"url": self.store.url}, exc_info=True
            )
            self.store_available = False
            return {name: archive for name, archive in known.items() if name not in exclude}
        self.store_available = True
        archives: dict[str, TileArchive] = {}
        for name, version in versions.items():
            if name in exclude:
                continue
            current = known.get(name)
            if current is not None and current.identity == version:
                archives[name] = current
                if not current.indexed:
                    # A build that failed while the store was down gets a new try.
                    self._index_provide(current)
                continue
            if self._unreadable_objects.get(version.key) == version:
                continue
            try:
                archive = self._object_open(version, name)
            except TilesetStoreUnavailableError as exc:
                logger.warning(
                    "tileset_store_unavailable", extra={"key": version.key}, exc_info=True
                )
                if not isinstance(exc, ObjectReplacedError):
                    self.store_available = False
                if current is not None:
                    # The new version cannot be read yet: the old one stays until it can.
                    archives[name] = current
                continue
            if archive is not None:
                archives[name] = archive
        return archives

    def _object_open(self, version: ObjectVersion, name: str) -> TileArchive | None:
        try:
            archive = RemotePmtilesArchive(
                version,
                name=name,
                store=self.store,
                directory_cache=self.directory_cache,
                tile_cache=self.tile_cache,
            )
        except TilesetStoreUnavailableError:
            raise
        except Exception:
            # A half-uploaded or foreign object must not take the other tilesets down.
            logger.warning("tileset_unreadable", extra={"key": version.key}, exc_info=True)
            self._unreadable_objects[version.key] = version
            return None
        self._unreadable_objects.pop(version.key, None)
        self._index_provide(archive)
        logger.info("tileset_opened", extra={"tileset": name, "key": version.key})
        return archive

    def _open(self, path: Path, name: str, identity: FileIdentity) -> TileArchive | None:
        try:
            if path.suffix == ".pmtiles":
                archive = PmtilesArchive(
                    path, name=name, identity=identity, directory_cache=self.directory_cache
                )
                self._index_provide(archive)
            else:
                archive = MbtilesArchive(path, name=name, identity=identity)
        except Exception:
            # A half-copied or foreign file must not take the other tilesets down.
            logger.warning("tileset_unreadable", extra={"path": str(path)}, exc_info=True)
            return None
        logger.info("tileset_opened", extra={"tileset": name, "path": str(path)})
        return archive

    def _index_provide(self, archive: PmtilesArchive | RemotePmtilesArchive) -> None:
        """Map the archive's index if it is on disk, else build it in the background."""
        self._pmtiles_stems.add(archive.path.stem)
        target = self._index_target(archive)
        if target.exists():
            try:
                archive.index_attach(DirectoryIndex(target))
                return
            except (OSError, DirectoryIndexError):
                logger.warning("tile_index_unreadable", extra={"path": str(target)}, exc_info=True)
                target.unlink(missing_ok=True)
        self._index_builds = [thread for thread in self._index_builds if thread.is_alive()]
        if any(thread.name == f"tile-index-{target.name}" for thread in self._index_builds):
            return
        thread = threading.Thread(
            target=self._index_build,
            args=(archive, target),
            name=f"tile-index-{target.name}",
            daemon=True,
        )
        self._index_builds.append(thread)
        thread.start()

    def _index_build(self, archive: PmtilesArchive | RemotePmtilesArchive, target: Path) -> None:
        started = time.monotonic()
        try:
            built = directory_index_ensure(read=archive.reader(), target=target)
            archive.index_attach(DirectoryIndex(target))
        except Exception:
            # Lookups keep using the directory cache; the next version gets a new try.
            logger.warning("tile_index_failed", extra={"path": str(target)}, exc_info=True)
            # The logged traceback keeps this frame alive (log capture, error trackers); it
            # must not keep the archive as well, or a replaced file would never be closed.
            del archive
            return
        logger.info(
            "tile_index_ready",
            extra={
                "tileset": archive.info.name,
                "path": str(target),
                "built": built,
                "seconds": round(time.monotonic() - started, 3),
            },
        )

    def _index_target(self, archive: PmtilesArchive | RemotePmtilesArchive) -> Path:
        return index_path(
            directory=self.index_directory, stem=archive.path.stem, key=archive.index_key
        )

    def _stale_indexes_remove(self) -> None:
        current = {
            self._index_target(archive)
            for archive in self._archives.values()
            if isinstance(archive, PmtilesArchive | RemotePmtilesArchive)
        }
        for path in stale_indexes_remove(
            directory=self.index_directory, stems=self._pmtiles_stems, current=current
        ):
            logger.info("tile_index_removed", extra={"path": str(path)})


@functools.cache
def tileset_registry() -> TilesetRegistry:
    """The process-wide registry over settings.TILESETS_DIR and settings.TILESETS_URL."""
    store = None
    if settings.TILESETS_URL:
        store = TilesetStore(
            settings.TILESETS_URL,
            timeout_seconds=settings.TILES_REMOTE_TIMEOUT_SECONDS,
            s3_config={
                "endpoint": settings.AWS_ENDPOINT_URL,
                "region": settings.AWS_S3_REGION_NAME,
                "access_key_id": settings.AWS_ACCESS_KEY_ID,
                "secret_access_key": settings.AWS_SECRET_ACCESS_KEY,
                "session_token": settings.AWS_SESSION_TOKEN,
            },
        )
    return TilesetRegistry(
        Path(settings.TILESETS_DIR),
        rescan_seconds=settings.TILESETS_RESCAN_SECONDS,
        directory_cache=DirectoryCache(settings.TILES_DIRECTORY_CACHE_BYTES),
        index_directory=Path(settings.TILES_INDEX_DIR),
        store=store,
        tile_cache=TileByteCache(settings.TILES_REMOTE_CACHE_BYTES),
    )
