"""The Procfile's web process on a free loopback port, for tests that need the real server."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest
from django.conf import settings

STARTUP_SECONDS = 90


def procfile_web_command() -> str:
    for line in (Path(settings.BASE_DIR) / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web process")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, headers: dict | None = None) -> tuple[int, Message, str]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@contextmanager
def procfile_web_running(tmp_path: Path, **env: str) -> Iterator[str]:
    """The Procfile's web command on a free loopback port, its output in `web.log` under
    `tmp_path`, with these environment variables over the test's; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        **env,
    }
    # Loopback only, whatever the Procfile binds in production.
    command = procfile_web_command().replace("0.0.0.0", "127.0.0.1")
    with open(tmp_path / "web.log", "wb") as log:
        server = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if http_get(f"{base}/health/live")[0] == 200:
                break
        except OSError:
            time.sleep(0.5)
    try:
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture
def web_server(tmp_path):
    """The Procfile's web command with two workers on a free loopback port."""
    with procfile_web_running(tmp_path, WEB_CONCURRENCY="2", WEB_THREADS="2") as base:
        yield base, tmp_path / "metrics", tmp_path / "web.log"
