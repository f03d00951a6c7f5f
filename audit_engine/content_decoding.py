"""Decoding compressed response bodies a bounded piece at a time.

Real sites answer with gzip, deflate, brotli or zstd whenever a client offers them, and some
send gzip whatever the client asks; asking for identity only would cost bandwidth and still
meet compressed bodies. So the crawler offers the four, reads the raw bytes itself and decodes
them here: every step of a decoder produces at most `DECODE_STEP_BYTES` (plus the decoder's
own window), and the caller counts the decoded bytes between steps, so a small bomb (a few
hundred bytes of brotli that inflate to gigabytes) stops at the caller's cap with only that
cap in memory. The decoders httpx applies would inflate each network chunk whole first.

Other codings, and stacked ones (`gzip, br`), are refused rather than passed through raw. A
truncated stream gives what decoded, as httpx and browsers do.
"""

import itertools
import zlib
from collections import deque
from collections.abc import Iterable, Iterator

import brotli
import zstandard

DECODE_STEP_BYTES = 64 * 1024
# RFC 9659: a zstd content coding needs no window beyond 8 MiB; a frame asking for more is
# refused instead of allocating it.
ZSTD_MAX_WINDOW_BYTES = 8 * 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
_IDENTITY = ("", "identity")


class ContentDecodingError(Exception):
    """The body's coding is unknown or its bytes do not decode."""


def encoding_normalize(header: str) -> str:
    """The single content coding a `Content-Encoding` header names ("" for none)."""
    codings = [part.strip().lower() for part in header.split(",") if part.strip()]
    codings = [coding for coding in codings if coding != "identity"]
    if len(codings) > 1:
        raise ContentDecodingError(f"stacked content codings {header!r} are not supported")
    coding = codings[0] if codings else ""
    if coding not in (*_IDENTITY, "gzip", "x-gzip", "deflate", "br", "zstd"):
        raise ContentDecodingError(f"content coding {coding!r} is not supported")
    return coding


def body_decode(*, chunks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """The decoded body of raw `chunks`, in pieces of at most about DECODE_STEP_BYTES."""
    coding = encoding_normalize(encoding)
    try:
        if coding in _IDENTITY:
            yield from chunks
        elif coding in ("gzip", "x-gzip"):
            yield from _zlib_decode(chunks, wbits=16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            yield from _deflate_decode(chunks)
        elif coding == "br":
            yield from _brotli_decode(chunks)
        else:
            yield from _zstd_decode(chunks)
    except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
        raise ContentDecodingError(f"{coding} body does not decode: {exc}") from exc


def _zlib_steps(inflater, data: bytes) -> Iterator[bytes]:
    # With a max_length, zlib keeps the input it did not reach in `unconsumed_tail`.
    while data and not inflater.eof:
        piece = inflater.decompress(data, DECODE_STEP_BYTES)
        data = inflater.unconsumed_tail
        if piece:
            yield piece


def _zlib_decode(chunks: Iterable[bytes], *, wbits: int) -> Iterator[bytes]:
    inflater = zlib.decompressobj(wbits)
    for chunk in chunks:
        yield from _zlib_steps(inflater, chunk)


def _deflate_decode(chunks: Iterable[bytes]) -> Iterator[bytes]:
    # `deflate` is meant to be zlib-wrapped, but many servers send raw deflate: as browsers
    # and httpx do, a stream whose first bytes are not a zlib header is read as raw.
    iterator = iter(chunks)
    first = next(iterator, b"")
    wbits = zlib.MAX_WBITS
    if len(first) >= 2 and (first[0] & 0x0F != 8 or (first[0] << 8 | first[1]) % 31):
        wbits = -zlib.MAX_WBITS
    yield from _zlib_decode(itertools.chain((first,), iterator), wbits=wbits)


def _brotli_decode(chunks: Iterable[bytes]) -> Iterator[bytes]:
    decoder = brotli.Decompressor()
    for chunk in chunks:
        piece = decoder.process(chunk, output_buffer_limit=DECODE_STEP_BYTES)
        if piece:
            yield piece
        # Past the limit the decoder holds more output; it takes empty input until drained.
        while not decoder.can_accept_more_data():
            piece = decoder.process(b"", output_buffer_limit=DECODE_STEP_BYTES)
            if not piece:
                break
            yield piece


class _ChunkReader:
    """A file-like view of raw chunks, for zstandard's pull-based stream reader."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending: deque[bytes] = deque()

    def read(self, size: int = -1) -> bytes:
        if not self._pending:
            chunk = next(self._chunks, b"")
            if not chunk:
                return b""
            self._pending.append(chunk)
        data = self._pending.popleft()
        if 0 <= size < len(data):
            self._pending.appendleft(data[size:])
            data = data[:size]
        return data


def _zstd_decode(chunks: Iterable[bytes]) -> Iterator[bytes]:
    decompressor = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW_BYTES)
    with decompressor.stream_reader(_ChunkReader(chunks), read_across_frames=True) as reader:
        while piece := reader.read(DECODE_STEP_BYTES):
            yield piece
