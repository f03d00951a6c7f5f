"""A PMTiles archive's directories flattened once into a sorted file every worker maps.

Every directory of one archive version (root, every leaf level) is decoded once into
fixed-width arrays sorted by tile id: tile_id (u64), offset (u64), length (u32) and
run_length (u32), one row per run of tiles. Workers `mmap` the file read-only, so the
pages are shared by every process through the page cache, and a lookup is one binary
search over the tile ids whatever the archive's size; no request decodes a directory.

The file name carries the archive's identity (absolute path, inode, size, mtime and the
PMTiles header): a replaced archive gets a new index, never a stale one. Files are built
to a temporary name and renamed into place, under a cross-process lock so that one
process builds while the others wait and then map its result.
"""

import fcntl
import hashlib
import mmap
import os
import re
import struct
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pmtiles.tile import deserialize_directory, deserialize_header

from tiles.tilesets import FileIdentity

MAGIC = b"PMTIDX01"
_PREAMBLE = struct.Struct("<8sQ")
HEADER_BYTES = 127
# The PMTiles v3 spec allows at most three levels of directories below the root.
MAX_DIRECTORY_DEPTH = 4
SUFFIX = ".idx"
LOCK_NAME = ".build.lock"
_INDEX_NAME = re.compile(r"^(?P<stem>.+)-(?P<key>[0-9a-f]{20})\.idx$")


class DirectoryIndexError(Exception):
    """An index file that is truncated, foreign, or an archive whose directories are bad."""


def index_key(*, path: Path, identity: FileIdentity, header: bytes) -> str:
    """The identity of one archive version, as it appears in its index file's name."""
    digest = hashlib.sha256()
    digest.update(str(Path(path).absolute()).encode())
    digest.update(struct.pack("<QQQ", identity.inode, identity.size, identity.mtime_ns))
    digest.update(header)
    return digest.hexdigest()[:20]


def index_path(*, directory: Path, stem: str, key: str) -> Path:
    """Where the index of archive version `key` of tileset `stem` lives."""
    return Path(directory) / f"{stem}-{key}{SUFFIX}"


class DirectoryIndex:
    """One index file mapped read-only; lookups are safe from any number of threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with self.path.open("rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size < _PREAMBLE.size:
                raise DirectoryIndexError(f"{self.path.name}: truncated")
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        magic, count = _PREAMBLE.unpack_from(self._map, 0)
        if magic != MAGIC or size != _PREAMBLE.size + 24 * count:
            self._map.close()
            raise DirectoryIndexError(f"{self.path.name}: not a tile index")
        self.count = count
        view = memoryview(self._map)
        start = _PREAMBLE.size
        self._views = [view]
        self._tile_ids = self._section(view, start, 8 * count, "Q")
        self._offsets = self._section(view, start + 8 * count, 8 * count, "Q")
        self._lengths = self._section(view, start + 16 * count, 4 * count, "I")
        self._run_lengths = self._section(view, start + 20 * count, 4 * count, "I")

    def _section(self, view: memoryview, start: int, length: int, code: str) -> memoryview:
        section = view[start : start + length].cast(code)
        self._views.append(section)
        return section

    def lookup(self, tile_id: int) -> tuple[int, int] | None:
        """(offset in the tile data, length) of `tile_id`, or None when no run covers it."""
        row = bisect_right(self._tile_ids, tile_id) - 1
        if row < 0 or tile_id >= self._tile_ids[row] + self._run_lengths[row]:
            return None
        return self._offsets[row], self._lengths[row]

    def close(self) -> None:
        # The map cannot close while views into it exist; sections go first, the base last.
        for view in reversed(self._views):
            view.release()
        self._views.clear()
        self._map.close()


# Reads `length` bytes of the archive at `offset`: a pread of a file, a range of an object.
ArchiveRead = Callable[[int, int], bytes]


def descriptor_read(fd: int) -> ArchiveRead:
    """Reads of the archive version open at `fd`."""
    return lambda offset, length: os.pread(fd, length, offset)


def directory_entries(read: ArchiveRead, header: dict) -> Iterator[tuple[int, int, int, int]]:
    """Every run of tiles of an archive as (tile_id, offset, length, run_length), in order."""
    leaf_base = header["leaf_directory_offset"]
    # Entries are sorted within a directory and leaves cover ascending, disjoint ranges,
    # so a depth-first walk in entry order yields the runs sorted by tile id.
    stack = [(iter(_directory(read, header["root_offset"], header["root_length"])), 0)]
    while stack:
        entries, depth = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
        elif entry.run_length > 0:
            yield entry.tile_id, entry.offset, entry.length, entry.run_length
        elif depth + 1 >= MAX_DIRECTORY_DEPTH:
            raise DirectoryIndexError("directories nested deeper than PMTiles v3 allows")
        else:
            leaf = _directory(read, leaf_base + entry.offset, entry.length)
            stack.append((iter(leaf), depth + 1))


def directory_index_build(
    *, target: Path, fd: int | None = None, read: ArchiveRead | None = None
) -> int:
    """Write the index of the archive open at `fd` (or read by `read`) to `target` atomically.

    Returns its rows. A local archive is read through its descriptor, so a file renamed over
    the path meanwhile cannot slip its directories into the index of the version being
    built; a remote one through reads bound to its object version.
    """
    if read is None:
        read = descriptor_read(fd)
    tile_ids, offsets, lengths, run_lengths = array("Q"), array("Q"), array("I"), array("I")
    header = deserialize_header(read(0, HEADER_BYTES))
    for tile_id, offset, length, run_length in directory_entries(read, header):
        tile_ids.append(tile_id)
        offsets.append(offset)
        lengths.append(length)
        run_lengths.append(run_length)
    if any(tile_ids[row] <= tile_ids[row - 1] for row in range(1, len(tile_ids))):
        # Out-of-order leaves are not forbidden by the spec; sort the rows together.
        order = sorted(range(len(tile_ids)), key=tile_ids.__getitem__)
        tile_ids, offsets, lengths, run_lengths = (
            array(column.typecode, (column[row] for row in order))
            for column in (tile_ids, offsets, lengths, run_lengths)
        )
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_PREAMBLE.pack(MAGIC, len(tile_ids)))
            for column in (tile_ids, offsets, lengths, run_lengths):
                if column.itemsize != {"Q": 8, "I": 4}[column.typecode]:
                    raise DirectoryIndexError("this platform's array widths differ from u64/u32")
                column.tofile(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(tile_ids)


@contextmanager
def index_build_lock(directory: Path) -> Iterator[None]:
    """Hold the index directory's build lock: one builder at a time across processes."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def directory_index_ensure(
    *, target: Path, fd: int | None = None, read: ArchiveRead | None = None
) -> bool:
    """Build the index at `target` unless it exists; True when this call built it."""
    with index_build_lock(target.parent):
        if target.exists():
            return False
        directory_index_build(fd=fd, read=read, target=target)
        return True


def stale_indexes_remove(*, directory: Path, stems: set[str], current: set[Path]) -> list[Path]:
    """Delete the index files of `stems` that are not in `current`; returns the deleted ones.

    Processes that still map a deleted file keep reading it until they let it go.
    """
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        # No directory (yet) means nothing to remove; serving goes on without indexes.
        return removed
    keep = {path.name for path in current}
    for name in names:
        match = _INDEX_NAME.match(name)
        if match is None or match["stem"] not in stems or name in keep:
            continue
        path = Path(directory) / name
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _directory(read: ArchiveRead, offset: int, length: int):
    return deserialize_directory(read(offset, length))
