"""Tilesets in object storage: moto's S3 server and a plain HTTP folder, both on 127.0.0.1."""

import gzip
import shutil
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pmtiles.reader import MmapSource, Reader

from tests.object_storage import S3Server
from tests.tiles.archives import mbtiles_write, mvt_tile, pmtiles_write, pyramid
from tiles.directory_cache import DirectoryCache
from tiles.directory_index import DirectoryIndex, directory_index_build
from tiles.remote_pmtiles_archive import RemotePmtilesArchive
from tiles.tile_byte_cache import TileByteCache
from tiles.tileset_registry import TilesetRegistry, tileset_registry
from tiles.tileset_store import TilesetStore

PROPERTY = hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def bucket_tilesets(s3_settings, s3_bucket, tmp_path):
    """TILESETS_URL on a new bucket prefix; no tileset files; rescans on every lookup."""
    s3_settings.TILESETS_URL = s3_bucket.url
    s3_settings.TILESETS_DIR = tmp_path / "no-files"
    s3_settings.TILES_INDEX_DIR = tmp_path / "tile-index"
    s3_settings.TILESETS_RESCAN_SECONDS = 0
    return s3_bucket


def _registry(store: TilesetStore, index_directory: Path, cache_bytes: int = 1 << 24):
    return TilesetRegistry(
        index_directory.parent / "no-files",
        rescan_seconds=0,
        directory_cache=DirectoryCache(1 << 24),
        index_directory=index_directory,
        store=store,
        tile_cache=TileByteCache(cache_bytes),
    )


def _sparse_tiles(draw_keep: list[bool], maxzoom: int) -> dict[tuple[int, int, int], bytes]:
    addresses = sorted(pyramid(maxzoom))
    kept = [address for address, keep in zip(addresses, draw_keep, strict=True) if keep]
    tiles = {address: mvt_tile(*address) for address in kept}
    return tiles or {(0, 0, 0): mvt_tile(0, 0, 0)}


def _every_address(maxzoom: int):
    return [(z, x, y) for z in range(maxzoom + 1) for x in range(1 << z) for y in range(1 << z)]


def _assert_same_as_pmtiles_reader(archive, path: Path, maxzoom: int) -> None:
    with path.open("rb") as file:
        reader = Reader(MmapSource(file))
        for z, x, y in _every_address(maxzoom):
            expected = reader.get(z, x, y)
            stored = archive.tile(z, x, y)
            assert (stored.data if stored else None) == expected, (z, x, y)


@PROPERTY
@given(
    keep=st.lists(st.booleans(), min_size=85, max_size=85),
    leaf_size=st.sampled_from([None, 4, 16]),
    gzipped=st.booleans(),
)
def test_every_tile_from_the_bucket_is_the_pmtiles_readers(
    bucket_tilesets, s3_settings, tmp_path_factory, keep, leaf_size, gzipped
):
    work = tmp_path_factory.mktemp("archive")
    tiles = _sparse_tiles(keep, maxzoom=3)
    path = pmtiles_write(work / "roads.pmtiles", tiles, gzipped=gzipped, leaf_size=leaf_size)
    bucket_tilesets.put(path)
    store = TilesetStore(
        bucket_tilesets.url,
        timeout_seconds=3,
        s3_config={
            "endpoint": s3_settings.AWS_ENDPOINT_URL,
            "region": s3_settings.AWS_S3_REGION_NAME,
            "access_key_id": s3_settings.AWS_ACCESS_KEY_ID,
            "secret_access_key": s3_settings.AWS_SECRET_ACCESS_KEY,
        },
    )
    version = store.objects_list()["roads"]
    archive = RemotePmtilesArchive(
        version,
        name="roads",
        store=store,
        directory_cache=DirectoryCache(1 << 24),
        tile_cache=TileByteCache(1 << 24),
    )
    # Without an index, lookups walk the directories read from the bucket...
    _assert_same_as_pmtiles_reader(archive, path, maxzoom=3)
    target = work / "roads.idx"
    directory_index_build(read=archive.reader(), target=target)
    archive.index_attach(DirectoryIndex(target))
    # ...and with one, they go through the index built from the bucket's directories.
    _assert_same_as_pmtiles_reader(archive, path, maxzoom=3)
    archive.close()


@PROPERTY
@given(keep=st.lists(st.booleans(), min_size=85, max_size=85), leaf_size=st.sampled_from([4, 16]))
def test_every_tile_from_an_http_folder_is_the_pmtiles_readers(
    http_folder, tmp_path_factory, keep, leaf_size
):
    folder, url, _requests = http_folder
    work = tmp_path_factory.mktemp("archive")
    path = pmtiles_write(work / "roads.pmtiles", _sparse_tiles(keep, 3), leaf_size=leaf_size)
    shutil.copy(path, folder / "staging")
    (folder / "staging").replace(folder / "roads.pmtiles")
    registry = _registry(TilesetStore(url, timeout_seconds=3), work / "tile-index")
    archive = registry.get("roads")
    _assert_same_as_pmtiles_reader(archive, path, maxzoom=3)
    registry.index_builds_join()
    assert archive.indexed
    _assert_same_as_pmtiles_reader(archive, path, maxzoom=3)


