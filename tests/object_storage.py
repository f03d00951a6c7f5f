"""Real object stores on 127.0.0.1 for the tests: moto's S3 server and a plain HTTP folder.

moto keeps its buckets in this process, so a server stopped and started again on the same
port finds them as they were: that is how a test takes the store down and brings it back.
"""

import functools
import os
import re
import socket
import threading
import uuid
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """moto's standalone S3 server on a fixed loopback port, which can be stopped and started."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )


@dataclass
class Bucket:
    """One bucket of the S3 server, and the prefix the tilesets live under."""

    server: S3Server
    name: str
    prefix: str = "tilesets/"

    @property
    def url(self) -> str:
        return f"s3://{self.name}/{self.prefix}"

    def put(self, path: Path, key: str | None = None) -> None:
        """Upload a file under the prefix, as its own name unless `key` says otherwise."""
        self.server.client().upload_file(str(path), self.name, self.prefix + (key or path.name))

    def delete(self, key: str) -> None:
        self.server.client().delete_object(Bucket=self.name, Key=self.prefix + key)


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, for the whole session."""
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_settings(s3_server, settings):
    """Settings pointing the service's S3 clients (obstore, django-storages) at moto."""
    settings.AWS_ENDPOINT_URL = s3_server.endpoint
    settings.AWS_ACCESS_KEY_ID = ACCESS_KEY
    settings.AWS_SECRET_ACCESS_KEY = SECRET_KEY
    settings.AWS_S3_REGION_NAME = REGION
    return settings


@pytest.fixture
def s3_bucket(s3_server):
    """A new, empty bucket."""
    name = f"test-{uuid.uuid4().hex[:16]}"
    s3_server.client().create_bucket(Bucket=name)
    return Bucket(server=s3_server, name=name)


class RangeRequestHandler(SimpleHTTPRequestHandler):
    """A static folder answering `Range: bytes=a-b` with 206, as object stores and CDNs do."""

    def log_message(self, format, *args):
        self.server.requests.append(self.requestline)

    def send_head(self):
        match = _RANGE.match(self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if match is None or not os.path.isfile(path):
            return super().send_head()
        file = open(path, "rb")  # noqa: SIM115 (closed by copyfile's caller)
        size = os.fstat(file.fileno()).st_size
        start = int(match[1])
        end = min(int(match[2]) if match[2] else size - 1, size - 1)
        if start >= size:
            file.close()
            self.send_error(416)
            return None
        file.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header(
            "Last-Modified", self.date_time_string(int(os.fstat(file.fileno()).st_mtime))
        )
        self.end_headers()
        return _Window(file, end - start + 1)


class _Window:
    """The part of a file a range asks for, read by SimpleHTTPRequestHandler's copyfile."""

    def __init__(self, file, length: int) -> None:
        self._file = file
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._file.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._file.close()


@pytest.fixture
def http_folder(tmp_path):
    """A plain HTTP server with range support over a new folder: (folder, base URL, requests)."""
    folder = tmp_path / "http-folder"
    folder.mkdir()
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeRequestHandler, directory=str(folder))
    )
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/", server.requests
    server.shutdown()
    server.server_close()
