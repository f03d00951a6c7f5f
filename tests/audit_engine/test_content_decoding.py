"""Compressed bodies: decoded for every coding the crawler offers, bombs stopped at the cap.

The bomb test fetches in a child process and reads that process's peak resident memory
(VmHWM), so what it measures is the fetch and nothing else of the test run.
"""

import gzip
import json
import subprocess
import sys
import zlib
from pathlib import Path

import brotli
import pytest
import zstandard

from audit_engine.content_decoding import ACCEPT_ENCODING
from audit_engine.crawler import CrawlOptions, site_crawl
from audit_engine.fetcher import PAGE_MAX_BYTES, FetchFailedError, SafeFetcher
from tests.audit_engine.conftest import LOCAL_POLICY

BASE_DIR = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024
# What a bomb inflates to: far past the 2 MiB page cap, and past what one decoded network
# chunk used to reach (64 MiB of gzip, all of a brotli or zstd bomb).
BOMB_BYTES = {"gzip": 256 * MIB, "deflate": 256 * MIB, "br": 512 * MIB, "zstd": 512 * MIB}
# Peak memory a bomb fetch may add: the 2 MiB cap, its joined copy and a decoder's window.
BOMB_PEAK_GROWTH_BOUND = 32 * MIB
PAGE = b"<html><body><p>" + b"A page worth compressing. " * 400 + b"</p></body></html>"


def local_url(httpserver, path: str) -> str:
    return f"http://127.0.0.1:{httpserver.port}{path}"


def _compressor(coding: str):
    """A streaming compressor for `coding`: (feed, finish)."""
    if coding == "gzip":
        engine = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return engine.compress, engine.flush
    if coding == "deflate":
        engine = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS)
        return engine.compress, engine.flush
    if coding == "br":
        engine = brotli.Compressor(quality=5)
        return engine.process, engine.finish
    engine = zstandard.ZstdCompressor(level=3).compressobj()
    return engine.compress, engine.flush


