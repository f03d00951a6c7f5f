import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.tiles.archives import mbtiles_write, pmtiles_write, pyramid
from tiles.directory_cache import DirectoryCache
from tiles.directory_index import index_build_lock
from tiles.tileset_registry import TilesetRegistry


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _registry(directory: Path, clock=None, rescan_seconds: float = 2) -> TilesetRegistry:
    return TilesetRegistry(
        directory,
        rescan_seconds=rescan_seconds,
        directory_cache=DirectoryCache(16 * 1024 * 1024),
        index_directory=directory.parent / f"{directory.name}-index",
        clock=clock or ManualClock(),
    )


def _replace(path: Path, build) -> None:
    """Write a new version next to `path` and rename it over, as deployments should."""
    staging = path.with_suffix(".partial")
    build(staging)
    os.replace(staging, path)


def _open_descriptors_of_deleted(path: Path) -> list[str]:
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target == f"{path} (deleted)":
            links.append(target)
    return links


def test_names_are_file_stems_of_both_formats(tmp_path):
    pmtiles_write(tmp_path / "roads.pmtiles", pyramid(1))
    mbtiles_write(tmp_path / "parks.mbtiles", pyramid(1))
    (tmp_path / "notes.txt").write_text("not a tileset")
    registry = _registry(tmp_path)
    assert [archive.info.name for archive in registry.all()] == ["parks", "roads"]
    assert registry.get("roads").info.compression == "gzip"
    assert registry.get("notes") is None


def test_lookups_within_the_interval_do_not_scan_the_directory(tmp_path):
    clock = ManualClock()
    registry = _registry(tmp_path, clock)
    assert registry.get("late") is None
    pmtiles_write(tmp_path / "late.pmtiles", pyramid(0))
    clock.now += 1.9
    assert registry.get("late") is None
    clock.now += 0.2
    assert registry.get("late") is not None


def test_removed_file_disappears_after_the_interval(tmp_path):
    clock = ManualClock()
    pmtiles_write(tmp_path / "gone.pmtiles", pyramid(0))
    registry = _registry(tmp_path, clock)
    assert registry.get("gone") is not None
    (tmp_path / "gone.pmtiles").unlink()
    clock.now += 2
    assert registry.get("gone") is None


def test_unchanged_file_keeps_its_open_archive(tmp_path):
    clock = ManualClock()
    pmtiles_write(tmp_path / "same.pmtiles", pyramid(0))
    registry = _registry(tmp_path, clock)
    first = registry.get("same")
    clock.now += 10
    assert registry.get("same") is first


def test_replaced_file_gets_a_new_archive_and_the_old_file_is_closed(tmp_path):
    clock = ManualClock()
    path = tmp_path / "swap.pmtiles"
    pmtiles_write(path, pyramid(1), attribution="version 1")
    registry = _registry(tmp_path, clock)
    old = registry.get("swap")

    _replace(path, lambda staging: pmtiles_write(staging, pyramid(2), attribution="version 2"))
    clock.now += 2
    new = registry.get("swap")
    assert new is not old
    assert (new.info.attribution, new.info.maxzoom) == ("version 2", 2)
    assert new.identity.version != old.identity.version
    # A request still holding the old version reads it to the end.
    assert old.closed is False
    assert old.tile(1, 0, 0) is not None
    assert _open_descriptors_of_deleted(path) != []

    registry.index_builds_join()
    del old
    assert _open_descriptors_of_deleted(path) == []


def test_an_archive_whose_index_build_failed_still_closes_once_replaced(tmp_path, caplog):
    clock = ManualClock()
    path = tmp_path / "swap.pmtiles"
    pmtiles_write(path, pyramid(1))
    # A file where the index directory should be: every build fails, and the failure is
    # logged with its traceback (kept by the log capture, as by any error tracker).
    (tmp_path.parent / f"{tmp_path.name}-index").write_text("not a directory")
    registry = _registry(tmp_path, clock)
    old = registry.get("swap")
    registry.index_builds_join()
    assert "tile_index_failed" in [record.msg for record in caplog.records]
    assert old.tile(1, 0, 0) is not None

    _replace(path, lambda staging: pmtiles_write(staging, pyramid(2)))
    clock.now += 2
    assert registry.get("swap") is not old
    registry.index_builds_join()
    del old
    assert _open_descriptors_of_deleted(path) == []


def test_replaced_mbtiles_file_is_picked_up(tmp_path):
    clock = ManualClock()
    path = tmp_path / "db.mbtiles"
    mbtiles_write(path, pyramid(1), metadata={"attribution": "one"})
    registry = _registry(tmp_path, clock)
    assert registry.get("db").info.attribution == "one"
    _replace(
        path, lambda staging: mbtiles_write(staging, pyramid(1), metadata={"attribution": "two"})
    )
    clock.now += 2
    assert registry.get("db").info.attribution == "two"


def test_unreadable_file_is_skipped_and_retried_only_when_it_changes(tmp_path):
    clock = ManualClock()
    broken = tmp_path / "broken.pmtiles"
    broken.write_bytes(b"half a copy")
    pmtiles_write(tmp_path / "good.pmtiles", pyramid(0))
    registry = _registry(tmp_path, clock)
    assert registry.get("broken") is None
    assert registry.get("good") is not None
    _replace(broken, lambda staging: pmtiles_write(staging, pyramid(0)))
    clock.now += 2
    assert registry.get("broken") is not None