def test_bucket_tileset_is_served_by_the_api(client, bucket_tilesets, tmp_path, tiles_auth):
    bucket_tilesets.put(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(3), leaf_size=16))
    response = client.get("/v1/tiles/roads/3/1/6.mvt", HTTP_ACCEPT_ENCODING="gzip", **tiles_auth)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == mvt_tile(3, 1, 6)
    again = client.get(
        "/v1/tiles/roads/3/1/6.mvt",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=response["ETag"],
        **tiles_auth,
    )
    assert again.status_code == 304
    catalog = client.get("/v1/tiles", **tiles_auth).json()
    assert [tileset["name"] for tileset in catalog["tilesets"]] == ["roads"]
    tilejson = client.get("/v1/tiles/roads/metadata", **tiles_auth).json()
    assert tilejson["vector_layers"][0]["id"] == "places"
    assert client.get("/v1/tiles/roads/4/0/0.mvt", **tiles_auth).status_code == 404


def test_replaced_object_is_served_from_its_new_version(
    client, bucket_tilesets, tmp_path, tiles_auth
):
    bucket_tilesets.put(pmtiles_write(tmp_path / "old.pmtiles", pyramid(3)), "roads.pmtiles")
    first = client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth)
    assert first.content == mvt_tile(3, 0, 0)
    tileset_registry().index_builds_join()

    bucket_tilesets.put(
        pmtiles_write(tmp_path / "new.pmtiles", pyramid(4, minzoom=4), leaf_size=32),
        "roads.pmtiles",
    )
    assert client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth).status_code == 404
    response = client.get(
        "/v1/tiles/roads/4/9/9.mvt", HTTP_IF_NONE_MATCH=first["ETag"], **tiles_auth
    )
    assert response.status_code == 200
    assert response.content == mvt_tile(4, 9, 9)
    tileset_registry().index_builds_join()
    indexes = sorted(path.name for path in Path(tileset_registry().index_directory).glob("*.idx"))
    assert len(indexes) == 1 and tileset_registry().get("roads").index_key in indexes[0]


def test_object_replaced_between_listings_is_never_read_across_versions(
    client, bucket_tilesets, tmp_path, tiles_auth, settings
):
    bucket_tilesets.put(pmtiles_write(tmp_path / "old.pmtiles", pyramid(2)), "roads.pmtiles")
    assert client.get("/v1/tiles/roads/2/1/1.mvt", **tiles_auth).status_code == 200
    settings.TILESETS_RESCAN_SECONDS = 3600
    tileset_registry().get("roads")
    bucket_tilesets.put(
        pmtiles_write(tmp_path / "new.pmtiles", pyramid(2), attribution="new"), "roads.pmtiles"
    )
    # The old version's offsets must not read the new object's bytes: 503, then a listing.
    stale = client.get("/v1/tiles/roads/2/3/3.mvt", **tiles_auth)
    assert stale.status_code == 503
    assert stale.json()["code"] == "SERVICE_UNAVAILABLE"
    fresh = client.get("/v1/tiles/roads/2/3/3.mvt", **tiles_auth)
    assert fresh.status_code == 200
    assert fresh.content == mvt_tile(2, 3, 3)
    assert tileset_registry().get("roads").info.attribution == "new"


def test_stopped_store_answers_503_with_retry_after_and_recovers(
    client, s3_settings, tmp_path, tiles_auth
):
    server = S3Server()
    server.start()
    try:
        server.client().create_bucket(Bucket="outage")
        server.client().upload_file(
            str(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(3), leaf_size=16)),
            "outage",
            "roads.pmtiles",
        )
        s3_settings.AWS_ENDPOINT_URL = server.endpoint
        s3_settings.TILESETS_URL = "s3://outage/"
        s3_settings.TILESETS_DIR = tmp_path / "no-files"
        s3_settings.TILES_INDEX_DIR = tmp_path / "tile-index"
        s3_settings.TILESETS_RESCAN_SECONDS = 0
        assert client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth).status_code == 200

        server.stop()
        for url in ("/v1/tiles/roads/3/5/5.mvt", "/v1/tiles/roads/metadata"):
            down = client.get(url, **tiles_auth)
            if url.endswith(".mvt"):
                assert down.status_code == 503
                assert down["Retry-After"] == "1"
                assert down.json() == {
                    "success": False,
                    "error": "Service Unavailable",
                    "message": "Service temporarily unavailable",
                    "code": "SERVICE_UNAVAILABLE",
                }
            else:
                # Known tilesets keep their metadata while the store is down.
                assert down.status_code == 200
        # A tile already read is still served from the cache.
        assert client.get("/v1/tiles/roads/3/0/0.mvt", **tiles_auth).status_code == 200
        unknown = client.get("/v1/tiles/rivers/metadata", **tiles_auth)
        assert unknown.status_code == 503

        server.start()
        response = client.get("/v1/tiles/roads/3/5/5.mvt", **tiles_auth)
        assert response.status_code == 200
        assert response.content == mvt_tile(3, 5, 5)
        assert client.get("/v1/tiles/rivers/metadata", **tiles_auth).status_code == 404
    finally:
        server.stop()


