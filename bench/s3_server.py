"""moto's S3 server for the bench's bucket, with range reads that cost what the range costs.

Usage: python bench/s3_server.py PORT BUCKET PREFIX FILE...

Starts moto's standalone server (`ThreadedMotoServer`) on 127.0.0.1:PORT, creates BUCKET and
uploads every FILE under PREFIX through the S3 API with the credentials of the AWS_*
variables (a multipart upload, as for any large object), prints `ready`, then one line per
object GET (method, path, Range header), so that the bench can count the range requests the
service sends per 1,000 tiles. Listings are not printed.

One change to moto (5.2): its GetObject reads the key's whole value (`FakeKey.value` reads
the object's spooled buffer into one bytes object) and only then cuts the asked range out of
it (`S3Response._handle_range_header`). On the benchmark archive that costs more than a
second per range request, so the bench would measure moto copying the archive rather than
the service reading a tile. Here, while GetObject is answered, `FakeKey.value` is a window
on the buffer: the range handler takes its length and slices it, and a slice seeks and reads
only those bytes under the key's lock. A GET without a range still reads the whole object.
Everything else (the S3 API, `If-Match`, status codes, headers, listings) is moto's own.
"""

import logging
import sys
import threading
from pathlib import Path

import boto3
from moto.s3.models import FakeKey
from moto.s3.responses import S3Response
from moto.server import ThreadedMotoServer


class KeyWindow:
    """A key's value as moto's range handler uses it: a length, and slices read on demand."""

    def __init__(self, key: FakeKey) -> None:
        self._key = key

    def __len__(self) -> int:
        return self._key.size

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _ = part.indices(self._key.size)
        with self._key.lock:
            self._key._value_buffer.seek(start)
            return self._key._value_buffer.read(max(stop - start, 0))


_answering = threading.local()
_value = FakeKey.value
_get_object = S3Response.get_object
_key_response = S3Response.key_response


def _value_or_window(key: FakeKey):
    return KeyWindow(key) if getattr(_answering, "get_object", False) else _value.fget(key)


def _get_object_windowed(self):
    _answering.get_object = True
    try:
        return _get_object(self)
    finally:
        _answering.get_object = False


def _key_response_counted(self, request, full_url, headers):
    status, response_headers, body = _key_response(self, request, full_url, headers)
    if isinstance(body, KeyWindow):
        # No range, or one moto answers whole (several ranges): the whole object after all.
        body = body[:]
    if request.method == "GET":
        sys.stdout.write(f"GET {request.path} {request.headers.get('Range', '')}\n")
        sys.stdout.flush()
    return status, response_headers, body


def ranges_read_only() -> None:
    """Make moto's GetObject read only the asked range of a key (see the module docstring)."""
    FakeKey.value = property(_value_or_window, _value.fset)
    S3Response.get_object = _get_object_windowed
    S3Response.key_response = _key_response_counted


def main() -> None:
    port, bucket, prefix, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    ranges_read_only()
    # werkzeug's own line per request has no Range header: the one printed here replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}")
    client.create_bucket(Bucket=bucket)
    for file in map(Path, files):
        client.upload_file(str(file), bucket, prefix + file.name)
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