def test_pmtiles_wins_over_mbtiles_of_the_same_name(tmp_path):
    mbtiles_write(tmp_path / "twin.mbtiles", pyramid(0))
    pmtiles_write(tmp_path / "twin.pmtiles", pyramid(0))
    registry = _registry(tmp_path)
    assert registry.get("twin").path.suffix == ".pmtiles"


def test_missing_directory_serves_no_tilesets(tmp_path):
    registry = _registry(tmp_path / "absent")
    assert registry.all() == []


def test_warm_maps_an_index_already_on_disk_without_parsing_leaves(tmp_path):
    pmtiles_write(tmp_path / "leafy.pmtiles", pyramid(4), leaf_size=32)
    builder = _registry(tmp_path)
    builder.scan()
    builder.index_builds_join()
    # A fresh process finds the index on disk: nothing to build, nothing to parse.
    registry = _registry(tmp_path)
    assert registry.warm() == 1
    assert registry.get("leafy").tile(4, 3, 5) is not None
    assert registry.directory_cache.size_bytes == 0


def test_replaced_archive_is_served_from_a_new_index_and_the_old_one_is_removed(tmp_path):
    clock = ManualClock()
    path = tmp_path / "swap.pmtiles"
    pmtiles_write(path, pyramid(2, minzoom=2), leaf_size=4)
    registry = _registry(tmp_path, clock)
    registry.scan()
    registry.index_builds_join()
    index_dir = registry.index_directory
    old_index = sorted(index_dir.glob("swap-*.idx"))
    assert len(old_index) == 1
    assert registry.get("swap").indexed

    replacement = pyramid(2, minzoom=2)
    replacement[(2, 1, 1)] = b"replaced tile"
    _replace(path, lambda staging: pmtiles_write(staging, replacement, leaf_size=4))
    clock.now += 2
    new = registry.get("swap")
    registry.index_builds_join()
    assert new.indexed
    new_index = sorted(index_dir.glob("swap-*.idx"))
    assert len(new_index) == 1
    assert new_index != old_index
    assert not old_index[0].exists()
    assert gzip.decompress(new.tile(2, 1, 1).data) == b"replaced tile"


def test_removed_archive_loses_its_index(tmp_path):
    clock = ManualClock()
    pmtiles_write(tmp_path / "gone.pmtiles", pyramid(1))
    registry = _registry(tmp_path, clock)
    registry.scan()
    registry.index_builds_join()
    assert len(list(registry.index_directory.glob("gone-*.idx"))) == 1
    (tmp_path / "gone.pmtiles").unlink()
    clock.now += 2
    assert registry.get("gone") is None
    assert list(registry.index_directory.glob("gone-*.idx")) == []


def test_request_before_the_index_is_ready_is_answered_from_the_directories(tmp_path):
    tiles = pyramid(3)
    pmtiles_write(tmp_path / "late.pmtiles", tiles, leaf_size=8)
    registry = _registry(tmp_path)
    # Another process holding the build lock keeps the index from being built for now.
    with index_build_lock(registry.index_directory):
        archive = registry.get("late")
        assert not archive.indexed
        assert gzip.decompress(archive.tile(3, 5, 2).data) == tiles[(3, 5, 2)]
    registry.index_builds_join()
    assert archive.indexed
    assert gzip.decompress(archive.tile(3, 5, 2).data) == tiles[(3, 5, 2)]


_WORKER = """
import json, sys, time
from pathlib import Path
from tiles.directory_cache import DirectoryCache
from tiles.directory_index import index_build_lock
from tiles.tileset_registry import TilesetRegistry

registry = TilesetRegistry(
    Path(sys.argv[1]), rescan_seconds=60, directory_cache=DirectoryCache(1 << 20),
    index_directory=Path(sys.argv[2]),
)
registry.warm()
registry.index_builds_join(timeout=60)
archive = registry.get("shared")
maps = [line.split() for line in open("/proc/self/maps") if line.rstrip().endswith(".idx")]
print(json.dumps({
    "indexed": archive.indexed,
    "tile": archive.tile(3, 2, 6).data.hex(),
    "mapped": sorted({(int(fields[4]), fields[5]) for fields in maps}),
}))
"""


def test_two_worker_processes_share_one_index_file(tmp_path):
    tiles = pyramid(3)
    pmtiles_write(tmp_path / "shared.pmtiles", tiles, leaf_size=8)
    index_dir = tmp_path.parent / f"{tmp_path.name}-index"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(tmp_path), str(index_dir)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )
        for _ in range(2)
    ]
    answers = [json.loads(worker.communicate(timeout=60)[0]) for worker in workers]
    (index_file,) = index_dir.glob("shared-*.idx")
    expected = [[index_file.stat().st_ino, str(index_file)]]
    for answer in answers:
        assert answer["indexed"] is True
        assert gzip.decompress(bytes.fromhex(answer["tile"])) == tiles[(3, 2, 6)]
        assert answer["mapped"] == expected