def test_concurrent_misses_of_one_tile_make_one_range_request(http_folder, tmp_path):
    folder, url, requests = http_folder
    pmtiles_write(folder / "roads.pmtiles", pyramid(3))
    registry = _registry(TilesetStore(url, timeout_seconds=3), tmp_path / "tile-index")
    archive = registry.get("roads")
    registry.index_builds_join()
    requests.clear()
    barrier = threading.Barrier(8)
    results = []

    def read() -> None:
        barrier.wait()
        results.append(archive.tile(3, 2, 5).data)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and len(results) == 8
    assert gzip.decompress(results[0]) == mvt_tile(3, 2, 5)
    assert requests == ["GET /roads.pmtiles HTTP/1.1"]


def test_single_flight_waiters_get_the_leaders_bytes_or_its_error():
    cache = TileByteCache(1024)
    started, release = threading.Event(), threading.Event()
    calls = []

    def load() -> bytes:
        calls.append(1)
        started.set()
        release.wait()
        return b"tile"

    leader = threading.Thread(target=lambda: cache.get("k", load))
    leader.start()
    started.wait()
    waiters_results = []
    waiters = [
        threading.Thread(target=lambda: waiters_results.append(cache.get("k", load)))
        for _ in range(4)
    ]
    for waiter in waiters:
        waiter.start()
    release.set()
    for thread in [leader, *waiters]:
        thread.join()
    assert waiters_results == [b"tile"] * 4
    assert calls == [1]

    def failing() -> bytes:
        raise OSError("store down")

    with pytest.raises(OSError):
        cache.get("other", failing)
    assert cache.get("other", lambda: b"later") == b"later"


def test_tile_cache_stays_within_its_byte_budget():
    cache = TileByteCache(100)
    for number in range(50):
        cache.get(number, lambda: b"x" * 30)
    assert cache.size_bytes <= 100
    assert cache.get(49, lambda: b"reloaded") == b"x" * 30
    assert cache.get(0, lambda: b"reloaded") == b"reloaded"


def test_index_is_built_once_per_object_version_and_shared(s3_settings, bucket_tilesets, tmp_path):
    bucket_tilesets.put(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(3), leaf_size=16))
    call_command("build_tile_indexes")
    index_files = list(Path(s3_settings.TILES_INDEX_DIR).glob("roads-*.idx"))
    assert len(index_files) == 1
    built_at = index_files[0].stat().st_mtime_ns
    # Another worker of the node maps the same file instead of building its own.
    tileset_registry.cache_clear()
    other = tileset_registry()
    other.scan()
    assert other.get("roads").indexed
    assert index_files[0].stat().st_mtime_ns == built_at


def test_broken_object_does_not_hide_the_others(client, bucket_tilesets, tmp_path, tiles_auth):
    bucket_tilesets.put(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(1)))
    broken = tmp_path / "broken.pmtiles"
    broken.write_bytes(b"not a pmtiles archive at all" * 10)
    bucket_tilesets.put(broken)
    bucket_tilesets.put(
        pmtiles_write(tmp_path / "deeper.pmtiles", pyramid(1)), "sub/deeper.pmtiles"
    )
    catalog = client.get("/v1/tiles", **tiles_auth).json()
    assert [tileset["name"] for tileset in catalog["tilesets"]] == ["roads"]


def test_a_tileset_file_wins_over_an_object_of_the_same_name(
    client, bucket_tilesets, tmp_path, tiles_auth, settings
):
    files = tmp_path / "files"
    files.mkdir()
    settings.TILESETS_DIR = files
    mbtiles_write(files / "roads.mbtiles", pyramid(1))
    bucket_tilesets.put(pmtiles_write(tmp_path / "roads.pmtiles", pyramid(2)))
    bucket_tilesets.put(pmtiles_write(tmp_path / "rivers.pmtiles", pyramid(2)))
    catalog = client.get("/v1/tiles", **tiles_auth).json()["tilesets"]
    assert {tileset["name"]: tileset["maxzoom"] for tileset in catalog} == {
        "rivers": 2,
        "roads": 1,
    }