def compressed(coding: str, data: bytes) -> bytes:
    feed, finish = _compressor(coding)
    return feed(data) + finish()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """One bomb per coding: zeros compressed a MiB at a time, never held whole."""
    made = {}
    zeros = bytes(MIB)
    for coding, size in BOMB_BYTES.items():
        feed, finish = _compressor(coding)
        made[coding] = b"".join([*(feed(zeros) for _ in range(size // MIB)), finish()])
    return made


@pytest.mark.parametrize("coding", ["gzip", "x-gzip", "deflate", "br", "zstd"])
def test_compressed_page_is_decoded_for_each_coding(httpserver, coding):
    body = compressed({"x-gzip": "gzip"}.get(coding, coding), PAGE)
    httpserver.expect_request("/page").respond_with_data(
        body, content_type="text/html", headers={"Content-Encoding": coding}
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        result = fetcher.fetch(url=local_url(httpserver, "/page"))
    assert result.body == PAGE
    request, _ = httpserver.log[0]
    assert request.headers["Accept-Encoding"] == ACCEPT_ENCODING


def test_raw_deflate_without_zlib_header_is_decoded(httpserver):
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    httpserver.expect_request("/page").respond_with_data(
        raw.compress(PAGE) + raw.flush(), headers={"Content-Encoding": "deflate"}
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        assert fetcher.fetch(url=local_url(httpserver, "/page")).body == PAGE


@pytest.mark.parametrize("coding", ["compress", "gzip, br", "snappy"])
def test_unknown_or_stacked_coding_fails_the_fetch(httpserver, coding):
    httpserver.expect_request("/page").respond_with_data(PAGE, headers={"Content-Encoding": coding})
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher, pytest.raises(FetchFailedError):
        fetcher.fetch(url=local_url(httpserver, "/page"))


def test_corrupt_compressed_body_fails_the_fetch(httpserver):
    httpserver.expect_request("/page").respond_with_data(
        b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"}
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher, pytest.raises(FetchFailedError):
        fetcher.fetch(url=local_url(httpserver, "/page"))


def test_compressed_body_over_the_cap_fails_although_small_on_the_wire(httpserver):
    body = compressed("gzip", bytes(5000))
    httpserver.expect_request("/page").respond_with_data(
        body, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    with (
        SafeFetcher(policy=LOCAL_POLICY, max_bytes=4096) as fetcher,
        pytest.raises(FetchFailedError, match="4096 byte limit"),
    ):
        fetcher.fetch(url=local_url(httpserver, "/page"))


def test_gzip_robots_txt_is_read_as_text(httpserver):
    robots = b"User-agent: *\nDisallow: /private\n"
    httpserver.expect_request("/robots.txt").respond_with_data(
        compressed("gzip", robots), content_type="text/plain", headers={"Content-Encoding": "gzip"}
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        assert fetcher.fetch(url=local_url(httpserver, "/robots.txt")).text() == robots.decode()


_BOMB_FETCH = """
import json, sys
from audit_engine.fetcher import FetchFailedError, FetchPolicy, SafeFetcher

def peak_bytes():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024

warm_up_url, bomb_url = sys.argv[1:3]
with SafeFetcher(policy=FetchPolicy.from_strings(["127.0.0.1/32"])) as fetcher:
    # A small page of the same coding first: modules, decoder and connection are set up.
    fetcher.fetch(url=warm_up_url)
    before = peak_bytes()
    try:
        fetcher.fetch(url=bomb_url)
        outcome = "read"
    except FetchFailedError as exc:
        outcome = str(exc)
print(json.dumps({"before": before, "after": peak_bytes(), "outcome": outcome}))
"""


def bomb_fetch_measure(*, warm_up_url: str, bomb_url: str) -> dict:
    """Peak memory of a fresh process before and after fetching `bomb_url`, and the outcome."""
    result = subprocess.run(
        [sys.executable, "-c", _BOMB_FETCH, warm_up_url, bomb_url],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("coding", list(BOMB_BYTES))
def test_compression_bomb_stops_at_the_cap_with_bounded_memory(httpserver, bombs, coding):
    httpserver.expect_request("/small").respond_with_data(
        compressed(coding, PAGE), content_type="text/html", headers={"Content-Encoding": coding}
    )
    httpserver.expect_request("/bomb").respond_with_data(
        bombs[coding], content_type="text/html", headers={"Content-Encoding": coding}
    )
    measured = bomb_fetch_measure(
        warm_up_url=local_url(httpserver, "/small"), bomb_url=local_url(httpserver, "/bomb")
    )
    assert measured["outcome"] == f"body is over the {PAGE_MAX_BYTES} byte limit"
    assert measured["after"] - measured["before"] < BOMB_PEAK_GROWTH_BOUND


def test_crawl_survives_bombs_in_robots_sitemap_llms_txt_and_pages(httpserver, bombs):
    bomb = {"Content-Encoding": "br"}
    for path in ("/robots.txt", "/sitemap.xml", "/llms.txt", "/bomb-page"):
        httpserver.expect_request(path).respond_with_data(
            bombs["br"], content_type="text/html", headers=bomb
        )
    httpserver.expect_request("/").respond_with_data(
        b'<html><body><a href="/bomb-page">next</a></body></html>', content_type="text/html"
    )
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        outcome = site_crawl(
            start_url=local_url(httpserver, "/"),
            fetcher=fetcher,
            options=CrawlOptions(max_pages=5),
            on_page=lambda _pages: True,
        )
    assert (outcome.sitemap_found, outcome.llms_txt_found) == (False, False)
    pages = {page.url.removeprefix(local_url(httpserver, "")): page for page in outcome.pages}
    assert pages["/"].status == 200
    assert "byte limit" in pages["/bomb-page"].error


def test_gzip_sitemap_file_over_the_cap_is_not_read(httpserver):
    from audit_engine.crawler import SITEMAP_MAX_BYTES

    sitemap = b'<?xml version="1.0"?><urlset><url><loc>/x</loc></url>' + bytes(SITEMAP_MAX_BYTES)
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        gzip.compress(sitemap), content_type="application/gzip"
    )
    httpserver.expect_request("/").respond_with_data(b"<html></html>", content_type="text/html")
    with SafeFetcher(policy=LOCAL_POLICY) as fetcher:
        outcome = site_crawl(
            start_url=local_url(httpserver, "/"),
            fetcher=fetcher,
            options=CrawlOptions(max_pages=1),
            on_page=lambda _pages: True,
        )
    assert outcome.sitemap_found is False
